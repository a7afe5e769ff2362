"""The ``orientation`` fixer (safe): bake the EXIF rotation into the pixels (SL006).

The pipeline already hands every fixer the upright image and writes orientation 1, so
applying this fix is choosing to rewrite the file; nothing else needs doing here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sora_lint.hookspecs import hookimpl
from sora_lint.types import (
    Applicability,
    CheckContext,
    Diagnostic,
    Fix,
    Fixer,
    ImageHeader,
    Settings,
    Size,
)

if TYPE_CHECKING:  # Pillow is imported only when a fix is applied, never to check
    from PIL import Image

NAME = "orientation"


def propose(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
    header = ctx.asset.header
    if diagnostic.code != "SL006" or header is None or header.orientation == 1:
        return None
    return orientation_fix(header.orientation, header.size.width, header.size.height)


@functools.lru_cache(maxsize=1024, typed=True)
def orientation_fix(orientation: int, width: int, height: int) -> Fix:
    """The fix for a stored ``width`` x ``height`` under ``orientation`` (pure: built once
    per distinct size)."""
    header = ImageHeader(Size(width, height), "RGB", orientation=orientation)
    text = (
        f"rotate the pixels upright (EXIF orientation {orientation} → 1): "
        f"{header.size} becomes {header.display_size}"
    )
    return Fix(NAME, Applicability.SAFE, text, data={"orientation": orientation})


def apply(image: Image.Image, fix: Fix, settings: Settings) -> Image.Image:
    return image  # upright already: the pipeline applied the orientation before any fixer


@hookimpl
def sora_lint_register_fixers() -> Iterable[Fixer]:
    return [
        Fixer(NAME, Applicability.SAFE, "bake the EXIF orientation into the pixels",
              propose=propose, apply=apply, pure=True)
    ]  # fmt: skip
