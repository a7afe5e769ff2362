"""Decoding one image for a fix: no larger than full quality needs, upright, 8-bit.

Orientation comes from the probe (``header.orientation``), never from Pillow's own EXIF
reading: what the check reported is exactly what the fix turns, and a tag the probe does not
accept (a SHORT with a count of 2, a corrupt block) turns nothing. The metadata written back
says orientation 1 in EXIF and in XMP (:mod:`sora_lint.fix.reencode`), so a second run finds
nothing to turn.

A JPEG may be decoded at 1/2, 1/4 or 1/8 of its size in the DCT domain (``Image.draft``);
:func:`draft_scale` says when that keeps full quality.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sora_lint.geometry import boxes
from sora_lint.types import SWAPPING_ORIENTATIONS, Fix, ImageHeader

if TYPE_CHECKING:  # Pillow loads only when a file is rewritten
    from PIL import Image

    from sora_lint.fix import reencode

#: A JPEG is decoded at a reduced DCT scale only when the decoded picture keeps at least this
#: many times the pixels (per side) the fix needs, by scale. Measured with
#: ``benchmarks/fix_bench.py`` and a sweep of output sizes, against a full decode and LANCZOS
#: (the ideal), on plain and noisy (high-ISO) photos, landscape and portrait:
#: - 1/2 needs 1.5x so LANCZOS still does the last step's anti-aliasing: at 1.575x (a
#:   4032x3024 photo to 1280x720) the outputs stay closer to the ideal than the recipe's; at
#:   1.0-1.25x a noisy landscape lands 0.8-3.5 dB further from it than the recipe, a noisy
#:   portrait cropped to landscape (1.18x) 0.6 dB, so such files are decoded in full.
#: - 1/4 and 1/8 keep enough at any margin: at 1.0-1.2x, cover and pad, every kind stayed
#:   2.4-12 dB closer to the ideal than the recipe's output (a picture that small holds more
#:   detail per pixel, so the recipe's own encoding loses more), and a 12 MP photo padded
#:   to 1280x720 decodes at 1/4: the fix bench's pad runs 2.4x the recipe instead of 1.9x.
#: Keyed by the reductions libjpeg offers through Pillow's ``draft``, largest first.
DRAFT_MARGINS = {8: Fraction(1), 4: Fraction(1), 2: Fraction(3, 2)}
DRAFT_FORMATS = ("JPEG", "MPO")
#: Bytes of the file's head kept for the encoder (a WebP's lossless flag is in its chunks).
HEAD_BYTES = 1 << 16


def stored_floor(fixes: Sequence[Fix], orientation: int) -> boxes.Dim | None:
    """The largest ``decode_floor`` of ``fixes`` in stored (not upright) pixels; ``None`` when
    none has one (then the picture is decoded in full). Fixes without a floor work pixel by
    pixel or turn the picture; the resize that sets the floor runs after them."""
    floors = [fix.data["decode_floor"] for fix in fixes if fix.data.get("decode_floor")]
    if not floors:
        return None
    width = max(int(floor[0]) for floor in floors)
    height = max(int(floor[1]) for floor in floors)
    return (height, width) if orientation in SWAPPING_ORIENTATIONS else (width, height)


def draft_scale(fmt: str | None, stored: boxes.Dim, floor: boxes.Dim | None) -> int:
    """The DCT reduction (1, 2, 4 or 8) a fix decodes ``stored`` at, given the stored-pixel
    ``floor`` the fixes need: the largest that keeps its :data:`DRAFT_MARGINS` times the floor."""
    if fmt not in DRAFT_FORMATS or floor is None:
        return 1
    for scale, margin in DRAFT_MARGINS.items():
        if stored[0] >= margin * floor[0] * scale and stored[1] >= margin * floor[1] * scale:
            return scale
    return 1


def reduced_size(stored: boxes.Dim, scale: int) -> boxes.Dim:
    """The size libjpeg decodes ``stored`` at for ``scale`` (sides rounded up)."""
    return -(-stored[0] // scale), -(-stored[1] // scale)


def fix_estimate(fmt: str | None, header: ImageHeader, fixes: Sequence[Fix]) -> int:
    """The most memory applying ``fixes`` to ``header``'s picture takes (see
    :mod:`sora_lint.fix.budget`), worked out before anything is decoded."""
    from sora_lint.fix import budget

    stored = (header.size.width, header.size.height)
    scale = draft_scale(fmt, stored, stored_floor(fixes, header.orientation))
    targets = [fix.data["target"] for fix in fixes if fix.data.get("target")]
    target = max(((int(t[0]), int(t[1])) for t in targets), key=lambda t: t[0] * t[1], default=None)
    return budget.decode_estimate(fmt, header, scale, target)


@dataclass(frozen=True)
class Decoded:
    """The upright 8-bit picture, what to write back with it, and the scale it was decoded
    at (1 for a full decode)."""

    image: Image.Image
    keep: reencode.Keep
    icc: bytes | None
    scale: int


def read(
    path: Path, fmt: str, header: ImageHeader, fixes: Sequence[Fix]
) -> tuple[Image.Image, reencode.Keep, bytes | None, int]:
    """Decode ``path`` for ``fixes`` (:func:`decode`); only the result stays referenced (the
    decoder's picture is let go before any fixer runs: it never counts twice against the
    memory budget)."""
    with open(path, "rb") as handle:
        decoded = read_from(handle, fmt, header, fixes)
    return decoded.image, decoded.keep, decoded.icc, decoded.scale


def read_from(handle: IO[bytes], fmt: str, header: ImageHeader, fixes: Sequence[Fix]) -> Decoded:
    """:func:`read` from an open binary file (a file, or the Python API's bytes in memory)
    positioned at the image's first byte; the picture must be the size the header says."""
    from sora_lint.fix import imaging

    start = handle.tell()
    head = handle.read(HEAD_BYTES)
    handle.seek(start)
    with imaging.open_image(handle) as opened:
        if opened.size != (header.size.width, header.size.height):  # what the estimate
            got = "x".join(map(str, opened.size))  # and the fix's boxes assume
            raise ValueError(f"it decodes as {got}, not the {header.size} its header says")
        return decode(opened, fmt, header, head, fixes)


def decode(
    opened: Image.Image, fmt: str, header: ImageHeader, head: bytes, fixes: Sequence[Fix]
) -> Decoded:
    """Decode ``opened`` (a header-only ``Image.open``) for ``fixes``: reduced when
    :func:`draft_scale` allows, turned upright by ``header.orientation``, made 8-bit."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's remarks on odd metadata are not for users
        return _decode(opened, fmt, header, head, fixes)


def _decode(
    opened: Image.Image, fmt: str, header: ImageHeader, head: bytes, fixes: Sequence[Fix]
) -> Decoded:
    from sora_lint.fix import imaging, reencode

    # Read once, from the file as opened: kept and written back, never read for orientation
    # (a copy's getexif() would parse the raw block again, and may raise on it).
    exif = imaging.safe_exif(opened)
    orientation = header.orientation
    stored = (opened.size[0], opened.size[1])
    scale = imaging.request_draft(
        opened, draft_scale(fmt, stored, stored_floor(fixes, orientation))
    )
    opened.load()
    upright = imaging.upright(opened, orientation)
    kept = exif if len(exif) or orientation != 1 else None  # an orientation: EXIF says 1
    keep = reencode.read_keep(opened, fmt, head, kept)  # as stored: JPEG layers, text chunks
    image, icc = imaging.to_8bit(upright, keep.icc)
    return Decoded(image, keep, icc, scale)  # loaded: closing the file later leaves the pixels


def from_picture(image: Image.Image, fmt: str, header: ImageHeader) -> Decoded:
    """What :func:`decode` makes of a picture a program decoded itself (a PIL image handed
    to the Python API): turned upright by ``header.orientation``, made 8-bit, its metadata
    kept for ``fmt``. ``image`` itself is never changed."""
    import warnings

    from sora_lint.fix import imaging, reencode

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exif = _own_exif(image)
        kept = exif if exif is not None and (len(exif) or header.orientation != 1) else None
        keep = reencode.read_keep(image, fmt, b"", kept)
        upright = imaging.upright(image, header.orientation)
        converted, icc = imaging.to_8bit(upright, keep.icc)
    return Decoded(converted, keep, icc, 1)


def _own_exif(image: Image.Image) -> Image.Exif | None:
    """A copy of ``image``'s EXIF (re-encoding rewrites the orientation and sizes in it);
    ``None`` when it has none or it cannot be read."""
    from PIL import Image

    try:
        raw = image.info.get("exif")
        if not isinstance(raw, bytes | bytearray):
            shown = image.getexif()
            raw = shown.tobytes() if len(shown) else None
        if not raw:
            return None
        copy = Image.Exif()
        copy.load(bytes(raw))
    except Exception:  # noqa: BLE001 - hostile EXIF: any parser error means "no usable EXIF"
        return None
    return copy
