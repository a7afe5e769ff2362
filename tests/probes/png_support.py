"""A helper of the PNG prober tests: a small blank image of a mode, saved by Pillow with the
given options (transparency, EXIF), so the prober is checked on what Pillow itself writes."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def save_blank(path: Path, mode: str, **save: object) -> Path:
    Image.new(mode, (7, 5)).save(path, **save)  # type: ignore[arg-type]
    return path
