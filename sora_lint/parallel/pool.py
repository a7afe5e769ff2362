"""``--jobs N``: how many processes a run uses, and the pool of a check run where processes
do not fork (macOS, Windows); results in order.

A worker needs the same plugin host and session as the main process. Where processes fork
(Linux) workers inherit them (:mod:`~sora_lint.parallel.sharing` for check runs,
:mod:`~sora_lint.parallel.fix_pool` for fix runs); elsewhere workers start fresh and
rebuild both from a :class:`WorkerSpec` of picklable values (the
``-p`` modules, blocked plugins, resolved settings, paths and working folder). Plugin
*objects* handed to ``main(plugins=...)`` cannot be rebuilt that way, so such runs, runs
under pre-commit (which already starts one process per CPU) and runs on few files stay in
this process, where a pool would cost more than it saves.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sora_lint.parallel.transfer import Packer, Unpacker
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome, Session, process_file
from sora_lint.types import Settings

PRE_COMMIT_ENV = "PRE_COMMIT"

#: Fewer files than this stay in one process unless ``--jobs`` asks otherwise (see the
#: README's Performance section for the measurement behind it).
MIN_PARALLEL_FILES = 200
#: A fix costs ~0.1 s a file (decode, resample, encode) against ~1 ms for a check: a pool
#: pays for itself from a handful of files.
MIN_PARALLEL_FIX_FILES = 4

#: A task is a chunk of files: large enough that the pool's per-task cost is small, small
#: enough that work is shared evenly and results stream back steadily.
MIN_CHUNK, MAX_CHUNK = 8, 128


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a fresh worker needs to rebuild this run's plugin host and session."""

    disabled: tuple[str, ...]
    modules: tuple[str, ...]
    autoload: bool
    settings: Mapping[str, Any]
    paths: tuple[str, ...]
    cwd: str

    def build_session(self) -> Session:
        from sora_lint.host.manager import build_plugin_manager
        from sora_lint.host.plugin_host import PluginHost
        from sora_lint.run.runner import build_session

        pm = build_plugin_manager(self.disabled, self.modules, autoload=self.autoload)
        host = PluginHost(pm)
        settings = Settings(dict(self.settings))
        host.configure(settings)
        return build_session(host, settings, list(self.paths), Path(self.cwd))


def worker_spec(
    disabled: Sequence[str],
    modules: Sequence[str],
    plugin_objects: Sequence[Any],
    settings: Settings,
    paths: Sequence[str],
    cwd: Path,
) -> WorkerSpec | None:
    """The spec of this run, or ``None`` when a worker could not rebuild it."""
    if plugin_objects:
        return None
    from sora_lint.host.manager import AUTOLOAD_ENV

    spec = WorkerSpec(
        disabled=tuple(disabled),
        modules=tuple(modules),
        autoload=not os.environ.get(AUTOLOAD_ENV),
        settings=dict(settings.values),
        paths=tuple(paths),
        cwd=str(cwd),
    )
    if start_method() == "fork":
        return spec  # forked workers inherit the session: the spec never travels
    import pickle

    try:
        pickle.dumps(spec)
    except Exception:  # noqa: BLE001 - a plugin setting that cannot travel: stay in-process
        return None
    return spec


def available_cpus() -> int:
    """The CPUs this process may run on (a container's limit, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def plan_jobs(requested: int, files: int, fixing: bool = False) -> int:
    """How many worker processes to use; 1 means "stay in this process".

    ``requested`` 0 (the default) means all CPUs, but only for runs that are worth a pool.
    A check run used to leave out the CPUs other tasks were running on at that instant: when
    workers checked and sent their findings, two processes on a busy 2-CPU machine took
    1.3-2x the wall clock of one. Since forked workers only probe, they take 0.93-1.03x and 8%
    more CPU (10 paired runs on 8,000 files at load 2), so every CPU is used: the subtraction
    saved little and made a run's speed depend on one sample of ``/proc/loadavg``. An
    explicit ``--jobs N`` is taken as asked, capped by the number of files.
    """
    if requested == 0:
        least = MIN_PARALLEL_FIX_FILES if fixing else MIN_PARALLEL_FILES
        if os.environ.get(PRE_COMMIT_ENV) or files < least:
            return 1
        requested = available_cpus()
    return max(1, min(requested, files))


def chunk_size(files: int, jobs: int, fixing: bool = False) -> int:
    if fixing:
        return 1  # fixes are slow and uneven: hand them out one at a time
    return max(MIN_CHUNK, min(MAX_CHUNK, files // (jobs * 8) or 1))


#: What a worker does with one file: :func:`~sora_lint.run.engine.process_file` (the fix
#: pool takes it as a module-level function, so it pickles by name).
Work = Callable[[Candidate, Session], FileOutcome]


# What a worker process of the pool holds: its session, or the error that rebuilding it raised.
_WORKER: dict[str, Any] = {}


def ignore_interrupt() -> None:
    """The main process handles Ctrl-C and stops the pool; workers must not print tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _init_spawned(spec: WorkerSpec) -> None:
    ignore_interrupt()
    _WORKER["packer"] = Packer()
    try:
        _WORKER["session"] = spec.build_session()
    except Exception as exc:  # noqa: BLE001 - re-raised by the first task, never a hang
        _WORKER["error"] = exc


def _run_candidate(candidate: Candidate) -> Any:
    if "error" in _WORKER:
        raise _WORKER["error"]
    packer: Packer = _WORKER["packer"]
    return packer.pack(process_file(candidate, _WORKER["session"]))


def start_method() -> str:
    """Fork on Linux (cheap, and the workers inherit the host); spawn elsewhere."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def run_in_pool(
    candidates: Sequence[Candidate],
    session: Session,
    spec: WorkerSpec,
    jobs: int,
) -> Iterator[FileOutcome]:
    """Yield each candidate's outcome, in order, from ``jobs`` workers started fresh (a check
    run where processes do not fork: where they do, :mod:`~sora_lint.parallel.sharing`
    checks, and fix runs go to :mod:`~sora_lint.parallel.fix_pool`)."""
    import multiprocessing  # only when a pool is worth it: importing it costs start-up time

    context = multiprocessing.get_context("spawn")
    chunk = chunk_size(len(candidates), jobs, session.fixing)
    pool = context.Pool(jobs, initializer=_init_spawned, initargs=(spec,))
    results = pool.imap(_run_candidate, candidates, chunk)
    unpacker = Unpacker()
    finished = False
    try:
        for candidate, packed in zip(candidates, results, strict=False):
            yield unpacker.outcome(packed, candidate)
        finished = True
    finally:
        if finished:
            pool.close()
        else:
            pool.terminate()
        pool.join()
        _WORKER.clear()
