"""The ``crop_bounds`` suggestion (display-only): for SL001, the crop with the target's
aspect ratio as fractions and pixels, for any cropper to use; never written.

Azure OpenAI's Sora preview took a ``crop_bounds`` object with exactly these four
fractions; OpenAI's Sora 2 API has no crop parameter, so the file itself must be right.
Computed from the header alone (check mode never decodes), on the upright image, at the
``--cover-anchor`` (``smart`` needs pixels: the suggestion is then centred).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sora_lint.geometry import boxes
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Applicability, CheckContext, Diagnostic, Fix, Fixer

from . import resize

NAME = "crop_bounds"


def _anchor(text: str) -> tuple[boxes.Anchor, str]:
    try:
        return boxes.parse_anchor(text), text
    except ValueError:
        return boxes.CENTRE, "centre"  # smart, or an anchor another plugin understands


def propose(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
    header, target = ctx.asset.header, ctx.target
    if diagnostic.code not in resize.SIZE_CODES or header is None or target is None:
        return None
    if target.size is None:
        return None
    shown = resize.upright(header)
    wanted = resize.fix_target(target, shown, grow=False)  # a crop: the size cover makes
    if wanted is None:
        return None
    return crop_bounds_fix(
        shown, wanted, str(ctx.settings.get("cover-anchor") or "centre"), header.orientation != 1
    )


@functools.lru_cache(maxsize=1024)
def crop_bounds_fix(src: boxes.Dim, dst: boxes.Dim, anchor_text: str, rotated: bool) -> Fix:
    """The suggestion for an upright ``src`` and a target ``dst`` (pure: built once per
    distinct size, as a folder of photos holds few)."""
    anchor, anchor_name = _anchor(anchor_text)
    bounds = boxes.crop_bounds(src, dst, anchor)
    left, top, right, bottom = bounds.box
    f = bounds.fractions()
    scale = boxes.cover_scale((right - left, bottom - top), dst)
    then = (
        f"then resize to {dst[0]}x{dst[1]}{resize.enlarging(scale)}"
        if bounds.resize_after_crop
        else "no resize needed"
    )
    upright = " of the upright image" if rotated else ""
    if (left, top, right, bottom) == (0, 0, *src):
        text = f"crop_bounds{upright}: no crop needed (same aspect ratio); {then}"
    else:
        text = _describe(upright, anchor_name, f, bounds.box, then)
    fields = {
        "crop_bounds": f,
        "crop_box": {"left": left, "top": top, "right": right, "bottom": bottom},
        "resize_after_crop": bounds.resize_after_crop,
    }
    data = {"anchor": anchor_name, "result_size": list(dst), "crop_box": list(bounds.box),
            "scale": float(scale)}  # fmt: skip
    return Fix(NAME, Applicability.DISPLAY_ONLY, text, data=data, report_fields=fields)


def _describe(
    upright: str, anchor: str, f: dict[str, float], box: tuple[int, int, int, int], then: str
) -> str:
    left, top, right, bottom = box
    return (
        f"crop_bounds{upright} ({anchor}): left {f['left_fraction']:g}, top "
        f"{f['top_fraction']:g}, right {f['right_fraction']:g}, bottom "
        f"{f['bottom_fraction']:g} = box ({left}, {top}, {right}, {bottom}) "
        f"{right - left}x{bottom - top}; {then}"
    )


@hookimpl
def sora_lint_register_fixers() -> Iterable[Fixer]:
    return [
        Fixer(NAME, Applicability.DISPLAY_ONLY,
              "suggest a crop box with the target's aspect ratio (crop_bounds)", propose=propose,
              pure=True)
    ]  # fmt: skip
