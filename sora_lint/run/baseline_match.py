"""Which baseline entry records a diagnostic (path, code, the file's sha256), and which
diagnostics a baseline hides and which of its entries are stale."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sora_lint.filesystem.paths import is_inside
from sora_lint.filesystem.reading import hash_regular_file
from sora_lint.run.baseline_file import BaselineEntry, baseline_path, load_baseline, merge_entries
from sora_lint.types import Diagnostic, Settings


@dataclass(frozen=True)
class BaselineOutcome:
    """What a baseline did to one run's diagnostics."""

    kept: tuple[Diagnostic, ...]
    suppressed_count: int
    stale_entries: tuple[BaselineEntry, ...]
    hints: tuple[str, ...] = ()


class FileHasher:
    """sha256 of files by path, each read once, in bounded chunks; ``""`` when it is not a
    regular file (a FIFO is never opened to wait on) or cannot be read.

    Only a file whose real path lies in ``root`` is read. A committed ``leak.png ->
    ~/.secret`` is reported (SL004), not followed: hashing its target would read a file
    outside the tree, write its hash into the baseline, and let a baseline in the pull
    request test guesses of it (a matching entry hides the finding). Such a path is keyed by
    the hash of where it points instead, which says nothing about what is there.
    """

    def __init__(self, root: Path | None = None) -> None:
        self._cache: dict[Path, str] = {}
        self._real_root = os.path.realpath(Path.cwd() / root) if root is not None else None

    def __call__(self, path: Path) -> str:
        if path not in self._cache:
            self._cache[path] = self._hash(path)
        return self._cache[path]

    def _hash(self, path: Path) -> str:
        digest = hashlib.sha256()
        if self._real_root is not None:
            real = os.path.realpath(path)
            if not is_inside(real, self._real_root):
                digest.update(b"outside the tree\0" + os.fsencode(real))
                return digest.hexdigest()
        return digest.hexdigest() if hash_regular_file(path, digest) else ""


def _locate(display: str, root: Path) -> tuple[str, Path]:
    """The key path (POSIX, relative to ``root`` when inside it) and the file to hash."""
    full = Path(os.path.normpath(Path.cwd() / display))
    base = Path(os.path.normpath(Path.cwd() / root))
    try:
        return full.relative_to(base).as_posix(), full
    except ValueError:
        return full.as_posix(), full


def entry_for(d: Diagnostic, root: Path, hasher: FileHasher | None = None) -> BaselineEntry:
    """The baseline entry that records (and later matches) diagnostic ``d``."""
    hasher = hasher or FileHasher(root)
    path, full = _locate(d.path, root)
    asset = asset_hash = ""
    if d.asset is not None and d.asset != d.path:
        asset, asset_full = _locate(d.asset, root)
        asset_hash = hasher(asset_full)
    target = str(d.target) if d.target is not None and d.line is not None else ""
    return BaselineEntry(path, d.code, hasher(full), asset, asset_hash, target)


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
    remaining = Counter({e.key: e.count for e in merge_entries(load_baseline(file))})
    hasher = FileHasher(root)
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
    """Whether a baseline entry's file no longer exists. A path that leaves the tree (``..``,
    absolute, or through a symlink) counts as gone without being looked at: the baseline may
    come from a pull request, and whether its entry came out stale would tell whether that
    file exists on the machine."""
    where = base / path
    return not (is_inside(where, base) and where.is_file())
