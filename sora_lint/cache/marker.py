"""What makes a folder sora-lint's cache: the one definition the cache and ``clean`` share.

A folder is sora-lint's cache only if it is a real directory (not a symlink) holding a
regular file ``CACHEDIR.TAG`` whose first line is the Cache Directory Tagging signature and
whose second line contains ``sora-lint``. Nothing that lacks this marker is ever deleted or
rewritten: a ``cache-dir`` that names someone else's folder is refused, not pruned.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sora_lint.filesystem.atomic import TEMP_MARKER, atomic_write
from sora_lint.filesystem.reading import FileRefused, read_regular_file

TAG_NAME = "CACHEDIR.TAG"
#: https://bford.info/cachedir/ — backup tools skip a folder holding this tag.
SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
TAG_TEXT = f"{SIGNATURE}\n# sora-lint cache; see README\n"
GITIGNORE_TEXT = "# Created by sora-lint automatically.\n*\n"
README_TEXT = "Cache of sora-lint (https://pypi.org/project/sora-lint/); safe to delete.\n"
_TAG_LIMIT = 4096


def is_real_folder(folder: Path) -> bool:
    """A directory that is not a symlink."""
    try:
        return stat.S_ISDIR(os.lstat(folder).st_mode)
    except (OSError, ValueError):
        return False


def is_cache_folder(folder: Path) -> bool:
    """Whether ``folder`` carries sora-lint's cache marker (see the module docstring)."""
    if not is_real_folder(folder):
        return False
    try:
        data = read_regular_file(folder / TAG_NAME, _TAG_LIMIT, follow_symlinks=False)
    except (FileRefused, OSError):
        return False
    return is_tag_text(data)


def is_tag_text(data: bytes) -> bool:
    """Whether ``data`` (the start of a ``CACHEDIR.TAG``) is the tag sora-lint writes."""
    lines = data.decode("utf-8", "replace").splitlines()
    return len(lines) >= 2 and lines[0].strip() == SIGNATURE and "sora-lint" in lines[1]


def is_empty_folder(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except OSError:
        return False


def mark(folder: Path) -> None:
    """Make ``folder`` (a real, empty or already marked directory) sora-lint's cache: the tag
    first, then a ``.gitignore`` of ``*`` (never committed by accident) and a README."""
    atomic_write(folder / TAG_NAME, TAG_TEXT.encode())
    atomic_write(folder / ".gitignore", GITIGNORE_TEXT.encode())
    atomic_write(folder / "README", README_TEXT.encode())


def claim(top: Path) -> bool:
    """Make ``top`` the cache (create and mark it) unless it is already; ``False`` when it
    turned out to be someone else's folder (then nothing is written there)."""
    if not os.path.lexists(top):
        _create_marked(top)
    if is_cache_folder(top):
        return True
    if is_empty_folder(top) and not os.path.islink(top):
        mark(top)
        return True
    return False


def _create_marked(top: Path) -> None:
    """Create ``top`` already marked: the folder is built under a temporary name beside it
    and renamed into place, so a concurrent run (pre-commit starts one per CPU) sees either
    no folder or a marked one, never a half-marked folder it would have to refuse. When
    another run's rename wins, ours fails and its folder is used."""
    import shutil  # only a run that creates the cache needs these: 2.6 ms of start-up
    import tempfile

    top.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{top.name}{TEMP_MARKER}", dir=top.parent))
    try:
        mark(temp)
        os.rename(temp, top)
    except OSError:
        pass  # another run made it first (or the folder cannot be written): use what is there
    finally:
        if os.path.lexists(temp):
            shutil.rmtree(temp, ignore_errors=True)
