"""Applying chosen fixes to a decoded picture and encoding the result: the steps between
decoding and writing that ``--fix`` and the Python API's ``prepare`` share.

Both get the picture from :mod:`sora_lint.fix.decoding` (upright, 8-bit, within the memory
budget) and hand the fixers the same image, so a fix looks the same whichever way it is
asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sora_lint.types import Fix, Fixer, Settings, Size

if TYPE_CHECKING:  # Pillow loads only when a picture is fixed
    from PIL import Image

    from sora_lint.fix import reencode

#: The JPEG (and lossy WebP) quality of a fixed file when ``jpeg-quality`` is not set.
DEFAULT_QUALITY = 95


def apply_fixes(
    image: Image.Image, fixes: Sequence[Fix], fixers: Mapping[str, Fixer], settings: Settings
) -> tuple[Image.Image, dict[str, Any]]:
    """Apply ``fixes`` in order to the upright 8-bit ``image``; return the result and what
    the fixers said they did (``image.info["sora-lint"]``). Raises ``ValueError`` when a
    fixer is missing or the result is not the size a fix promised (its ``target``)."""
    from PIL import Image

    details: dict[str, Any] = {}
    expected: tuple[int, int] | None = None
    for fix in fixes:
        fixer = fixers.get(fix.fixer)
        if fixer is None or fixer.apply is None:
            raise ValueError(f"fixer {fix.fixer!r} is not loaded or cannot apply fixes")
        image = fixer.apply(image, fix, settings)
        if not isinstance(image, Image.Image):
            raise TypeError(f"fixer {fix.fixer!r} returned {type(image).__name__}, not an image")
        extra = image.info.get("sora-lint")
        if isinstance(extra, Mapping):
            details.update(extra)
        if "target" in fix.data:
            expected = (int(fix.data["target"][0]), int(fix.data["target"][1]))
    if expected is not None and image.size != expected:
        got = "x".join(map(str, image.size))
        raise ValueError(f"fixer produced {got}, expected {expected[0]}x{expected[1]}")
    return image, details


def quality_of(settings: Settings) -> int:
    """The JPEG (and lossy WebP) quality fixed pictures are written at."""
    return int(settings.get("jpeg-quality") or DEFAULT_QUALITY)


def encode_fixed(
    image: Image.Image,
    keep: reencode.Keep,
    icc: bytes | None,
    quality: int,
    shown: Size,
) -> bytes:
    """Encode the fixed ``image`` as ``keep.format`` and read the bytes back (they must be
    that image); ``shown`` is the source's upright size."""
    from sora_lint.fix import destination, reencode

    # Shrunk to half or less on both sides, the source's subsampled chroma still has the full
    # resolution of the result: 4:4:4 keeps it (fix_bench: 2-8 dB closer to the ideal).
    full_chroma = image.size[0] * 2 <= shown.width and image.size[1] * 2 <= shown.height
    data = reencode.encode(image, keep, icc, quality, full_chroma=full_chroma)
    destination.verify(data, keep.format, image.size)
    return data
