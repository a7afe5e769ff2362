"""Where a fixed image goes: in place, into ``--fix-to DIR`` (mirroring the tree), or
nowhere (``--diff``); always checked, atomic, and skipped when the bytes are already there."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from sora_lint.cache.location import fix_temp_folder
from sora_lint.filesystem.atomic import atomic_write
from sora_lint.filesystem.paths import UnsafePath, link_in_tree, make_folders
from sora_lint.filesystem.reading import FileRefused, read_regular_file
from sora_lint.filesystem.tree import in_tree
from sora_lint.fix import imaging
from sora_lint.types import Settings


def mirror_path(root: Path, path: Path, cwd: Path | None = None) -> Path:
    """Where ``--fix-to root`` puts ``path``: its path relative to the working directory (or,
    outside it, its absolute path without the anchor) under ``root``."""
    absolute = Path(os.path.abspath(path))
    base = Path(os.path.abspath(cwd or Path.cwd()))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        relative = Path(*absolute.parts[1:])
    return root / relative


def verify(data: bytes, fmt: str, size: tuple[int, int]) -> None:
    """Re-read the encoded header: the bytes about to replace a file must be that image."""
    with imaging.open_image(io.BytesIO(data)) as check:
        if check.format != fmt:
            raise ValueError(f"encoded image reads back as {check.format}, expected {fmt}")
        if check.size != size:
            raise ValueError(f"encoded image reads back as {check.size}, expected {size}")


def write_fixed(path: Path, data: bytes, settings: Settings) -> Path | None:
    """Write ``data`` for the asset at ``path``; return where, or ``None`` for a dry run.

    A destination that already holds exactly these bytes is left alone (not even its mtime
    changes), so repeated ``--fix-to`` runs are quiet too. Nothing is written through a
    symlink: a symlink checked in place is not rewritten (the file it points to is, when the
    run checks it), a fix in place must lie in the run's tree (a symlinked folder on the way
    does not count), a symlink at a ``--fix-to`` destination is replaced, and a copy is
    refused when a symlink in the repository or inside DIR would take it elsewhere. Raises
    ``OSError`` with the reason.
    """
    if settings.get("diff"):
        return None
    project = settings.get("root")  # absent only when a program builds its own settings
    root = settings.get("fix-to")
    if root:
        base = Path(root)
        destination = mirror_path(base, path)
        link = link_in_tree(base / "_", project) if project else None
        if link is not None:
            raise UnsafePath(f"--fix-to {root}: {link} is a symbolic link in the repository")
        if _regular(destination) and os.path.samefile(destination, path):
            raise ValueError(f"--fix-to {root} would overwrite the original {path}")
    else:
        destination = path
        if os.path.islink(path):
            raise UnsafePath(f"{path} is a symbolic link: fix the file it points to instead")
        if not in_tree(path.parent, settings):
            raise UnsafePath(f"{path} is outside the tree of this run (through a symlinked folder)")
    if _holds(destination, data):
        return destination
    if root:
        make_folders(destination.parent, Path(root))
        return atomic_write(destination, data)
    return atomic_write(destination, data, temp_folder=fix_temp_folder(settings))


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file (not a link) holding exactly ``data``."""
    if not _regular(path):
        return False
    try:
        return read_regular_file(path, len(data), follow_symlinks=False) == data
    except (FileRefused, OSError):
        return False
