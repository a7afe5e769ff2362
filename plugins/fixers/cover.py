"""The ``cover`` fixer (unsafe: it crops): scale to fill the target, crop the overflow.

Chosen with ``--fix-mode cover``. ``--cover-anchor`` keeps the centre, an edge or corner,
a point given as fractions, or ``smart``: the window with the most edge energy, in the
spirit of libvips/sharp's ``attention``/``entropy`` crops.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sora_lint.config.options import OptionRegistry
from sora_lint.geometry import boxes
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Applicability, CheckContext, Diagnostic, Fix, Fixer, Settings

from . import resize

if TYPE_CHECKING:  # Pillow is imported only when a fix is applied, never to check
    from PIL import Image

NAME = "cover"
SMART = "smart"
_ANALYSIS_SIDE = 256  # smart crop looks at a thumbnail this long on its longer side


def parse_cover_anchor(raw: Any) -> str:
    """``centre``, an edge/corner, ``x,y`` fractions or ``smart``; normalised text."""
    if not isinstance(raw, str):
        raise ValueError(f"expected an anchor such as centre, top, 0.3,0.5 or smart, got {raw!r}")
    text = raw.strip().lower()
    if text == SMART:
        return text
    boxes.parse_anchor(text)
    return text


def anchor_of(text: str) -> boxes.Anchor:
    return boxes.CENTRE if text == SMART else boxes.parse_anchor(text)


def propose(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
    request = resize.resize_request(diagnostic, ctx, grow=False)
    if request is None:
        return None
    return cover_fix(*request, str(ctx.settings.get("cover-anchor") or "centre"))


@functools.lru_cache(maxsize=resize.REMEMBERED)
def cover_fix(src: boxes.Dim, target: boxes.Dim, anchor_text: str) -> Fix | None:
    """The cover fix from upright size ``src`` to ``target`` at ``anchor_text`` (pure);
    ``None`` for a tiny aspect miss, which the ``trim`` fix crops without resampling."""
    same = resize.same_aspect_fix(NAME, src, target)
    if same is not None:
        return same
    if boxes.trim_box(src, target) is not None:
        return None
    box = boxes.crop_box(src, target, anchor_of(anchor_text))
    kept = (box[2] - box[0], box[3] - box[1])
    if kept[0] < src[0]:
        cut = f"cuts {box[0]} px left and {src[0] - box[2]} px right"
    else:
        cut = f"cuts {box[1]} px top and {src[1] - box[3]} px bottom"
    where = "smart: most detailed region" if anchor_text == SMART else anchor_text
    scale = boxes.cover_scale(src, target)
    text = (
        f"cover: crop {src[0]}x{src[1]} to {kept[0]}x{kept[1]} ({where}) and scale to "
        f"{target[0]}x{target[1]}{resize.enlarging(scale)}; {cut}"
        + (" (for centre; smart decides when fixing)" if anchor_text == SMART else "")
    )  # fmt: skip
    floor = boxes.decode_floor(src, scale)
    data = resize.base_data(src, target, floor, scale, crop=box)
    data.update({"anchor": anchor_text})
    return Fix(NAME, Applicability.UNSAFE, text, data=data)


def _profile(edges: Image.Image, size: boxes.Dim) -> list[float]:
    """Mean edge energy per column (``size`` = (n, 1)) or row ((1, n)); the outermost two
    are zeroed, since the edge filter lights up the image's own border."""
    from PIL import Image

    values = [float(v) for v in edges.resize(size, Image.Resampling.BOX).tobytes()]
    for index in (0, 1, -2, -1):
        if len(values) > 4:
            values[index] = 0.0
    return values


def smart_anchor(image: Image.Image, target: boxes.Dim) -> boxes.Anchor:
    """Place the crop on the window with the most edge energy along the cropped axis."""
    from PIL import Image, ImageFilter

    scale = min(1.0, _ANALYSIS_SIDE / max(image.size))
    small = (max(1, round(image.size[0] * scale)), max(1, round(image.size[1] * scale)))
    grey = image.convert("L").resize(small, Image.Resampling.BILINEAR, reducing_gap=2.0)
    edges = grey.filter(ImageFilter.FIND_EDGES)
    region = boxes.crop_region(small, target)
    crop_w, crop_h = region[2] - region[0], region[3] - region[1]
    if crop_w < small[0]:  # too wide: slide horizontally over column energies
        window = max(1, round(crop_w))
        start = boxes.best_window(_profile(edges, (small[0], 1)), window)
        free = small[0] - window
        return (Fraction(start, free) if free > 0 else Fraction(1, 2)), Fraction(1, 2)
    if crop_h < small[1]:
        window = max(1, round(crop_h))
        start = boxes.best_window(_profile(edges, (1, small[1])), window)
        free = small[1] - window
        return Fraction(1, 2), (Fraction(start, free) if free > 0 else Fraction(1, 2))
    return boxes.CENTRE


def apply(image: Image.Image, fix: Fix, settings: Settings) -> Image.Image:
    if fix.data.get("same_aspect"):
        return resize.plain_resize(image, fix)
    target = resize.target_of(fix)
    src = resize.source_of(fix)
    anchor_text = str(fix.data.get("anchor") or "centre")
    anchor = smart_anchor(image, target) if anchor_text == SMART else anchor_of(anchor_text)
    region = boxes.crop_region(src, target, anchor)
    result = resize.resample(image, target, region, source=src)
    shown = anchor_text if anchor_text != SMART else (
        f"smart ({float(anchor[0]):.3f},{float(anchor[1]):.3f})")  # fmt: skip
    result.info["sora-lint"] = resize.applied(
        fix, crop_box=list(boxes.crop_box(src, target, anchor)), anchor=shown
    )
    return result


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    options.add("cover-anchor", "what --fix-mode cover keeps: centre, top, bottom-left, …, "
                "x,y fractions, or smart (the most detailed region)", default="centre",
                parse=parse_cover_anchor, metavar="ANCHOR", plugin=NAME)  # fmt: skip


@hookimpl
def sora_lint_register_fixers() -> Iterable[Fixer]:
    return [
        Fixer(NAME, Applicability.UNSAFE, "scale to fill the target and crop the overflow",
              propose=propose, apply=apply, pure=True)
    ]  # fmt: skip
