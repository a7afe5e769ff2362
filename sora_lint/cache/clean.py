"""``sora-lint clean``: remove the cache folder, and nothing that is not one.

The folder comes from settings a repository controls (``cache-dir``), so it is removed only
when it is a real directory, never a symbolic link, holding the ``CACHEDIR.TAG`` sora-lint
writes: a regular file whose first line is the cache-directory signature and whose second
line names sora-lint. Where the platform allows it, every check and the removal go through
file descriptors of the parent folder, so the folder cannot be swapped for a link between
the check and the removal.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from sora_lint.cache.marker import SIGNATURE, is_tag_text
from sora_lint.cache.marker import TAG_NAME as TAG
from sora_lint.types import Settings

__all__ = ["SIGNATURE", "TAG", "NotACache", "cache_folder", "is_marked", "remove_cache"]

DEFAULT_FOLDER = ".sora-lint-cache"
_TAG_BYTES = 512


class NotACache(Exception):
    """The folder is not sora-lint's cache; the message says why (after the folder's name),
    and nothing was removed."""


def cache_folder(settings: Settings, cwd: Path) -> Path:
    """Where a run with ``settings`` keeps its cache: ``cache-dir`` relative to the working
    folder when given on the command line, else to the project root."""
    base = cwd if "cache-dir" in settings.get("cli-keys", ()) else Path(settings["root"])
    return base / str(settings.get("cache-dir") or DEFAULT_FOLDER)


def is_marked(read: Callable[[], bytes]) -> bool:
    """Whether ``read()`` (the first bytes of a ``CACHEDIR.TAG``) is sora-lint's tag (the one
    definition: :mod:`sora_lint.cache.marker`)."""
    return is_tag_text(read())


def remove_cache(folder: Path) -> bool:
    """Remove ``folder`` if it is sora-lint's cache; ``False`` when there is none.

    :raises NotACache: it exists but is a link, not a folder, or carries no sora-lint tag.
    :raises OSError: it could not be removed (then what remains is still a cache or gone).
    """
    import shutil  # only `sora-lint clean` needs it: 1.8 ms of every run's start-up

    fd_safe = (
        os.open in os.supports_dir_fd
        and os.stat in os.supports_dir_fd
        and shutil.rmtree.avoids_symlink_attacks
        and hasattr(os, "O_DIRECTORY")
        and hasattr(os, "O_NOFOLLOW")
    )
    return _remove_by_fd(folder) if fd_safe else _remove_by_path(folder)


def _remove_by_fd(folder: Path) -> bool:
    nofollow = os.O_NOFOLLOW | os.O_DIRECTORY | os.O_RDONLY
    try:
        parent = os.open(folder.parent, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return False
    try:
        try:
            found = os.stat(folder.name, dir_fd=parent, follow_symlinks=False)
        except FileNotFoundError:
            return False
        _refuse_unless_folder(found.st_mode)
        top = os.open(folder.name, nofollow, dir_fd=parent)
        try:
            if not os.path.samestat(found, os.fstat(top)):
                raise NotACache("changed while it was checked; not removed")
            if not _tag_in(top):
                raise NotACache(_UNMARKED)
        finally:
            os.close(top)
        _rmtree(folder.name, dir_fd=parent)
        return True
    finally:
        os.close(parent)


def _tag_in(folder_fd: int) -> bool:
    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(TAG, flags, dir_fd=folder_fd)
    except OSError:  # missing, a link (ELOOP), unreadable
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return is_marked(lambda: os.read(fd, _TAG_BYTES))
    finally:
        os.close(fd)


def _remove_by_path(folder: Path) -> bool:  # pragma: no cover - platforms without dir_fd
    try:
        found = os.lstat(folder)
    except FileNotFoundError:
        return False
    _refuse_unless_folder(found.st_mode)
    tag = folder / TAG
    try:
        regular = stat.S_ISREG(os.lstat(tag).st_mode)
    except OSError:
        regular = False
    if not regular:
        raise NotACache(_UNMARKED)
    with open(tag, "rb") as handle:
        if not is_marked(lambda: handle.read(_TAG_BYTES)):
            raise NotACache(_UNMARKED)
    _rmtree(folder)
    return True


def _rmtree(path: str | Path, dir_fd: int | None = None) -> None:
    import shutil

    shutil.rmtree(path, dir_fd=dir_fd)


def _refuse_unless_folder(mode: int) -> None:
    if stat.S_ISLNK(mode):
        raise NotACache("is a symbolic link; not removed")
    if not stat.S_ISDIR(mode):
        raise NotACache("is not a folder; not removed")


_UNMARKED = f"is not a sora-lint cache (it has no {TAG} written by sora-lint); not removed"
