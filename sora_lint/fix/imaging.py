"""Decoding for fixes: open with an allow-list, decode small when allowed, make upright 8-bit.

Only fix mode (and the HTML report's previews) decodes pixels. Every fixer receives the
upright 8-bit image in RGB, RGBA or L, so each fix is written once and orientation 1 is the
result.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import IO

from PIL import Image, ImageCms, ImageColor

#: What ``Image.open`` may try for a fix (JPEG, MPO, PNG, WebP): MPO has no opener of its
#: own, JPEG's detects it.
OPEN_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP")

_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}
_SIXTEEN_BIT = {"I;16", "I;16B", "I;16L", "I;16N", "I"}
_ICC_SPACE = {b"RGB ": "RGB", b"GRAY": "L", b"CMYK": "CMYK"}


def open_image(fp: Path | IO[bytes]) -> Image.Image:
    """Open with the fixable formats only (never Ghostscript, never a surprise decoder).

    Warnings are silenced: decompression-bomb ones (SL010 assets never reach a fix, and
    Pillow's own hard limit still raises) and remarks on odd chunks ("Invalid APNG"), which
    are not for users.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Image.open(fp, formats=list(OPEN_FORMATS))


def safe_exif(image: Image.Image) -> Image.Exif:
    """The image's EXIF, to write back; an unparseable block is dropped (Pillow would raise
    on every later ``getexif()``). Never the source of the orientation: that is the probe's."""
    try:
        return image.getexif()
    except Exception:  # noqa: BLE001 - hostile EXIF: any parser error means "no usable EXIF"
        image.info.pop("exif", None)
        return image.getexif()  # Pillow caches the failed load as empty; no second parse


def request_draft(image: Image.Image, scale: int) -> int:
    """Ask a JPEG to decode at 1/``scale`` in the DCT domain (see
    :func:`sora_lint.fix.decoding.draft_scale`); return the scale it will decode at."""
    if image.format not in ("JPEG", "MPO") or scale <= 1:
        return 1
    stored = image.size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        # Pillow picks the largest reduction that keeps at least the size asked for: the
        # sides divided by ``scale``, rounded down, give exactly ``scale``.
        image.draft(image.mode, (stored[0] // scale, stored[1] // scale))
    for found in (1, 2, 4, 8):
        if image.size == (-(-stored[0] // found), -(-stored[1] // found)):
            return found
    raise ValueError(f"the decoder chose a size of {image.size[0]}x{image.size[1]}")


def icc_space(icc: bytes | None) -> str | None:
    """The colour space an ICC profile describes (``RGB``, ``L``, ``CMYK``) from its header."""
    if not icc or len(icc) < 20:
        return None
    return _ICC_SPACE.get(bytes(icc[16:20]))


def _target_mode(image: Image.Image) -> str:
    mode = image.mode
    transparent = "transparency" in image.info
    if mode in ("RGB", "L"):
        return "RGBA" if transparent else mode
    if mode == "RGBA":
        return mode
    if mode in _ALPHA_MODES:
        return "RGBA"
    if mode == "P":
        palette_mode = image.palette.mode if image.palette is not None else "RGB"
        return "RGBA" if transparent or palette_mode == "RGBA" else "RGB"
    if mode in _SIXTEEN_BIT or mode in ("1", "F"):
        return "L"
    return "RGB"  # CMYK, YCbCr, LAB, HSV


def to_8bit(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """Convert to 8-bit RGB, RGBA or L (SL008) and return the ICC profile that now applies.

    CMYK and other colour spaces go through the embedded profile to sRGB when there is
    one; 16-bit grey is scaled, not clipped. An RGB or grey image keeps its own profile.
    """
    mode = _target_mode(image)
    if image.mode == mode:
        return image, icc
    if image.mode in _SIXTEEN_BIT:
        return image.convert("I").point(lambda value: value * (1 / 257)).convert("L"), icc
    space = icc_space(icc)
    if icc and space is not None and space != ("L" if mode == "L" else "RGB"):
        converted = _through_profile(image, icc, mode)
        if converted is not None:
            return converted
        icc = None
    elif space is not None and space == "L" and mode != "L":
        icc = None  # a grey profile cannot describe the RGB(A) result
    return image.convert(mode), icc


def _through_profile(
    image: Image.Image, icc: bytes, mode: str
) -> tuple[Image.Image, bytes | None] | None:
    """Colour-manage ``image`` from its profile to sRGB; ``None`` when LittleCMS refuses."""
    if mode not in ("RGB", "L") or image.mode not in ("CMYK", "RGB", "L", "LAB"):
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        converted = ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    if converted is None:
        return None
    srgb_bytes: bytes = srgb.tobytes()
    if mode == "L":
        return converted.convert("L"), None
    return converted, srgb_bytes


#: The transpose that shows a picture stored under each EXIF orientation upright.
UPRIGHT: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def upright(image: Image.Image, orientation: int) -> Image.Image:
    """``image`` turned as ``orientation`` (the probe's reading, 1-8) says; metadata is left
    to :mod:`sora_lint.fix.reencode`, which writes orientation 1."""
    step = UPRIGHT.get(orientation)
    return image if step is None else image.transpose(step)


def has_alpha(image: Image.Image) -> bool:
    return image.mode in _ALPHA_MODES


def fill_colour(name: str, mode: str) -> int | tuple[int, ...]:
    """A pad or flatten colour in ``mode``; ``blur`` (not a colour) flattens onto black."""
    spec = "black" if name == "blur" else name
    colour = ImageColor.getcolor(spec, "RGBA" if mode == "RGBA" else mode)
    if mode == "RGBA" and isinstance(colour, tuple):
        return (*colour[:3], 255)
    return colour


def flatten(image: Image.Image, colour_name: str) -> Image.Image:
    """Composite a transparent image onto an opaque colour (``--flatten``, SL009)."""
    if not has_alpha(image):
        return image
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")  # no copy: memory budget
    background = Image.new("RGBA", rgba.size, fill_colour(colour_name, "RGBA"))
    background.alpha_composite(rgba)
    return background.convert("RGB")
