"""Where a fixed image goes: in place, into ``--fix-to DIR`` (mirroring the tree), or
nowhere (``--diff``); always checked, atomic, and skipped when the bytes are already there."""

from __future__ import annotations

import io
import os
from pathlib import Path

from sora_lint.filesystem.atomic import atomic_write
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
    changes), so repeated ``--fix-to`` runs are quiet too.
    """
    if settings.get("diff"):
        return None
    root = settings.get("fix-to")
    destination = mirror_path(Path(root), path) if root else path
    if root and destination.exists() and os.path.samefile(destination, path):
        raise ValueError(f"--fix-to {root} would overwrite the original {path}")
    if (
        destination.is_file()
        and destination.stat().st_size == len(data)
        and destination.read_bytes() == data
    ):
        return destination
    if root:
        destination.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(destination, data)
