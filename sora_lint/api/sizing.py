"""The size a prepared image gets, as pure arithmetic (no Pillow, no I/O).

``prepare`` asks for more than ``--fix`` does: ``--fix`` repairs what a profile rejects,
while a prepared image must suit the request as it will be sent. So a limit the model
adapts to instead of rejecting (Veo crops to 16:9) counts as a limit here, and an output
``ratio`` (Runway's ``"1280:720"``) decides the aspect.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

from sora_lint.geometry.boxes import trim_box
from sora_lint.geometry.profile_fit import accepts, fit_size, size_on_ratio
from sora_lint.run.targeting import nearest_size
from sora_lint.types import Profile, Size

#: How far an exact size's aspect may be from a requested ratio and still match it.
RATIO_TOLERANCE = 0.01
#: A ratio whose reduced sides are at most this is followed in exact multiples when a size
#: shrinks (16:9 steps of 16x9 pixels); beyond it the sides are rounded.
EXACT_MULTIPLES = 256


def parse_ratio(text: str) -> Fraction:
    """``"16:9"``, ``"1280:720"`` or ``"2.5:1"`` as a fraction; ``ValueError`` otherwise."""
    parts = text.split(":") if isinstance(text, str) else []
    try:
        if len(parts) != 2:
            raise ValueError
        width, height = Fraction(parts[0].strip()), Fraction(parts[1].strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            f"{text!r} is not a ratio of the form W:H (e.g. 16:9 or 1280:720)"
        ) from None
    if width <= 0 or height <= 0 or max(width, height) > 100_000:
        raise ValueError(f"{text!r} is not a ratio of two positive numbers")
    return width / height


def strict(profile: Profile) -> Profile:
    """``profile`` with every limit a reject: an image the model would crop, pad or resize
    is not yet what will be sent."""
    return dataclasses.replace(profile, near_miss=())


def prepared_size(
    profile: Profile,
    shown: Size,
    declared: Size | None,
    ratio: Fraction | None,
    grow: bool,
) -> Size:
    """The size the upright image ``shown`` must have: the ``declared`` size; for an exact
    profile its size nearest ``shown`` (among those of ``ratio``); otherwise ``shown`` with
    the aspect of ``ratio`` (or the nearest one the profile accepts) reached by adding
    canvas (``grow``: pad) or by cropping, within the side and pixel limits. A tiny miss is
    cropped in every mode, as ``--fix`` does. Raises ``ValueError`` when no size suits."""
    if declared is not None:
        return declared
    if profile.exact:
        sizes = profile.sizes if ratio is None else sizes_of_ratio(profile, ratio)
        if not sizes:
            allowed = ", ".join(str(s) for s in profile.sizes)
            raise ValueError(f"no size {profile.name} takes has that ratio ({allowed})")
        return nearest_size(sizes, shown)
    limits = strict(profile)
    if ratio is None:
        grown = fit_size(limits, shown, grow=grow)
        if grown is None:
            if accepts(limits, shown):
                return shown
            raise ValueError(f"{profile.name} takes no size near {shown}")
        cropped = fit_size(limits, shown, grow=False) if grow else grown
    else:
        found = size_on_ratio(limits, shown, ratio, grow)
        if found is None:
            raise ValueError(f"{profile.name} takes no size of that ratio")
        grown = found
        cropped = size_on_ratio(limits, shown, ratio, False) if grow else found
    if cropped is not None and trim_box(_dim(shown), _dim(cropped)) is not None:
        return cropped  # a tiny miss loses its extra pixels rather than gaining a sliver
    return grown


def sizes_of_ratio(profile: Profile, ratio: Fraction) -> tuple[Size, ...]:
    """The exact sizes of ``profile`` whose aspect is ``ratio`` (within a percent)."""
    return tuple(s for s in profile.sizes if _near(s.aspect, ratio))


def smaller_size(profile: Profile, wanted: Size, factor: float, ratio: Fraction | None) -> Size:
    """A size of the same aspect (``ratio`` when one was asked for) about ``factor`` times
    ``wanted`` on each side, that the profile accepts; raises ``ValueError`` when there is
    none (an exact profile, or the smallest side the profile takes)."""
    if profile.exact:
        raise ValueError(f"{profile.name} takes only its exact sizes")
    aspect = ratio if ratio is not None else Fraction(wanted.width, wanted.height)
    p, q = aspect.numerator, aspect.denominator
    if max(p, q) <= EXACT_MULTIPLES:
        k = min(math.floor(wanted.width * factor / p), math.floor(wanted.height * factor / q))
        found = Size(p * k, q * k) if k >= 1 else None
    else:
        width = max(1, math.floor(wanted.width * factor))
        found = Size(width, max(1, round(width * q / p)))
    if found is None or found.pixels >= wanted.pixels or not accepts(strict(profile), found):
        raise ValueError(f"no smaller size {profile.name} takes")
    return found


def _near(aspect: Fraction, ratio: Fraction) -> bool:
    return abs(float(aspect / ratio) - 1) <= RATIO_TOLERANCE


def _dim(size: Size) -> tuple[int, int]:
    return size.width, size.height
