"""A baseline lets a repository with thousands of failing images adopt the gate on day one.

``--write-baseline FILE`` records today's violations keyed on path, code and the sha256 of the
file's bytes; ``--baseline FILE`` then hides exactly those, so only new violations (and those
in files that changed since) fail the run. Entries that no longer match are stale: listed in
the hints, and removed by ``--prune-baseline``. The file is sorted, indented JSON so a baseline
change reads well in a diff.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sora_lint.config.options import OptionRegistry, path_string
from sora_lint.errors import ConfigError, UsageError
from sora_lint.filesystem.reading import FileRefused, hash_regular_file, read_regular_file
from sora_lint.filesystem.report_files import write_binary_file
from sora_lint.types import Diagnostic, RunReport, Settings

VERSION = 1
#: A baseline of 250,000 violations is ~60 MB; a larger file is refused, not read.
MAX_BASELINE_BYTES = 64 * 1024 * 1024
_LISTED_STALE = 10


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """One recorded violation (``count`` of them); fields that do not apply are empty.

    ``path`` is the file the diagnostic is shown on, POSIX and relative to the project root;
    ``sha256`` is that file's content hash. For a job-file line, ``asset``/``asset_sha256``
    and ``target`` say which image it names, so the key does not depend on the line number.
    """

    path: str
    code: str
    sha256: str
    asset: str = ""
    asset_sha256: str = ""
    target: str = ""
    count: int = 1

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return (self.path, self.code, self.sha256, self.asset, self.asset_sha256, self.target)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "code": self.code, "sha256": self.sha256}
        for name in ("asset", "asset_sha256", "target"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        data["count"] = self.count
        return data


@dataclass(frozen=True)
class BaselineOutcome:
    """What a baseline did to one run's diagnostics."""

    kept: tuple[Diagnostic, ...]
    suppressed_count: int
    stale_entries: tuple[BaselineEntry, ...]
    hints: tuple[str, ...] = ()


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


class _Hasher:
    """sha256 of files by path, each read once, in bounded chunks; ``""`` when it is not a
    regular file (a FIFO is never opened to wait on) or cannot be read."""

    def __init__(self) -> None:
        self._cache: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        if path not in self._cache:
            digest = hashlib.sha256()
            self._cache[path] = digest.hexdigest() if hash_regular_file(path, digest) else ""
        return self._cache[path]


def _locate(display: str, root: Path) -> tuple[str, Path]:
    """The key path (POSIX, relative to ``root`` when inside it) and the file to hash."""
    full = Path(os.path.normpath(Path.cwd() / display))
    base = Path(os.path.normpath(Path.cwd() / root))
    try:
        return full.relative_to(base).as_posix(), full
    except ValueError:
        return full.as_posix(), full


def entry_for(d: Diagnostic, root: Path, hasher: _Hasher | None = None) -> BaselineEntry:
    """The baseline entry that records (and later matches) diagnostic ``d``."""
    hasher = hasher or _Hasher()
    path, full = _locate(d.path, root)
    asset = asset_hash = ""
    if d.asset is not None and d.asset != d.path:
        asset, asset_full = _locate(d.asset, root)
        asset_hash = hasher(asset_full)
    target = str(d.target) if d.target is not None and d.line is not None else ""
    return BaselineEntry(path, d.code, hasher(full), asset, asset_hash, target)


def _merge(entries: Iterable[BaselineEntry]) -> list[BaselineEntry]:
    counts: Counter[tuple[str, str, str, str, str, str]] = Counter()
    for entry in entries:
        counts[entry.key] += entry.count
    return sorted(BaselineEntry(*key, count=n) for key, n in counts.items() if n > 0)


def dump_entries(entries: Iterable[BaselineEntry]) -> bytes:
    """The file's bytes: versioned, sorted, one key per line, trailing newline."""
    document = {
        "tool": "sora-lint",
        "version": VERSION,
        "entries": [entry.to_json() for entry in _merge(entries)],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8", errors="surrogateescape")


def load_baseline(path: Path) -> list[BaselineEntry]:
    """Read a baseline file; a missing, unreadable (a FIFO, a device, over
    :data:`MAX_BASELINE_BYTES`) or malformed one is an error naming the file."""
    try:
        raw = read_regular_file(path, MAX_BASELINE_BYTES).decode("utf-8", "surrogateescape")
    except FileNotFoundError:
        raise UsageError(
            f"baseline: {path} does not exist; create it with --write-baseline {path}"
        ) from None
    except FileRefused as exc:
        raise UsageError(f"baseline: {exc}") from None
    try:
        document = json.loads(raw)
        if not isinstance(document, dict) or document.get("version") != VERSION:
            raise ValueError(f"expected a sora-lint baseline with version {VERSION}")
        return [_entry(item) for item in document["entries"]]
    except RecursionError:
        raise ConfigError(f"baseline: {path} is nested too deeply to be a baseline") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"baseline: {path} is not a valid baseline file: {exc}") from None


def _entry(item: Any) -> BaselineEntry:
    if not isinstance(item, dict):
        raise ValueError(f"bad entry {item!r}")
    fields = [item.get(name, "") for name in ("path", "code", "sha256")]
    extra = [item.get(name, "") for name in ("asset", "asset_sha256", "target")]
    count = item.get("count", 1)
    if not all(isinstance(v, str) for v in fields + extra) or not all(fields):
        raise ValueError(f"bad entry {item!r}")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError(f"bad count in entry {item!r}")
    path, code, sha256 = fields
    asset, asset_sha256, target = extra
    return BaselineEntry(path, code, sha256, asset, asset_sha256, target, count)


def _replace_file(path: Path, data: bytes, root: Path) -> None:
    """Replace ``path`` atomically (a crash never leaves half a baseline), never through a
    symlink the repository holds."""
    write_binary_file(path, data, root)


def write_baseline(diagnostics: Iterable[Diagnostic], path: Path, root: Path) -> int:
    """Record ``diagnostics`` in ``path`` (atomically); return the number of violations."""
    hasher = _Hasher()
    entries = [entry_for(d, root, hasher) for d in diagnostics]
    try:
        _replace_file(path, dump_entries(entries), root)
    except (OSError, ValueError) as exc:
        raise UsageError(f"write-baseline: cannot write {path}: {_reason(exc)}") from None
    return len(entries)


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def apply_baseline(
    diagnostics: Sequence[Diagnostic],
    settings: Settings,
    root: Path,
    checked_paths: Iterable[str] | None = None,
) -> BaselineOutcome:
    """Hide the diagnostics recorded in ``settings["baseline"]``; find its stale entries.

    Each entry hides at most ``count`` matching diagnostics. An entry left unmatched is stale
    when its file is gone or was checked in this run (``checked_paths``: display paths of the
    files checked; ``None`` means the whole baseline was in scope), so linting a subfolder or
    pre-commit's changed files never reports the rest of the baseline as stale.
    """
    file = baseline_path(settings, "baseline")
    if file is None:
        return BaselineOutcome(tuple(diagnostics), 0, ())
    remaining = Counter({e.key: e.count for e in _merge(load_baseline(file))})
    hasher = _Hasher()
    kept: list[Diagnostic] = []
    for d in diagnostics:
        key = entry_for(d, root, hasher).key
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            kept.append(d)
    in_scope = None if checked_paths is None else {_locate(p, root)[0] for p in checked_paths}
    base = Path(os.path.normpath(Path.cwd() / root))
    stale = [
        BaselineEntry(*key, count=n)
        for key, n in sorted(remaining.items())
        if n > 0
        and (in_scope is None or key[0] in in_scope or key[3] in in_scope or _gone(base, key[0]))
    ]
    return BaselineOutcome(tuple(kept), len(diagnostics) - len(kept), tuple(stale))


def _gone(base: Path, path: str) -> bool:
    return not (base / path).is_file()


def prune_baseline(file: Path, stale: Iterable[BaselineEntry], root: Path | None = None) -> int:
    """Remove ``stale`` entries from ``file``; return how many violations were removed."""
    counts = Counter({e.key: e.count for e in _merge(load_baseline(file))})
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


def baseline_path(settings: Settings, key: str) -> Path | None:
    """The file named by option ``key``: relative to the working directory when given on the
    command line, to the project root when it comes from the config file."""
    value = settings.get(key)
    if not value:
        return None
    if key in settings.get("cli-keys", ()) or "root" not in settings.values:
        return Path(str(value))
    return Path(str(settings["root"])) / str(value)


def baseline_report(report: RunReport, checked_paths: Iterable[str] | None = None) -> RunReport:
    """The whole baseline step on a finished report: write, apply, prune, and say so in hints.

    ``--write-baseline`` records every diagnostic and then applies that file, so the run that
    writes it passes. The returned report keeps only unrecorded diagnostics and their assets.
    """
    settings = report.settings
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
