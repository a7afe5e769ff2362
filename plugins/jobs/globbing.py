"""The files a ``job-files`` glob names, found without leaving the project root.

The glob comes from the repository's config, and ``Path.glob`` follows every symlink and
``..`` its literal parts name: ``a/root/**/*.json`` with a committed ``a/root -> /`` walked
the whole machine (and ended the run when a folder of ``/proc`` vanished meanwhile). Here a
pattern is matched one part at a time over a set of folders: a literal part (``..`` too) is
followed only while its real path stays in the root, a wildcard or ``**`` never enters a
symlinked folder (as discovery never does), and a folder that cannot be listed is skipped.
Each part costs at most one pass over the folders matched so far, so the work grows with
the tree and the pattern, never with what lies outside the root.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from pathlib import Path

_WILDCARD = re.compile(r"[*?\[]")


def glob_in_root(root: Path, pattern: str) -> list[Path]:
    """The paths under ``root`` (as ``root`` joined with the names matched) that ``pattern``
    names, sorted: files and anything else that is not a folder (a FIFO is kept, so reading
    it says why it is not read); nothing whose real path lies outside ``root``."""
    parts = [part for part in pattern.replace(os.sep, "/").split("/") if part not in ("", ".")]
    if not parts:
        return []  # "." or "/": the root itself, a folder
    real_root = os.path.realpath(root)
    # Folders matched so far: shown path -> real path (always inside the root).
    folders: dict[str, str] = {os.fspath(root): real_root}
    found: set[str] = set()
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            if index and parts[index - 1] == "**":
                continue  # "**/**" is "**"
            folders = dict(_descendants(folders))
            if last:
                return []  # "dir/**" names folders only: no job file
            continue
        matched: dict[str, str] = {}
        for shown, real in folders.items():
            for name, is_dir in _matches(real, part):
                shown_next, real_next = os.path.join(shown, name), os.path.join(real, name)
                if last:
                    real_next = os.path.realpath(real_next)  # a link to a file: where it goes
                    if _inside(real_next, real_root) and not os.path.isdir(real_next):
                        found.add(shown_next)
                    continue
                if not is_dir:
                    continue
                if _WILDCARD.search(part) is None:
                    real_next = os.path.realpath(real_next)  # a literal link or ".." followed
                    if not _inside(real_next, real_root) or not os.path.isdir(real_next):
                        continue
                matched.setdefault(shown_next, real_next)
        if last:
            break
        folders = matched
    return sorted(Path(path) for path in found)


def _matches(folder: str, part: str) -> Iterator[tuple[str, bool]]:
    """The names in ``folder`` that ``part`` matches, and whether each is a folder (a
    symlink counts as a folder only for a literal part, which the caller then resolves)."""
    if _WILDCARD.search(part) is None:
        path = os.path.join(folder, part)
        if os.path.lexists(path):
            yield part, os.path.isdir(path)
        return
    regex = re.compile(fnmatch.translate(part), re.IGNORECASE if os.name == "nt" else 0)
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if regex.match(entry.name):
                    try:
                        yield entry.name, entry.is_dir(follow_symlinks=False)
                    except OSError:
                        continue
    except OSError:
        return


def _descendants(folders: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Every folder in and below ``folders`` (what ``**`` matches), symlinked folders not
    entered, each real folder once."""
    seen: set[str] = set()
    stack = list(folders.items())
    while stack:
        shown, real = stack.pop()
        if real in seen:
            continue
        seen.add(real)
        yield shown, real
        try:
            with os.scandir(real) as entries:
                subfolders = [e.name for e in entries if _real_folder(e)]
        except OSError:
            continue
        stack += [(os.path.join(shown, n), os.path.join(real, n)) for n in subfolders]


def _real_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _inside(real: str, real_root: str) -> bool:
    try:
        return os.path.commonpath([real_root, real]) == real_root
    except ValueError:
        return False
