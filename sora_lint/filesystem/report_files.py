"""Write a file the user asked for (a report, the baseline) where the repository cannot
redirect it: atomically, replacing a symlink at the path, and refusing a path that passes
through a symlink inside the project root."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sora_lint.filesystem.atomic import atomic_write, writing_text
from sora_lint.filesystem.paths import UnsafePath, is_device_path, link_in_tree


def write_text_file(path: Path, write: Callable[[TextIO], object], root: Path) -> None:
    """Create ``path``'s folders and write it with ``write(stream)``.

    A path under ``/dev/`` or ``/proc/`` (``/dev/stdout``) is written into directly. Raises
    ``OSError`` (:class:`~sora_lint.filesystem.paths.UnsafePath` for a symlink on the way).
    """
    if not is_device_path(path):
        link = link_in_tree(path, root)
        if link is not None:
            raise UnsafePath(f"{link} is a symbolic link in the repository; not followed")
        path.parent.mkdir(parents=True, exist_ok=True)
    with writing_text(path) as stream:
        write(stream)


def write_binary_file(path: Path, data: bytes, root: Path) -> None:
    """:func:`write_text_file` for bytes already made (the baseline)."""
    if not is_device_path(path):
        link = link_in_tree(path, root)
        if link is not None:
            raise UnsafePath(f"{link} is a symbolic link in the repository; not followed")
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        return
    with open(path, "wb") as stream:
        stream.write(data)
