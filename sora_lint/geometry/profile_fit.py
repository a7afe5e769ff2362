"""Pure arithmetic for profiles that accept a range of sizes (aspect lists or ranges, side and
pixel limits) instead of exact sizes: does a size fit, why not, and the nearest size that does.

No Pillow, no I/O: integers and fractions only, so the rules and the target computation
agree by construction and can be tested on their own.
"""

from __future__ import annotations

import math
from fractions import Fraction

from sora_lint.types import Profile, Size


def ratio_text(ratio: Fraction) -> str:
    """``16:9`` for a fraction; ``2.5:1`` style ratios are written as reduced integers."""
    return f"{ratio.numerator}:{ratio.denominator}"


def aspect_text(size: Size) -> str:
    """An image's aspect as people say it: ``4:3``, ``16:9``; a decimal when the reduced
    ratio is not a small one (``1.001``)."""
    ratio = Fraction(size.width, size.height)
    if max(ratio.numerator, ratio.denominator) <= 32:
        return ratio_text(ratio)
    return f"{float(ratio):.4g}"


def accepted_labels(profile: Profile) -> tuple[str, ...]:
    """The accepted aspect ratios as the profile writes them (``21:9`` stays ``21:9``)."""
    if len(profile.aspect_labels) == len(profile.aspect_ratios):
        return profile.aspect_labels
    return tuple(ratio_text(r) for r in profile.aspect_ratios)


def aspect_ok(profile: Profile, size: Size) -> bool:
    """Whether ``size``'s aspect ratio is one the profile accepts (within its tolerance)."""
    aspect = size.width / size.height
    tolerance = profile.aspect_tolerance
    if profile.aspect_ratios:
        return any(abs(aspect / float(r) - 1.0) <= tolerance + 1e-12 for r in profile.aspect_ratios)
    if profile.aspect_range is not None:
        low, high = profile.aspect_range
        slack = 1e-12
        return (
            float(low) * (1 - tolerance) - slack <= aspect <= float(high) * (1 + tolerance) + slack
        )
    return True


def aspect_rule(profile: Profile) -> str:
    """What the profile accepts, for messages: ``16:9 or 9:16`` or ``from 1:2 to 2:1``."""
    if profile.aspect_ratios:
        return " or ".join(accepted_labels(profile))
    if profile.aspect_range is not None:
        low, high = profile.aspect_range
        return f"from {ratio_text(low)} to {ratio_text(high)} ({float(low):g} to {float(high):g})"
    return "any"


def nearest_aspect(profile: Profile, shown: Size) -> Fraction | None:
    """The accepted aspect ratio nearest ``shown``'s on a log scale (ties: the first listed).

    ``None`` when the profile does not limit the aspect ratio.
    """
    aspect = Fraction(shown.width, shown.height)
    if profile.aspect_ratios:
        log = math.log(aspect)
        return min(profile.aspect_ratios, key=lambda r: abs(math.log(r) - log))
    if profile.aspect_range is not None:
        low, high = profile.aspect_range
        return min(max(aspect, low), high)
    return None


def side_limits_ok(profile: Profile, size: Size) -> bool:
    if profile.min_side is not None and min(size.width, size.height) < profile.min_side:
        return False
    if profile.max_side is not None and max(size.width, size.height) > profile.max_side:
        return False
    return profile.max_pixels is None or size.pixels <= profile.max_pixels


#: ``violations`` kinds -> the profile constraint whose near-miss action applies.
CONSTRAINT_OF = {"aspect": "aspect", "small": "min-side", "large": "max-side",
                 "pixels": "max-pixels"}  # fmt: skip


def accepts(profile: Profile, size: Size) -> bool:
    """Whether the API takes an image of ``size`` without rejecting it: exact profiles by
    their sizes; others by every limit whose near-miss is ``reject`` (a limit the model
    adapts to, like Veo cropping to 16:9, is a warning, not a size to fix)."""
    if profile.exact:
        return size in profile.sizes
    if profile.action("aspect") == "reject" and not aspect_ok(profile, size):
        return False
    if not profile.near_miss:
        return side_limits_ok(profile, size)
    return all(profile.action(CONSTRAINT_OF[kind]) != "reject"
               for kind, _ in violations(profile, size) if kind != "aspect")  # fmt: skip


def _bounds(profile: Profile, p: int, q: int) -> tuple[int, int]:
    """The smallest and largest multiplier ``k`` for which ``(p*k, q*k)`` meets the limits."""
    low = 1
    if profile.min_side is not None:
        low = max(low, -(-profile.min_side // min(p, q)))
    high = 1 << 40
    if profile.max_side is not None:
        high = min(high, profile.max_side // max(p, q))
    if profile.max_pixels is not None:
        high = min(high, math.isqrt(profile.max_pixels // (p * q)))
    return low, high


def _on_ratio(profile: Profile, shown: Size, ratio: Fraction, grow: bool) -> Size | None:
    """The size with exactly ``ratio`` that keeps (grow) or crops within (shrink) the image."""
    p, q = ratio.numerator, ratio.denominator
    if grow:  # pad: the canvas grows until it holds the whole picture
        k = max(-(-shown.width // p), -(-shown.height // q))
    else:  # cover/stretch: the largest box of that ratio inside the picture
        k = max(1, min(shown.width // p, shown.height // q))
    low, high = _bounds(profile, p, q)
    if low > high:
        return None
    k = min(max(k, low), high)
    return Size(p * k, q * k)


#: How far a size reached at scale 1 may be from a requested ratio (a pixel of rounding).
RATIO_ROUNDING = 0.005


def size_on_ratio(profile: Profile, shown: Size, ratio: Fraction, grow: bool) -> Size | None:
    """The size of ``ratio`` an image shown at ``shown`` becomes, within the side and pixel
    limits: the canvas grows to hold the whole picture (``grow``, pad) or the largest box of
    that ratio inside it is kept (cover, stretch), at scale 1 when the limits allow (one
    side rounded to a pixel), else in exact multiples of the ratio. ``None`` when the
    profile takes no size of that ratio."""
    sized = _within_limits(profile, _reshaped(shown, ratio, grow))
    if accepts(profile, sized) and abs(float(sized.aspect / ratio) - 1) <= RATIO_ROUNDING:
        return sized
    found = _on_ratio(profile, shown, ratio, grow)
    return found if found is not None and accepts(profile, found) else None


def _scaled(shown: Size, factor: float, up: bool) -> Size:
    rounding = math.ceil if up else math.floor
    return Size(max(1, rounding(shown.width * factor)), max(1, rounding(shown.height * factor)))


def _reshaped(shown: Size, ratio: Fraction, grow: bool) -> Size:
    """``shown`` with one side changed to reach ``ratio``, the picture at scale 1: grow adds
    canvas (rounded up, so the picture fits), otherwise the box is cropped (rounded down)."""
    p, q, w, h = ratio.numerator, ratio.denominator, shown.width, shown.height
    wide = Fraction(w, h) > ratio
    if grow:
        return Size(w, -(-w * q // p)) if wide else Size(-(-h * p // q), h)
    return Size(max(1, h * p // q), h) if wide else Size(w, max(1, w * q // p))


def _within_limits(profile: Profile, size: Size) -> Size:
    """``size`` scaled uniformly to meet the side and pixel limits (up only for min_side)."""
    factor = 1.0
    if profile.max_side is not None and max(size.width, size.height) > profile.max_side:
        factor = min(factor, profile.max_side / max(size.width, size.height))
    if profile.max_pixels is not None and size.pixels > profile.max_pixels:
        factor = min(factor, math.sqrt(profile.max_pixels / size.pixels))
    if factor < 1.0:
        return _scaled(size, factor, up=False)
    if profile.min_side is not None and min(size.width, size.height) < profile.min_side:
        return _scaled(size, profile.min_side / min(size.width, size.height), up=True)
    return size


def fit_size(profile: Profile, shown: Size, grow: bool = True) -> Size | None:
    """The size an image shown at ``shown`` must be fixed to, or ``None`` if it already fits
    (or no size can: limits that contradict each other).

    The aspect ratio moves to the nearest accepted one only when it is not accepted: with
    ``grow`` (the ``pad`` mode) by adding canvas so the whole picture stays at scale 1,
    otherwise (``cover``, ``stretch``) by cropping to the largest such box inside it. Then the
    size is scaled to the side and pixel limits; the picture is never enlarged beyond what
    ``min_side`` needs. Rounding never leaves the accepted range: if it would, the size is
    built from exact multiples of the ratio instead.
    """
    if profile.exact or accepts(profile, shown):
        return None
    nearest = nearest_aspect(profile, shown)
    base = (
        shown if nearest is None or aspect_ok(profile, shown) else _reshaped(shown, nearest, grow)
    )
    if aspect_ok(profile, base):
        sized = _within_limits(profile, base)
        if accepts(profile, sized):
            return sized
    ratio = nearest if nearest is not None else Fraction(shown.width, shown.height)
    ratio = ratio.limit_denominator(64)
    if profile.aspect_range is not None:
        ratio = min(max(ratio, profile.aspect_range[0]), profile.aspect_range[1])
    result = _on_ratio(profile, shown, ratio, grow)
    return result if result is not None and accepts(profile, result) else None


def violations(profile: Profile, shown: Size) -> list[tuple[str, str]]:
    """``(kind, message)`` for each limit ``shown`` breaks; kinds: ``aspect``, ``small``,
    ``large``, ``pixels``. Exact profiles are judged by their sizes elsewhere (SL001)."""
    found: list[tuple[str, str]] = []
    if profile.exact:
        return found
    if not aspect_ok(profile, shown):
        aspect = Fraction(shown.width, shown.height)
        found.append(
            (
                "aspect",
                f"aspect ratio {float(aspect):.3g} ({shown}) is not one {profile.name} accepts: "
                f"{aspect_rule(profile)}",
            )
        )
    smallest, largest = min(shown.width, shown.height), max(shown.width, shown.height)
    if profile.min_side is not None and smallest < profile.min_side:
        found.append(
            (
                "small",
                f"{shown} has a side of {smallest} px; {profile.name} needs at least "
                f"{profile.min_side} px on each side",
            )
        )
    if profile.max_side is not None and largest > profile.max_side:
        found.append(
            (
                "large",
                f"{shown} has a side of {largest} px; {profile.name} takes at most "
                f"{profile.max_side} px on each side",
            )
        )
    if profile.max_pixels is not None and shown.pixels > profile.max_pixels:
        found.append(
            (
                "pixels",
                f"{shown} is {shown.pixels:,} pixels; {profile.name} takes at most "
                f"{profile.max_pixels:,}",
            )
        )
    return found


def _percent(fraction: float) -> str:
    return f"{round(fraction * 100)}%"


def adaptation(
    profile: Profile, shown: Size, to: Fraction, to_label: str, action: str, detail: str = ""
) -> str:
    """What the model does with an image of ``shown`` for an output of aspect ``to``
    (``veo-3.1 will crop the 4:3 image (1600x1200) to 16:9, losing 25% of its height``);
    ``detail`` is the profile's own words on it (which parameter decides)."""
    aspect = Fraction(shown.width, shown.height)
    image = f"the {aspect_text(shown)} image ({shown})"
    wide = aspect > to
    if action == "crop":
        lost = 1 - float(to / aspect if wide else aspect / to)
        text = (f"{profile.name} will crop {image} to {to_label}, losing {_percent(lost)} of "
                f"its {'width' if wide else 'height'}")  # fmt: skip
    elif action == "pad":
        kept = float(to / aspect if wide else aspect / to)
        where = "above and below" if wide else "left and right"
        text = (f"{profile.name} will pad {image} to {to_label} with bars {where} (the picture "
                f"fills {_percent(kept)} of the {'height' if wide else 'width'})")  # fmt: skip
    elif action == "follow":
        text = f"the video follows {image}, not {to_label}"
    elif action == "resize":
        text = f"{profile.name} will resize {image} to {to_label}, distorting shapes"
    else:
        text = f"what {profile.name} does with {image} for {to_label} is unconfirmed"
    return f"{text} ({detail})" if detail else text
