"""Where each file's outcome comes from: the cache, this process or a pool, in file order.

The runner consumes the outcomes as a stream; nothing here holds more than one small marker
per file (a clean cached file is rebuilt when its turn comes), so memory stays flat.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sora_lint.cache.content_ids import MAX_PATHSPECS, ContentIds, read_git_blobs
from sora_lint.cache.keys import namespace_key, run_stamp
from sora_lint.cache.store import LAYOUT, RunCache
from sora_lint.parallel.transfer import check_only
from sora_lint.run import progress
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome, Session, process_file, recheck
from sora_lint.run.shard import select_shard

if TYPE_CHECKING:
    from sora_lint.parallel.pool import WorkerSpec

#: The workers' spec (``parallel.pool.worker_spec``), worked out only when workers start.
SpecMaker = Callable[[], "WorkerSpec | None"]

#: Set to 1 to print what the cache and the pool did on stderr (for tests and bug reports).
DEBUG_ENV = "SORA_LINT_DEBUG"


def shard(candidates: Sequence[Candidate], session: Session) -> list[Candidate]:
    """The candidates of this run's ``--shard``, or all of them."""
    wanted = session.settings.get("shard")
    if wanted is None:
        return list(candidates)
    return list(select_shard(candidates, session.selection, wanted))


def open_cache(session: Session, candidates: Sequence[Candidate], cwd: Path) -> RunCache | None:
    """This run's cache, or ``None`` with ``--no-cache``."""
    settings = session.settings
    if settings.get("no-cache") or not candidates:
        return None
    root = Path(settings["root"])
    base = cwd if "cache-dir" in settings.get("cli-keys", ()) else root
    folder = base / str(settings.get("cache-dir") or ".sora-lint-cache")
    started = time.time_ns()
    relatives: list[str] | None = None
    if len(candidates) <= MAX_PATHSPECS:
        found = (session.selection.relative(c.path) for c in candidates)
        relatives = [r for r in found if r is not None]
    blobs = read_git_blobs(root, relatives) if relatives != [] else {}
    namespace = folder / LAYOUT / namespace_key(session)
    stamp = run_stamp(session.host.cache_stamps(settings))
    return RunCache(namespace, ContentIds(blobs, started), session, recheck, stamp)


def iter_outcomes(
    session: Session, candidates: Sequence[Candidate], spec: SpecMaker, cwd: Path
) -> Iterator[FileOutcome]:
    """Every candidate's outcome in order, with a progress bar on a terminal."""
    settings = session.settings
    outcomes = _outcomes(session, candidates, spec, cwd)
    enabled = progress.wanted(sys.stderr, bool(settings.get("quiet")))
    return progress.track(outcomes, len(candidates), sys.stderr, enabled)


_CLEAN = object()


def _outcomes(
    session: Session, candidates: Sequence[Candidate], spec: SpecMaker, cwd: Path
) -> Iterator[FileOutcome]:
    cache = open_cache(session, candidates, cwd)
    found: list[object] = []
    misses: list[Candidate] = []
    if cache is not None:
        lookup = cache.lookup
        for candidate in candidates:
            outcome = lookup(candidate)
            if outcome is None:
                misses.append(candidate)
                found.append(None)
            elif not outcome.diagnostics and check_only(outcome):
                found.append(_CLEAN)  # rebuilt when its turn comes: memory stays flat
            else:
                found.append(outcome)
    else:
        misses = list(candidates)
    yield from _stream(session, candidates, spec, cache, found, misses)


def _stream(
    session: Session,
    candidates: Sequence[Candidate],
    spec: SpecMaker,
    cache: RunCache | None,
    found: list[object],
    misses: list[Candidate],
) -> Iterator[FileOutcome]:
    jobs, fresh = _fresh(session, misses, spec) if misses else (1, iter(()))
    if os.environ.get(DEBUG_ENV):
        _debug(cache, len(candidates), len(misses), jobs)
    if cache is None:
        yield from fresh
        return
    for candidate, known in zip(candidates, found, strict=True):
        if known is _CLEAN:
            yield FileOutcome(candidate.display, ())
        elif isinstance(known, FileOutcome):
            yield known
        else:
            yield cache.store(candidate, next(fresh))
    for _ in fresh:  # let the pool shut down cleanly
        pass
    cache.flush()


def _fresh(
    session: Session, misses: Sequence[Candidate], make_spec: SpecMaker
) -> tuple[int, Iterator[FileOutcome]]:
    """How many processes work out the files the cache did not have, and their outcomes.

    The worker machinery is imported only here: a cached re-run with nothing to work out
    never loads it (with the other imports a check run skips and the plugin manager's
    faster registering: 9% of a one-file run's instructions).
    """
    from sora_lint.parallel import pool

    jobs = pool.plan_jobs(int(session.settings.get("jobs") or 0), len(misses), session.fixing)
    spec = make_spec() if jobs > 1 else None
    if spec is None:
        return 1, (process_file(candidate, session) for candidate in misses)
    if session.fixing:  # concurrent.futures: a dead worker is exit 2 naming its file
        from sora_lint.parallel.fix_pool import run_fix_pool

        return jobs, run_fix_pool(misses, session, spec, jobs, process_file)
    if pool.start_method() == "fork":  # this process works too
        from sora_lint.parallel.sharing import run_sharing

        return jobs, run_sharing(misses, session, jobs, pool.chunk_size(len(misses), jobs))
    return jobs, pool.run_in_pool(misses, session, spec, jobs)


def _debug(cache: RunCache | None, files: int, misses: int, jobs: int) -> None:
    if cache is None:
        print(f"sora-lint: debug: {files} files, cache off, jobs={jobs}", file=sys.stderr)
        return
    print(
        f"sora-lint: debug: {files} files, cache {cache.folder}: {cache.hits} hits, "
        f"{cache.rechecked} rechecked, {misses} to probe, jobs={jobs}",
        file=sys.stderr,
    )
