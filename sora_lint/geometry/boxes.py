"""Pure geometry for the fixers: fit, letterbox, cover crop, crop_bounds and anchors.

Kept apart from Pillow so the arithmetic every fix depends on (exact output sizes, centred
boxes, the target's aspect ratio) is tested on its own, on integers and fractions only.
Sizes are ``(width, height)`` tuples of positive ints; boxes are ``(left, top, right,
bottom)`` in the source's pixel coordinates, as Pillow's ``crop``/``resize(box=...)`` take.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

Dim = tuple[int, int]
Box = tuple[int, int, int, int]
FracBox = tuple[Fraction, Fraction, Fraction, Fraction]
Anchor = tuple[Fraction, Fraction]

CENTRE: Anchor = (Fraction(1, 2), Fraction(1, 2))

_NAMED_X = {"left": Fraction(0), "right": Fraction(1)}
_NAMED_Y = {"top": Fraction(0), "bottom": Fraction(1)}
_CENTRE_NAMES = {"centre", "center", "middle"}


def _check(size: Dim, what: str) -> None:
    if size[0] < 1 or size[1] < 1:
        raise ValueError(f"{what} must be at least 1x1, got {size[0]}x{size[1]}")


def _round_ratio(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (``denominator > 0``) rounded half up (never banker's
    rounding, so results do not depend on parity), in integers: ``floor(n/d + 1/2) ==
    (2n + d) // 2d`` exactly, with no ``Fraction`` to build (fixers ask this per size)."""
    return (2 * numerator + denominator) // (2 * denominator)


def cover_scale(src: Dim, box: Dim) -> Fraction:
    """The smallest scale at which ``src`` covers ``box`` entirely (cover)."""
    _check(src, "source")
    _check(box, "box")
    return max(Fraction(box[0], src[0]), Fraction(box[1], src[1]))


def fit_size(src: Dim, box: Dim) -> Dim:
    """The size of ``src`` scaled to fit ``box`` keeping its aspect; each side in [1, box]."""
    _check(src, "source")
    _check(box, "box")
    # The limiting side is exact; the other is rounded and clamped into [1, box]. In
    # integers: box/src ratios compared by cross-multiplying (all sides are positive).
    if box[0] * src[1] <= box[1] * src[0]:  # width limits: scale = box[0] / src[0]
        return box[0], min(box[1], max(1, _round_ratio(src[1] * box[0], src[0])))
    return min(box[0], max(1, _round_ratio(src[0] * box[1], src[1]))), box[1]


def letterbox(src: Dim, target: Dim) -> Box:
    """Where the fitted image goes inside ``target``: a centred box of :func:`fit_size`.

    Odd leftovers put the extra pixel on the right/bottom, as Pillow's ``ImageOps.pad`` does.
    """
    width, height = fit_size(src, target)
    left = (target[0] - width) // 2
    top = (target[1] - height) // 2
    return left, top, left + width, top + height


def same_aspect(src: Dim, target: Dim) -> bool:
    """Whether scaling ``src`` to ``target`` distorts it by less than one target pixel.

    Then pad adds no bar and cover crops nothing worth a pixel, so a plain resize is exact
    and safe in every mode (2560x1440 → 1280x720, 3840x2161 → 1280x720).
    """
    _check(src, "source")
    _check(target, "target")
    # |w*T/h - W| < 1 and |h*W/w - T| < 1, multiplied out: integers only (this runs for
    # every size diagnostic in check mode, where Fractions were a measurable cost).
    cross = abs(src[0] * target[1] - target[0] * src[1])
    return cross < src[1] and cross < src[0]


#: A miss of the target's aspect ratio is tiny when the crop that fixes it takes at most this
#: share of the cropped side (a single pixel always counts): trimming those pixels loses less
#: than resampling the whole picture or adding a bar of a pixel or two.
TRIM_FRACTION = Fraction(1, 200)


def trim_box(src: Dim, target: Dim) -> Box | None:
    """The centred crop that fixes a tiny aspect miss of ``src`` (1281x720 for 1280x720: one
    column), or ``None`` when the miss is not tiny or there is none (the same aspect)."""
    if same_aspect(src, target):
        return None
    box = crop_box(src, target)
    width, height = box[2] - box[0], box[3] - box[1]
    side, kept = (src[0], width) if width < src[0] else (src[1], height)
    cut = side - kept
    return box if cut > 0 and (cut == 1 or cut <= side * TRIM_FRACTION) else None


def fit_scale(src: Dim, box: Dim) -> Fraction:
    """The largest scale at which ``src`` fits inside ``box`` (pad)."""
    _check(src, "source")
    _check(box, "box")
    return min(Fraction(box[0], src[0]), Fraction(box[1], src[1]))


def fix_scale(src: Dim, target: Dim, mode: str) -> Fraction:
    """How much the size fix of ``mode`` (``pad``, ``cover`` or ``stretch``) resizes the part
    of ``src`` it keeps on its way to ``target`` (above 1: it enlarges). A tiny miss is
    trimmed whatever the mode but ``stretch``; a same-aspect resize is the same in every mode."""
    if same_aspect(src, target):
        return max(Fraction(target[0], src[0]), Fraction(target[1], src[1]))
    trimmed = trim_box(src, target) if mode != "stretch" else None
    if trimmed is not None:
        return cover_scale((trimmed[2] - trimmed[0], trimmed[3] - trimmed[1]), target)
    if mode == "pad":
        return fit_scale(src, target)
    return cover_scale(src, target)  # cover; and stretch's larger axis, the same ratio


def parse_anchor(text: str) -> Anchor:
    """Parse an anchor: ``centre``, an edge or corner (``top``, ``bottom-left``) or ``x,y``.

    The result is the position of the kept region within the free space, from 0 (left/top)
    to 1 (right/bottom). Raises ``ValueError`` with the accepted forms.
    """
    raw = text.strip().lower().replace("_", "-").replace(" ", "")
    if raw in _CENTRE_NAMES:
        return CENTRE
    if "," in raw:
        parts = raw.split(",")
        if len(parts) == 2:
            try:
                x, y = Fraction(parts[0]), Fraction(parts[1])
            except (ValueError, ZeroDivisionError):
                pass
            else:
                if 0 <= x <= 1 and 0 <= y <= 1:
                    return x.limit_denominator(10_000), y.limit_denominator(10_000)
    else:
        x, y = CENTRE
        words = [word for word in raw.split("-") if word]
        seen_x = seen_y = False
        ok = bool(words) and len(words) <= 2
        for word in words:
            if word in _NAMED_X and not seen_x:
                x, seen_x = _NAMED_X[word], True
            elif word in _NAMED_Y and not seen_y:
                y, seen_y = _NAMED_Y[word], True
            else:
                ok = False
        if ok:
            return x, y
    raise ValueError(
        f"{text!r} is not an anchor: use centre, top, bottom, left, right, a corner such as "
        "bottom-left, or two fractions x,y between 0 and 1 such as 0.3,0.5"
    )


def crop_region(src: Dim, target: Dim, anchor: Anchor = CENTRE) -> FracBox:
    """The largest region of ``src`` with exactly the target's aspect, placed at ``anchor``.

    Exact (fractional) coordinates, for resampling with ``resize(box=...)`` as ``ImageOps.fit``
    does; :func:`crop_box` gives whole pixels.
    """
    _check(src, "source")
    _check(target, "target")
    scale = cover_scale(src, target)
    width = Fraction(target[0]) / scale
    height = Fraction(target[1]) / scale
    left = (src[0] - width) * anchor[0]
    top = (src[1] - height) * anchor[1]
    return left, top, left + width, top + height


def crop_box(src: Dim, target: Dim, anchor: Anchor = CENTRE) -> Box:
    """The largest whole-pixel box of ``src`` with the target's aspect (as near as pixels
    allow), placed at ``anchor``; the side that is not cropped is kept whole."""
    _check(src, "source")
    _check(target, "target")
    # In integers (aspects compared by cross-multiplying): the same boxes as with Fractions.
    if src[0] * target[1] >= target[0] * src[1]:
        height = src[1]
        width = min(src[0], max(1, _round_ratio(src[1] * target[0], target[1])))
    else:
        width = src[0]
        height = min(src[1], max(1, _round_ratio(src[0] * target[1], target[0])))
    x, y = anchor
    left = _round_ratio((src[0] - width) * x.numerator, x.denominator)
    top = _round_ratio((src[1] - height) * y.numerator, y.denominator)
    return left, top, left + width, top + height


@dataclass(frozen=True)
class CropBounds:
    """A crop suggestion: the box as fractions of the source (Azure's ``crop_bounds``) and as
    pixels, and whether a resize to the target is still needed after cropping."""

    left_fraction: float
    top_fraction: float
    right_fraction: float
    bottom_fraction: float
    box: Box
    resize_after_crop: bool

    def fractions(self) -> dict[str, float]:
        """Exactly the four keys a ``crop_bounds`` object has."""
        return {
            "left_fraction": self.left_fraction,
            "top_fraction": self.top_fraction,
            "right_fraction": self.right_fraction,
            "bottom_fraction": self.bottom_fraction,
        }


def crop_bounds(src: Dim, target: Dim, anchor: Anchor = CENTRE, digits: int = 6) -> CropBounds:
    """:func:`crop_box` as fractions of the source size (edges measured from the left/top)."""
    box = crop_box(src, target, anchor)
    return CropBounds(
        left_fraction=round(box[0] / src[0], digits),
        top_fraction=round(box[1] / src[1], digits),
        right_fraction=round(box[2] / src[0], digits),
        bottom_fraction=round(box[3] / src[1], digits),
        box=box,
        resize_after_crop=needs_resize_after_crop(box, target),
    )


def needs_resize_after_crop(box: Box, target: Dim) -> bool:
    """Whether the cropped region still has to be resized to reach the target size."""
    return (box[2] - box[0], box[3] - box[1]) != (target[0], target[1])


def best_window(profile: Sequence[float], window: int, bias: float = 1e-6) -> int:
    """Start of the ``window``-long run of ``profile`` with the largest sum ("smart" crop).

    Ties, and near-ties within ``bias`` of the total, go to the run nearest the centre, so a
    flat image is cropped centred. Linear time, bounded by ``len(profile)``.
    """
    count = len(profile)
    if window >= count:
        return 0
    if window < 1:
        raise ValueError("window must be at least 1")
    total = sum(profile)
    tolerance = abs(total) * bias
    centre = (count - window) / 2
    running = sum(profile[:window])
    best_start, best_sum = 0, running
    for start in range(1, count - window + 1):
        running += profile[start + window - 1] - profile[start - 1]
        if running > best_sum + tolerance or (
            abs(running - best_sum) <= tolerance and abs(start - centre) < abs(best_start - centre)
        ):
            best_start, best_sum = start, running
    return best_start


def scaled_box(box: FracBox, src: Dim, actual: Dim) -> tuple[float, float, float, float]:
    """Map a box computed on ``src`` onto an image decoded at ``actual`` size (JPEG draft)."""
    sx = Fraction(actual[0], src[0])
    sy = Fraction(actual[1], src[1])
    return (
        float(box[0] * sx),
        float(box[1] * sy),
        float(box[2] * sx),
        float(box[3] * sy),
    )


def decode_floor(src: Dim, scale: Fraction) -> Dim:
    """The smallest decode size that keeps full quality when ``src`` is scaled by ``scale``."""
    return max(1, math.ceil(src[0] * scale)), max(1, math.ceil(src[1] * scale))
