"""Where the fix previews of the HTML report put things: pure arithmetic, no Pillow.

The boxes come from the fixes attached to a diagnostic when a fixer proposed one (so the page
shows what ``--fix`` would do), else from :mod:`sora_lint.boxes.boxes` with the same defaults.
The page draws them with CSS percentages over a single thumbnail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sora_lint.geometry import boxes
from sora_lint.types import Diagnostic, Fix, Size

_COLOUR = re.compile(r"^(#[0-9a-f]{3,8}|[a-z]{1,30}|rgba?\([0-9., %]{1,40}\))$")


@dataclass(frozen=True)
class Previews:
    """The boxes of one asset's previews, in upright source / target pixels. The pad and
    cover previews each show the size their own fix makes (for a profile that takes a range
    of sizes, pad adds canvas and cover crops: two different sizes)."""

    source: boxes.Dim
    target: boxes.Dim  # the size the pad fix makes
    pad_box: boxes.Box  # where the fitted picture sits inside the target
    pad_fill: str  # a CSS colour, or "blur"
    cover_box: boxes.Box  # the part of the source that cover keeps
    crop_bounds: dict[str, float]
    cover_target: boxes.Dim | None = None  # the size the cover fix makes (else ``target``)


def css_colour(raw: object) -> str:
    """A fill the page may put in a style attribute: a safe CSS colour, ``blur`` or black."""
    text = str(raw or "").strip().lower()
    return text if text == "blur" or _COLOUR.match(text) else "black"


def _box(raw: Any) -> boxes.Box | None:
    """A box from fix data: a 4-list or a {left, top, right, bottom} mapping."""
    try:
        if isinstance(raw, Mapping):
            raw = [raw["left"], raw["top"], raw["right"], raw["bottom"]]
        left, top, right, bottom = (int(v) for v in raw)
    except (KeyError, TypeError, ValueError):
        return None
    return (left, top, right, bottom) if 0 <= left < right and 0 <= top < bottom else None


def _inside(box: boxes.Box | None, size: boxes.Dim) -> boxes.Box | None:
    return box if box is not None and box[2] <= size[0] and box[3] <= size[1] else None


def _anchor(text: str) -> boxes.Anchor:
    try:
        return boxes.parse_anchor(text)
    except ValueError:
        return boxes.CENTRE  # "smart" needs pixels: the preview shows the centre


def target_of(diagnostics: Iterable[Diagnostic]) -> Size | None:
    """The target size the asset's diagnostics name (SL001 first)."""
    found = [d for d in diagnostics if d.target is not None]
    found.sort(key=lambda d: d.code != "SL001")
    return found[0].target if found else None


def previews(
    shown: Size, target: Size, diagnostics: Iterable[Diagnostic], settings: Mapping[str, Any]
) -> Previews:
    """The pad, cover and crop_bounds boxes for an upright image of size ``shown``."""
    src = (shown.width, shown.height)
    fixes = {fix.fixer: fix for d in diagnostics for fix in reversed(d.fixes)}
    pad = fixes.get("pad")
    cover = fixes.get("cover") or fixes.get("trim")  # a tiny miss is trimmed, not covered
    bounds = fixes.get("crop_bounds")
    dst = _size_of(pad) or (target.width, target.height)
    cover_dst = _size_of(cover) or _size_of(bounds) or dst
    anchor_text = str(settings.get("cover-anchor") or "centre")
    if cover is not None:
        anchor_text = str(cover.data.get("anchor") or anchor_text)
    anchor = _anchor(anchor_text)
    pad_box = _inside(_box(pad.data.get("box")) if pad else None, dst)
    cover_box = _inside(_box(cover.data.get("crop_box")) if cover else None, src)
    suggestion = bounds.report_fields.get("crop_bounds") if bounds else None
    fill = (pad.data.get("fill") if pad else None) or settings.get("pad-color")
    return Previews(
        source=src,
        target=dst,
        pad_box=pad_box or boxes.letterbox(src, dst),
        pad_fill=css_colour(fill),
        cover_box=cover_box or boxes.crop_box(src, cover_dst, anchor),
        crop_bounds=(
            {str(k): float(v) for k, v in suggestion.items() if isinstance(v, int | float)}
            if isinstance(suggestion, Mapping)
            else boxes.crop_bounds(src, cover_dst, anchor).fractions()
        ),
        cover_target=cover_dst,
    )


def _size_of(fix: Fix | None) -> boxes.Dim | None:
    """The size a fix says it makes, when it says one."""
    size = fix.result_size if fix is not None else None
    return None if size is None else (size.width, size.height)


def percent(part: float, whole: float) -> str:
    """A CSS percentage with four decimals (``whole`` is never zero for a valid size)."""
    return f"{100 * part / whole:.4f}%"
