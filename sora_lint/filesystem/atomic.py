"""Replace a file so that a crash at any moment leaves it either original or whole and new.

The new bytes go to a hidden temporary file in the same folder (so ``os.replace`` is a
rename on one file system), are flushed and fsynced, take the original's permission bits,
then replace the original in one step; the folder is fsynced so the rename survives a power
cut. On any error the temporary file is removed and the original is untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

#: Every temporary file's name contains this; discovery must never treat one as an asset.
TEMP_MARKER = ".sora-lint-tmp-"

_MAX_NAME = 120  # keep ``.{name}{TEMP_MARKER}XXXXXXXX`` well under the 255-byte name limit


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


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path written.

    When ``path`` exists its permission bits (and, where allowed, its owner) are kept; a
    symbolic link is followed so the link stays a link and its target gets the new bytes.
    Raises ``OSError`` when the write fails, after removing the temporary file.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    try:
        original: os.stat_result | None = target.stat()
    except FileNotFoundError:
        original = None
    if original is not None and not stat.S_ISREG(original.st_mode):
        raise IsADirectoryError(f"{path} is not a regular file")
    fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(target), dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if original is not None:
            os.chmod(temp, stat.S_IMODE(original.st_mode))
            if hasattr(os, "chown") and (
                original.st_uid != os.getuid() or original.st_gid != os.getgid()
            ):
                with contextlib.suppress(OSError):
                    os.chown(temp, original.st_uid, original.st_gid)
        else:
            os.chmod(temp, _new_file_mode())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_dir(folder)
    return target
