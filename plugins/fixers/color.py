"""Colour fixers: ``convert`` (safe) rewrites CMYK/16-bit/palette images as 8-bit sRGB
(SL008); ``flatten`` (unsafe, only with ``--flatten``) drops transparency onto the pad
colour (SL009).

Any rewrite already converts to 8-bit (the pipeline does it before a fixer runs), so
``convert`` only makes SL008 alone a reason to rewrite.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sora_lint.hookspecs import hookimpl
from sora_lint.types import Applicability, CheckContext, Diagnostic, Fix, Fixer, Settings

if TYPE_CHECKING:  # Pillow is imported only when a fix is applied, never to check
    from PIL import Image


def propose_convert(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
    header = ctx.asset.header
    if diagnostic.code != "SL008" or header is None:
        return None
    target = "RGBA" if header.has_alpha else ("L" if header.mode in ("1", "L", "I;16",
              "I;16B", "I;16L", "I") else "RGB")  # fmt: skip
    text = f"convert {header.mode} ({header.bits}-bit) to 8-bit {target}"
    if header.mode == "CMYK":
        text += " (sRGB, through the embedded ICC profile when there is one)"
    return Fix("convert", Applicability.SAFE, text, data={"mode": target})


def apply_convert(image: Image.Image, fix: Fix, settings: Settings) -> Image.Image:
    return image  # converted already: the pipeline makes every image 8-bit before fixers run


def propose_flatten(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
    if diagnostic.code != "SL009":
        return None
    colour = str(ctx.settings.get("pad-color") or "black")
    onto = "black" if colour == "blur" else colour
    return Fix("flatten", Applicability.UNSAFE, f"flatten transparency onto {onto}",
               data={"opt_in": "flatten", "colour": onto})  # fmt: skip


def apply_flatten(image: Image.Image, fix: Fix, settings: Settings) -> Image.Image:
    from sora_lint.fix import imaging

    return imaging.flatten(image, str(fix.data.get("colour") or "black"))


@hookimpl
def sora_lint_register_fixers() -> Iterable[Fixer]:
    return [
        Fixer("convert", Applicability.SAFE, "convert to 8-bit sRGB (CMYK, 16-bit, palette)",
              propose=propose_convert, apply=apply_convert, pure=True),
        Fixer("flatten", Applicability.UNSAFE, "flatten transparency onto the pad colour",
              propose=propose_flatten, apply=apply_flatten, pure=True),
    ]  # fmt: skip
