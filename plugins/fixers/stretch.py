"""The ``stretch`` fixer (unsafe: it distorts): resize ignoring the aspect ratio.

Applied only when chosen with ``--fix-mode stretch``; never a default. A same-aspect
resize is safe and identical in every mode.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sora_lint.geometry import boxes
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Applicability, CheckContext, Diagnostic, Fix, Fixer, Settings

from . import resize

if TYPE_CHECKING:  # Pillow is imported only when a fix is applied, never to check
    from PIL import Image

NAME = "stretch"


def propose(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
    request = resize.resize_request(diagnostic, ctx, grow=False)
    return None if request is None else stretch_fix(*request)


@functools.lru_cache(maxsize=resize.REMEMBERED)
def stretch_fix(src: boxes.Dim, target: boxes.Dim) -> Fix:
    """The stretch fix from upright size ``src`` to ``target`` (pure)."""
    same = resize.same_aspect_fix(NAME, src, target)
    if same is not None:
        return same
    sx, sy = target[0] / src[0], target[1] / src[1]
    scale = boxes.fix_scale(src, target, NAME)
    text = (
        f"stretch: resize {src[0]}x{src[1]} to {target[0]}x{target[1]}{resize.enlarging(scale)} "
        f"ignoring the aspect ratio (x{sx:.3g} wide, x{sy:.3g} high: shapes distort)"
    )
    data = resize.base_data(src, target, target, scale)
    return Fix(NAME, Applicability.UNSAFE, text, data=data)


def apply(image: Image.Image, fix: Fix, settings: Settings) -> Image.Image:
    return resize.plain_resize(image, fix)


@hookimpl
def sora_lint_register_fixers() -> Iterable[Fixer]:
    return [
        Fixer(NAME, Applicability.UNSAFE, "resize to the target ignoring the aspect ratio",
              propose=propose, apply=apply, pure=True)
    ]  # fmt: skip
