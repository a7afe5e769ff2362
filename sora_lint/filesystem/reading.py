"""Read a file the repository controls: a regular file, at most a known number of bytes.

A ``.gitignore``, a config file, a baseline, a cache bucket or a job file may be a FIFO
(opening it would wait forever), a symlink to ``/dev/zero`` (reading it never ends) or simply
huge. Each of them is refused with a reason before a byte is read, so the caller turns it
into a clear message instead of a hang or a ``MemoryError``.
"""

from __future__ import annotations

import os
import stat
from typing import Any

_BASE_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the stat opens without waiting
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CHUNK = 1 << 20


class FileRefused(Exception):
    """A file that is not read, and why (``reason`` reads after the path: "is a FIFO …")."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(f"{os.fspath(path)} {reason}")
        self.path = os.fspath(path)
        self.reason = reason


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words, for messages."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _refusal(mode: int) -> str:
    kind = kind_of(mode)
    return f"is {kind}, not a regular file" if kind.startswith("a ") else f"is {kind}"


def read_regular_file(
    path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True
) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    The file is checked before it is opened (a device is never opened) and again once open
    (it may have been swapped); it is read in chunks up to ``limit + 1`` bytes so a file that
    grows meanwhile is refused too. With ``follow_symlinks=False`` a symlink is refused.

    Raises :class:`FileRefused` with the reason; ``FileNotFoundError`` when it does not exist.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name) if follow_symlinks else os.lstat(name)
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise FileRefused(name, f"cannot be read: {_reason(exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(name, _refusal(info.st_mode))
    if info.st_size > limit:
        raise FileRefused(name, f"is larger than {limit:,} bytes; not read")
    flags = _BASE_FLAGS | (0 if follow_symlinks else _NOFOLLOW)
    try:
        fd = os.open(name, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileRefused(name, f"cannot be read: {_reason(exc)}") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise FileRefused(name, _refusal(opened.st_mode))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise FileRefused(name, f"cannot be read: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise FileRefused(name, f"is larger than {limit:,} bytes; not read")
    return b"".join(chunks)


def read_optional_file(
    path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True
) -> bytes | None:
    """:func:`read_regular_file`, or ``None`` when the file does not exist."""
    try:
        return read_regular_file(path, limit, follow_symlinks=follow_symlinks)
    except FileNotFoundError:
        return None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def hash_regular_file(path: str | os.PathLike[str], digest: Any) -> bool:
    """Feed the bytes of ``path`` to ``digest`` (a hashlib object) if it is a regular file
    (symlinks followed); ``False`` when it is not one or cannot be read. Never blocks on a
    FIFO; reads in bounded chunks, as long as the regular file is."""
    name = os.fspath(path)
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):
            return False
        fd = os.open(name, _BASE_FLAGS)
    except (OSError, ValueError):
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True
