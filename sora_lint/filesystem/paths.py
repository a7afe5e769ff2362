"""Where a write may go: inside a folder, and never through a symlink the repository holds.

A repository can commit symlinks (``reports -> /home/me/.config``) and a file of it can be
named like anything; the paths a user gives (``--output``, ``--fix-to``, ``--baseline``) are
trusted, the links a write would pass on the way there are not.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Paths the user names to reach a stream (``/dev/stdout``, a shell's ``>(…)`` as
#: ``/dev/fd/63``): written into directly, never replaced. A repository cannot put files there.
DEVICE_PREFIXES = ("/dev/", "/proc/")


class UnsafePath(OSError):
    """A write refused because of where it would land; the message says why."""


def is_inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether ``path``, every symlink followed, lies in ``root`` (also followed).

    False when it cannot be told (a path too long, an embedded NUL).
    """
    try:
        real_root = os.path.realpath(root)
        real = os.path.realpath(path)
        return os.path.commonpath([real_root, real]) == real_root
    except (OSError, ValueError):
        return False


def is_device_path(path: str | os.PathLike[str]) -> bool:
    """Whether the user named a stream or device (``/dev/stdout``) rather than a file."""
    text = os.path.abspath(os.fspath(path))
    return os.name == "posix" and text.startswith(DEVICE_PREFIXES)


def link_in_tree(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """The first symlink on the way to ``path``'s folder that lies in the tree under ``root``.

    The file itself is not looked at (a write replaces it); a symlink outside the tree (such
    as macOS's ``/tmp``) is the machine's, not the repository's. ``..`` is followed as the
    system does. Returns ``None`` when the way is clear.
    """
    try:
        real_root = os.path.realpath(root)
        parts = Path(os.path.join(os.getcwd(), os.fspath(path))).parts[:-1]
    except (OSError, ValueError):
        return None
    current = ""
    for part in parts:
        current = os.path.join(current, part) if current else part
        if part == ".." or not os.path.islink(current):
            continue
        if is_inside(os.path.dirname(current), real_root):
            return current
    return None


def make_folders(folder: Path, base: Path) -> None:
    """Create ``folder`` and its missing parents below ``base``, never through a symlink.

    ``base`` itself must exist or be creatable as the user named it. Raises
    :class:`UnsafePath` when a component below ``base`` is a symlink or not a folder.
    """
    base.mkdir(parents=True, exist_ok=True)
    try:
        relative = folder.relative_to(base)
    except ValueError:
        raise UnsafePath(f"{folder} is not inside {base}") from None
    current = base
    for part in relative.parts:
        if part in ("..", "."):
            raise UnsafePath(f"{folder}: no '..' below {base}")
        current = current / part
        try:
            current.mkdir()
        except FileExistsError:
            if current.is_symlink():
                raise UnsafePath(f"{current} is a symbolic link; not followed") from None
            if not current.is_dir():
                raise UnsafePath(f"{current} is not a folder") from None
