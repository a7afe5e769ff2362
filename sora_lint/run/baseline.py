"""A baseline lets a repository with thousands of failing images adopt the gate on day one.

``--write-baseline FILE`` records today's violations keyed on path, code and the sha256 of the
file's bytes; ``--baseline FILE`` then hides exactly those, so only new violations (and those
in files that changed since) fail the run. Entries that no longer match are stale: listed in
the hints, and removed by ``--prune-baseline``. The file is sorted, indented JSON so a baseline
change reads well in a diff.

This module is the step a run takes (the options, writing, pruning, the hints);
``baseline_file`` reads and writes the file, ``baseline_match`` keys and hides diagnostics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sora_lint.config.options import OptionRegistry, path_string
from sora_lint.errors import UsageError
from sora_lint.types import Diagnostic, RunReport, Settings

if TYPE_CHECKING:
    from sora_lint.run.baseline_file import BaselineEntry

_LISTED_STALE = 10


def declare_baseline_options(options: OptionRegistry) -> None:
    """Declare ``--write-baseline``, ``--baseline`` (also a config key) and ``--prune-baseline``."""
    options.add(
        "write-baseline",
        "record every current violation in FILE (JSON) and exit 0",
        default=None,
        parse=path_string,
        metavar="FILE",
        config=False,
        group="baseline",
    )
    options.add(
        "baseline",
        "report only violations not recorded in FILE (or whose file changed since)",
        default=None,
        parse=path_string,
        metavar="FILE",
        group="baseline",
    )
    options.add(
        "prune-baseline",
        "with --baseline: remove stale entries (fixed or changed files) from the baseline file",
        default=False,
        kind="flag",
        config=False,
        group="baseline",
    )


def _replace_file(path: Path, data: bytes, root: Path) -> None:
    """Replace ``path`` atomically (a crash never leaves half a baseline), never through a
    symlink the repository holds."""
    from sora_lint.filesystem.report_files import write_binary_file

    write_binary_file(path, data, root)


def write_baseline(diagnostics: Iterable[Diagnostic], path: Path, root: Path) -> int:
    """Record ``diagnostics`` in ``path`` (atomically); return the number of violations."""
    from sora_lint.run.baseline_file import dump_entries
    from sora_lint.run.baseline_match import FileHasher, entry_for

    hasher = FileHasher(root)
    entries = [entry_for(d, root, hasher) for d in diagnostics]
    try:
        _replace_file(path, dump_entries(entries), root)
    except (OSError, ValueError) as exc:
        raise UsageError(f"write-baseline: cannot write {path}: {_reason(exc)}") from None
    return len(entries)


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def prune_baseline(file: Path, stale: Iterable[BaselineEntry], root: Path | None = None) -> int:
    """Remove ``stale`` entries from ``file``; return how many violations were removed."""
    from sora_lint.run.baseline_file import (
        BaselineEntry,
        dump_entries,
        load_baseline,
        merge_entries,
    )

    counts = Counter({e.key: e.count for e in merge_entries(load_baseline(file))})
    removed = 0
    for entry in stale:
        take = min(counts[entry.key], entry.count)
        counts[entry.key] -= take
        removed += take
    entries = [BaselineEntry(*key, count=n) for key, n in counts.items() if n > 0]
    try:
        _replace_file(file, dump_entries(entries), root or Path.cwd())
    except (OSError, ValueError) as exc:
        raise UsageError(f"prune-baseline: cannot write {file}: {_reason(exc)}") from None
    return removed


def baseline_report(report: RunReport, checked_paths: Iterable[str] | None = None) -> RunReport:
    """The whole baseline step on a finished report: write, apply, prune, and say so in hints.

    ``--write-baseline`` records every diagnostic and then applies that file, so the run that
    writes it passes. The returned report keeps only unrecorded diagnostics and their assets.
    A run without a baseline returns at once, without loading the baseline's modules (a
    start-up saving, with the other imports a check run skips: see ``pipeline._fresh``).
    """
    settings = report.settings
    if not settings.get("write-baseline") and not settings.get("baseline"):
        return report
    from sora_lint.run.baseline_file import baseline_path
    from sora_lint.run.baseline_match import apply_baseline

    root = Path(settings.get("root") or ".")
    hints = list(report.hints)
    written = baseline_path(settings, "write-baseline")
    if written is not None:
        count = write_baseline(report.diagnostics, written, root)
        hints.append(f"Wrote {count} violation{_s(count)} to baseline {written}")
        settings = Settings(
            {**settings.values, "baseline": str(written), "cli-keys": ("baseline",)}
        )
    outcome = apply_baseline(report.diagnostics, settings, root, checked_paths)
    file = baseline_path(settings, "baseline")
    if file is None:
        return report
    if outcome.suppressed_count and written is None:
        n = outcome.suppressed_count
        hints.append(f"{n} violation{_s(n)} hidden by baseline {file}")
    stale = sum(e.count for e in outcome.stale_entries)
    if stale and settings.get("prune-baseline"):
        removed = prune_baseline(file, outcome.stale_entries, root)
        hints.append(f"Pruned {removed} stale entr{'y' if removed == 1 else 'ies'} from {file}")
    elif stale:
        hints.append(
            f"{stale} stale baseline entr{'y' if stale == 1 else 'ies'} in {file} (fixed, changed "
            "or deleted files); remove them with --prune-baseline"
        )
        for entry in outcome.stale_entries[:_LISTED_STALE]:
            hints.append(f"  stale: {entry.path}: {entry.code}")
        if len(outcome.stale_entries) > _LISTED_STALE:
            hints.append(f"  … and {len(outcome.stale_entries) - _LISTED_STALE} more")
    shown = {d.asset or d.path for d in outcome.kept} | {d.path for d in outcome.kept}
    return replace(
        report,
        diagnostics=outcome.kept,
        assets=tuple(a for a in report.assets if a.display in shown),
        hints=tuple(hints),
    )


def _s(count: int) -> str:
    return "" if count == 1 else "s"
