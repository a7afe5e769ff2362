"""The ``trim`` fixer (safe): a tiny aspect miss loses its extra pixels, nothing else.

A 1281x720 image for a 1280x720 target is one column too wide. Letterboxing it would
resample the whole picture and add a one-pixel bar; cropping that column keeps every other
pixel as it is. When the crop takes at most ``boxes.TRIM_FRACTION`` of a side (or one
pixel), ``pad`` and ``cover`` step aside and this fix is the default: crop those pixels,
centred, and resize only if the size still differs (2562x1440 for 1280x720).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING

from sora_lint.geometry import boxes
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Applicability, CheckContext, Diagnostic, Fix, Fixer, Settings

from . import resize

if TYPE_CHECKING:  # Pillow is imported only when a fix is applied, never to check
    from PIL import Image

NAME = "trim"


def propose(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
    request = resize.resize_request(diagnostic, ctx, grow=False)
    return None if request is None else trim_fix(*request)


@functools.lru_cache(maxsize=resize.REMEMBERED)
def trim_fix(src: boxes.Dim, target: boxes.Dim) -> Fix | None:
    """The trim of upright size ``src`` for ``target``, or ``None`` when the miss is not tiny."""
    box = boxes.trim_box(src, target)
    if box is None:
        return None
    kept = (box[2] - box[0], box[3] - box[1])
    if kept[0] < src[0]:
        cut = f"{box[0]} px left and {src[0] - box[2]} px right"
    else:
        cut = f"{box[1]} px top and {src[1] - box[3]} px bottom"
    scale = boxes.cover_scale(kept, target)
    if kept == target:
        then = "no resampling"
    else:
        then = f"then resize to {target[0]}x{target[1]}{resize.enlarging(scale)}"
    text = f"trim: crop {cut} of {src[0]}x{src[1]} to {kept[0]}x{kept[1]}; {then}"
    data = resize.base_data(src, target, boxes.decode_floor(src, scale), scale, crop=box)
    return Fix(NAME, Applicability.SAFE, text, data=data)


def apply(image: Image.Image, fix: Fix, settings: Settings) -> Image.Image:
    src, target = resize.source_of(fix), resize.target_of(fix)
    left, top, right, bottom = (int(v) for v in fix.data["crop_box"])
    if image.size == src:  # decoded at full size: a plain crop, resampled only if needed
        cropped = image.crop((left, top, right, bottom))
        result = resize.resample(cropped, target, source=(right - left, bottom - top))
    else:  # decoded smaller (a JPEG draft): the same region of the source's pixels
        region = (Fraction(left), Fraction(top), Fraction(right), Fraction(bottom))
        result = resize.resample(image, target, region, source=src)
    result.info["sora-lint"] = resize.applied(fix, crop_box=[left, top, right, bottom])
    return result


@hookimpl
def sora_lint_register_fixers() -> Iterable[Fixer]:
    return [
        Fixer(NAME, Applicability.SAFE, "crop the few pixels of a tiny aspect-ratio miss",
              propose=propose, apply=apply, pure=True)
    ]  # fmt: skip
