"""Replace a file so that a crash at any moment leaves it either original or whole and new.

The one writer of sora-lint: fixed images, ``--fix-to`` copies, report files, the baseline
and the cache all go through :func:`replacing`. The new bytes go to a temporary file in the
same folder (so ``os.replace`` is a rename on one file system), are flushed and fsynced,
take the original's permission bits, then replace the original in one step; the folder is
fsynced so the rename survives a power cut. On any error the temporary file is removed and
the original is untouched.

A symbolic link at the destination is **replaced, never written through**: the repository
may hold ``report.sarif -> ~/.bashrc``. A run killed while writing leaves a hidden
``.NAME.sora-lint-tmp-XXXXXXXX``: a fix in place makes it in the cache's ``tmp`` folder
(which git ignores) when that is on the same file system, and the next run removes the ones
older than an hour (:func:`remove_stale_temp`) there and beside the images it walks.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

#: Every temporary file's name contains this; discovery must never treat one as an asset.
TEMP_MARKER = ".sora-lint-tmp-"

_MAX_NAME = 120  # keep ``.{name}{TEMP_MARKER}XXXXXXXX`` well under the 255-byte name limit
#: Exactly the names :func:`temp_prefix` and mkstemp make (8 letters, digits or ``_``).
_TEMP_NAME = re.compile(rf"\..{{1,{_MAX_NAME * 4}}}{re.escape(TEMP_MARKER)}[a-z0-9_]{{8}}")
#: A temporary file older than this belongs to a run that was killed: the next run removes it.
STALE_TEMP_SECONDS = 3600


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one of our temporary files (hidden, no image extension)."""
    return name.startswith(".") and TEMP_MARKER in name


def temp_prefix(target: Path) -> str:
    """``.{name}.sora-lint-tmp-``: starts with a dot and ends with random letters, so the name
    is hidden and never ends with an image extension."""
    return f".{target.name[:_MAX_NAME]}{TEMP_MARKER}"


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; a no-op where folders cannot be opened (Windows)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _new_file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file (0o666 minus the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _existing(path: Path) -> os.stat_result | None:
    """The regular file being replaced (its mode is kept), or ``None`` (nothing, or a link:
    a link is replaced by a new file, never followed)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return None
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(f"{path} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise IsADirectoryError(f"{path} is not a regular file")
    return info


@contextlib.contextmanager
def replacing(path: Path, temp_folder: Path | None = None) -> Iterator[BinaryIO]:
    """Yield a binary handle; when the block ends without error, what was written replaces
    ``path`` atomically (a symlink there is replaced, not followed). On an error or an
    interrupt nothing changes and the temporary file is removed.

    :param temp_folder: where to make the temporary file when it is on ``path``'s file
        system (the cache's ``tmp`` folder, which git ignores); else beside ``path``.
    Raises ``OSError`` (``IsADirectoryError`` for a folder or device at ``path``).
    """
    original = _existing(path)
    folder = path.parent
    if temp_folder is None or not _same_device(temp_folder, folder):
        temp_folder = folder
    import tempfile  # only runs that write something need it: kept out of start-up

    fd, name = tempfile.mkstemp(prefix=temp_prefix(path), dir=temp_folder)
    temp: str | None = name
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            mode = stat.S_IMODE(original.st_mode) if original is not None else _new_file_mode()
            _set_mode(handle.fileno(), name, mode)
            if original is not None:
                _keep_owner(handle.fileno(), original)
        try:
            os.replace(name, path)
        except OSError as exc:  # another mount of the same device: move it beside first
            if exc.errno != errno.EXDEV or temp_folder == folder:
                raise
            temp = _copy_beside(name, path)
            os.unlink(name)
            os.replace(temp, path)
        temp = None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    _fsync_dir(folder)


def _keep_owner(fd: int, original: os.stat_result) -> None:
    """Give the new file the original's owner where this process may (root, or its group)."""
    if hasattr(os, "fchown") and (original.st_uid, original.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):
            os.fchown(fd, original.st_uid, original.st_gid)


def _same_device(one: Path, other: Path) -> bool:
    try:
        return os.stat(one).st_dev == os.stat(other).st_dev
    except OSError:
        return False


def _copy_beside(temp: str, path: Path) -> str:
    """A copy of ``temp`` (its mode too) as a temporary file beside ``path``."""
    import shutil
    import tempfile

    fd, name = tempfile.mkstemp(prefix=temp_prefix(path), dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(temp, "rb") as source:
            shutil.copyfileobj(source, out)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(temp, name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return name


def _set_mode(fd: int, name: str, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # pragma: no cover - Windows before Python 3.13
        os.chmod(name, mode)


def atomic_write(path: Path, data: bytes, temp_folder: Path | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`replacing`) and return ``path``.

    When ``path`` is a regular file its permission bits (and, where allowed, its owner) are
    kept; a symbolic link is replaced by the new file, never followed. Raises ``OSError``
    when the write fails, after removing the temporary file.
    """
    with replacing(path, temp_folder) as handle:
        handle.write(data)
    return path


def remove_stale_temp(folder: str, name: str, now: float | None = None) -> bool:
    """Remove ``folder/name`` if it is a temporary file of ours left by a killed run: our
    exact name pattern, a regular file (never a link), older than an hour (a live run's is
    seconds old). Returns whether it was removed."""
    if not _TEMP_NAME.fullmatch(name):
        return False
    path = os.path.join(folder, name)
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            return False
        if (now if now is not None else time.time()) - info.st_mtime < STALE_TEMP_SECONDS:
            return False
        os.unlink(path)
    except OSError:
        return False
    return True


_ERRORS = "backslashreplace"


@contextlib.contextmanager
def writing_text(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file written through :func:`replacing` (report files, the baseline).

    A path the user gave under ``/dev/`` or ``/proc/`` (``/dev/stdout``, a shell's ``>(…)``)
    is a stream, not a file: it is written into directly. A lone surrogate (a file name's
    byte that is not UTF-8) is written as ``\\udcff``: valid UTF-8, and inside a JSON string
    the escape JSON itself uses.
    """
    from sora_lint.filesystem.paths import is_device_path

    if is_device_path(path):
        with open(path, "w", encoding="utf-8", errors=_ERRORS, newline="\n") as stream:
            yield stream
        return
    with replacing(path) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", errors=_ERRORS, newline="\n")
        try:
            yield text
            text.flush()
        finally:
            text.detach()
