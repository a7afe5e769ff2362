"""Shared by the size fixers (pad, cover, stretch): when a diagnostic asks for a resize, the
plain same-aspect fix, and the resampling they share (LANCZOS, with a reducing gap).

A size fixer's proposal is a pure function of the upright size, the target size and one
option, so each fixer builds it once per distinct combination (``functools.lru_cache``,
at most :data:`REMEMBERED` of them): a folder of photos holds few distinct sizes, and the
shared ``Fix`` is a frozen value.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sora_lint.geometry import boxes
from sora_lint.geometry.profile_fit import fit_size
from sora_lint.types import (
    SWAPPING_ORIENTATIONS,
    Applicability,
    CheckContext,
    Diagnostic,
    Fix,
    ImageHeader,
    Size,
    Target,
)

if TYPE_CHECKING:  # Pillow is imported only when a fix is applied, never to check
    from PIL import Image

#: ``reduce()`` by an integer factor first when shrinking by 3x or more: much faster, and
#: Pillow documents the result as indistinguishable from a full LANCZOS pass. (A JPEG is
#: usually reduced in the decoder already: see ``sora_lint.fix.decoding``.)
REDUCING_GAP = 3.0
#: How many distinct proposals each size fixer keeps.
REMEMBERED = 1024
#: Findings whose fix is a resize to the target: SL001 (a declared or exact size) and, for
#: profiles that take a range of sizes, the limit the image breaks (SL019-SL022).
SIZE_CODES = frozenset({"SL001", "SL019", "SL020", "SL021", "SL022"})
#: A fix that enlarges the picture more than this many times says so (and SL024 warns).
ENLARGE_LIMIT = 2


def resize_request(
    diagnostic: Diagnostic, ctx: CheckContext, grow: bool
) -> tuple[boxes.Dim, boxes.Dim] | None:
    """``(upright size, target size)`` when fixing ``diagnostic`` needs the size fixer.

    A size finding (:data:`SIZE_CODES`) always; SL006 too when the stored size is the target
    (so there is no SL001) but the upright one is not: baking the rotation in must not leave
    a wrong size behind.
    The target is each fix's own: see :func:`fix_target`.
    """
    code = diagnostic.code
    if code not in SIZE_CODES and code != "SL006":
        return None
    header, target = ctx.asset.header, ctx.target
    if header is None or target is None or target.size is None or not target.allowed:
        return None
    shown = upright(header)
    wanted = fix_target(target, shown, grow)
    if wanted is None:
        return None
    if code == "SL006" and ((header.size.width, header.size.height) != wanted or shown == wanted):
        return None
    return shown, wanted


def fix_target(target: Target, shown: boxes.Dim, grow: bool) -> boxes.Dim | None:
    """The size a fix makes: the declared size, or the model's nearest one for an exact
    profile; for a profile that takes a range of sizes, the nearest size it accepts reached
    the fix's way, by adding canvas (``grow``: pad) or by cropping (cover, stretch, trim).
    The target the run resolved was worked out for one way only (the ``fix-mode``)."""
    size = target.size
    if target.request.size is None and not target.profile.exact:
        size = fit_size(target.profile, Size(*shown), grow=grow)
    return None if size is None else (size.width, size.height)


def enlarging(scale: Fraction) -> str:
    """Words for a description, when the fix enlarges the picture more than
    :data:`ENLARGE_LIMIT` times (SL024 warns of it too)."""
    if scale <= ENLARGE_LIMIT:
        return ""
    return f" (enlarging it {float(scale):.3g}x, which adds no detail)"


def applied(fix: Fix, **details: Any) -> dict[str, Any]:
    """What a size fix reports once applied (``image.info["sora-lint"]``): ``details``, and
    how much it enlarged the picture when that is more than :data:`ENLARGE_LIMIT` times."""
    scale = fix.data.get("scale")
    if isinstance(scale, int | float) and scale > ENLARGE_LIMIT:
        details["enlarged"] = round(float(scale), 3)
    return details


def upright(header: ImageHeader) -> boxes.Dim:
    """``header.display_size`` as a ``(width, height)`` tuple, without building a ``Size``
    (it is asked for every size finding)."""
    size = header.size
    if header.orientation in SWAPPING_ORIENTATIONS:
        return size.height, size.width
    return size.width, size.height


def base_data(
    src: boxes.Dim,
    target: boxes.Dim,
    floor: boxes.Dim,
    scale: Fraction,
    crop: boxes.Box | None = None,
    pad: boxes.Box | None = None,
) -> dict[str, Any]:
    """The data of a size fix: what ``apply`` reads, and the geometry :class:`Fix` states
    (``result_size``, ``crop_box``, ``pad_box``, ``scale``), from the same values."""
    data: dict[str, Any] = {
        "source": list(src),
        "target": list(target),
        "decode_floor": list(floor),
        "resize": True,
        "result_size": list(target),
        "scale": float(scale),
    }
    if crop is not None:
        data["crop_box"] = list(crop)
    if pad is not None:
        data["pad_box"] = list(pad)
    return data


def same_aspect_fix(fixer: str, src: boxes.Dim, target: boxes.Dim) -> Fix | None:
    """A safe plain resize when ``src`` already has the target's aspect (any mode)."""
    if not boxes.same_aspect(src, target):
        return None
    scale = boxes.fix_scale(src, target, fixer)
    data = base_data(src, target, target, scale)
    data["same_aspect"] = True
    if src == target:
        text = f"{fixer}: already {target[0]}x{target[1]} once upright; no resize"
    else:
        text = (
            f"{fixer}: resize {src[0]}x{src[1]} to {target[0]}x{target[1]}{enlarging(scale)} "
            "(same aspect ratio: nothing cropped, no bars)"
        )
    return Fix(fixer=fixer, applicability=Applicability.SAFE, description=text, data=data)


def target_of(fix: Fix) -> boxes.Dim:
    return int(fix.data["target"][0]), int(fix.data["target"][1])


def source_of(fix: Fix) -> boxes.Dim:
    return int(fix.data["source"][0]), int(fix.data["source"][1])


def resample(
    image: Image.Image,
    size: boxes.Dim,
    box: boxes.FracBox | None = None,
    source: boxes.Dim | None = None,
) -> Image.Image:
    """Resize to ``size`` with LANCZOS (after an integer ``reduce`` when shrinking by
    :data:`REDUCING_GAP` or more), as ``ImageOps.fit`` does on a full decode.

    ``box`` (the part of the picture to keep, default all of it) is in the upright pixels of
    ``source``, the size the fix was planned for. When the decoder already reduced the picture
    (a JPEG ``draft``, keeping what ``sora_lint.fix.decoding.DRAFT_MARGINS`` asks), the box is
    mapped onto the decoded pixels exactly and the last step is BICUBIC: ``fix_bench.py``
    measured it as close to the ideal (full decode, LANCZOS) as LANCZOS is after a draft
    (within 0.3 dB either way, closer on most noisy photos) for 12% less CPU per file.
    """
    from PIL import Image

    mapped: tuple[float, float, float, float] | None = None
    if source is not None and (box is not None or image.size != source):
        mapped = decoded_box(box or (0, 0, source[0], source[1]), source, image.size)
    elif box is not None:
        mapped = (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
    if image.size == size and mapped in (None, (0.0, 0.0, float(size[0]), float(size[1]))):
        return image
    drafted = source is not None and image.size[0] < source[0] and image.size[1] < source[1]
    method = Image.Resampling.BICUBIC if drafted else Image.Resampling.LANCZOS
    return image.resize(size, method, box=mapped, reducing_gap=REDUCING_GAP)


def decoded_box(
    box: boxes.FracBox | tuple[int, int, int, int], source: boxes.Dim, decoded: boxes.Dim
) -> tuple[float, float, float, float]:
    """``box`` (in ``source`` pixels) on a picture decoded at ``decoded``: divided by the
    JPEG draft scale when the sizes are one (libjpeg rounds reduced sides up, so the last
    column may be partial), else scaled by the ratio of the sizes."""
    for scale in (1, 2, 4, 8):
        if decoded == (-(-source[0] // scale), -(-source[1] // scale)):
            return (
                float(box[0]) / scale,
                float(box[1]) / scale,
                float(box[2]) / scale,
                float(box[3]) / scale,
            )
    exact = (Fraction(box[0]), Fraction(box[1]), Fraction(box[2]), Fraction(box[3]))
    return boxes.scaled_box(exact, source, decoded)


def plain_resize(image: Image.Image, fix: Fix) -> Image.Image:
    """The same-aspect fix: a straight resize to the target."""
    result = resample(image, target_of(fix), source=source_of(fix))
    details = applied(fix)
    if details:
        result = result.copy() if result is image else result
        result.info["sora-lint"] = details
    return result
