"""A PIL image as an asset: what can be judged of a picture that is not a file yet.

Its size, mode, frames and transparency are the image's own; its orientation is its EXIF's
(Pillow's reading: the image carries no file for the probe to read); its format is the one
it will be sent as (the ``name``'s extension, else the format it was opened from, else
PNG). It has no bytes, so byte limits are not judged and no header was probed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sora_lint.types import Asset, ImageHeader, Size

if TYPE_CHECKING:
    from PIL import Image

    from sora_lint.api.sources import Source

#: What a file name's extension says the bytes will be, for the formats sora-lint writes.
FORMAT_OF_EXTENSION = {
    "jpg": "JPEG", "jpeg": "JPEG", "jpe": "JPEG", "jfif": "JPEG", "png": "PNG", "webp": "WEBP",
}  # fmt: skip
#: The extension and the MIME type of each format sora-lint writes.
EXTENSION = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
MIME_TYPE = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_BITS = {"1": 1, "I;16": 16, "I;16B": 16, "I;16L": 16, "I;16N": 16, "I": 32, "F": 32}
_ORIENTATION = 0x0112


def extension_of(fmt: str) -> str:
    """The usual file extension of a content format (``jpg`` for JPEG)."""
    return EXTENSION.get(fmt, fmt.lower())


def named_format(name: str | None) -> str | None:
    """The format a file name's extension says, among those sora-lint writes."""
    if not name or "." not in name:
        return None
    return FORMAT_OF_EXTENSION.get(name.rpartition(".")[2].lower())


def picture_header(image: Image.Image) -> ImageHeader:
    """The header a probe would report for ``image``, from the image itself."""
    mode = image.mode
    try:
        frames = int(getattr(image, "n_frames", 1) or 1)
    except Exception:  # noqa: BLE001 - a lazily opened file that cannot count its frames
        frames = 1
    return ImageHeader(
        size=Size(*image.size),
        mode=mode,
        orientation=picture_orientation(image),
        n_frames=frames,
        has_alpha=mode in _ALPHA_MODES or "transparency" in image.info,
        bits=_BITS.get(mode, 8),
    )


def picture_orientation(image: Image.Image) -> int:
    """The EXIF orientation (1-8) of ``image``; 1 when absent, invalid or unreadable."""
    try:
        value = image.getexif().get(_ORIENTATION)
    except Exception:  # noqa: BLE001 - hostile EXIF: any parser error means "no orientation"
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def picture_format(image: Image.Image, name: str | None) -> str:
    """The format ``image`` will be sent as: its name's, else its own, else PNG."""
    return named_format(name) or (image.format if isinstance(image.format, str) else "") or "PNG"


def picture_asset(image: Image.Image, source: Source) -> Asset:
    """The asset ``check`` judges for a PIL image (no bytes: ``byte_size`` 0)."""
    fmt = picture_format(image, source.name)
    name = source.name or f"image.{extension_of(fmt)}"
    return Asset(Path(name), source.display, 0, fmt, picture_header(image))
