"""Re-encoding a fixed image in its own format, keeping what a user cares about.

JPEG stays JPEG (quality 95 by default, the source's chroma subsampling unless the picture
was shrunk to half or less: then 4:4:4), PNG stays lossless, WebP stays lossless when the
source was; the ICC profile, XMP and EXIF are kept, with the orientation set to 1 in EXIF and
in XMP and the EXIF pixel dimensions updated.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PIL import Image, JpegImagePlugin, PngImagePlugin

_EXIF_IFD = 0x8769
_ORIENTATION = 0x0112
_IMAGE_WIDTH = 0x0100
_IMAGE_LENGTH = 0x0101
_PIXEL_X = 0xA002
_PIXEL_Y = 0xA003
_WEBP_SCAN_LIMIT = 1 << 16
_JPEG_SEGMENT = 65_000  # an APPn segment's payload limit (65,533 bytes), with room to spare
_SUB_IFDS = (_EXIF_IFD, 0x8825, 0xA005)  # Exif, GPS and interoperability IFD pointers
#: What the probe (``plugins/probes/orient.py``) and Pillow read as an XMP orientation: the
#: digit after it is set to 1 in what is written back.
_XMP_ORIENTATION = re.compile(rb'(tiff:Orientation(?:="|>))[0-9]')


_Text = TypeVar("_Text", str, bytes)


@dataclass(frozen=True)
class Keep:
    """What the original carried, read before any transform, to be written back."""

    format: str
    icc: bytes | None = None
    exif: Image.Exif | None = None
    xmp: bytes | None = None
    subsampling: int = -1
    progressive: bool = False
    webp_lossless: bool = False
    png_text: dict[str, str] = field(default_factory=dict)
    dpi: tuple[float, float] | None = None


def output_format(source_format: str) -> str:
    """MPO (a camera's multi-picture JPEG) is written as a plain JPEG of its first picture."""
    return "JPEG" if source_format == "MPO" else source_format


def webp_is_lossless(head: bytes) -> bool:
    """Whether a WebP file's bitstream is lossless (a ``VP8L`` chunk), from its first bytes."""
    if len(head) < 16 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return False
    offset = 12
    limit = min(len(head), _WEBP_SCAN_LIMIT)
    while offset + 8 <= limit:
        kind = head[offset : offset + 4]
        if kind == b"VP8L":
            return True
        if kind == b"VP8 ":
            return False
        length = int.from_bytes(head[offset + 4 : offset + 8], "little")
        offset += 8 + length + (length & 1)
    return False


def read_keep(
    image: Image.Image, source_format: str, head: bytes, exif: Image.Exif | None = None
) -> Keep:
    """Collect what to keep from the decoded image. ``exif``: the source's EXIF as read once
    before decoding (``None`` when it had none); it is written back with orientation 1.
    Every XMP orientation (in the XMP packet, or a PNG text chunk holding one) is written
    back as 1."""
    info = image.info
    xmp = info.get("xmp")
    text: dict[str, str] = {}
    if source_format == "PNG":
        text = {
            k: upright_xmp(v)
            for k, v in info.items()
            if isinstance(k, str) and _png_keyword(k) and isinstance(v, str)
        }
    dpi = _dpi(info.get("dpi"))
    return Keep(
        format=output_format(source_format),
        icc=info.get("icc_profile") or None,
        exif=exif,
        xmp=upright_xmp(xmp) if isinstance(xmp, bytes) and xmp else None,
        subsampling=JpegImagePlugin.get_sampling(image) if source_format == "JPEG" else -1,
        progressive=bool(info.get("progressive") or info.get("progression")),
        webp_lossless=source_format == "WEBP" and webp_is_lossless(head),
        png_text=text,
        dpi=dpi,
    )


def upright_xmp(xmp: _Text) -> _Text:
    """``xmp`` with every ``tiff:Orientation`` the probe could read set to 1 (one digit
    replaced by another: the packet stays well formed and the same length)."""
    if isinstance(xmp, bytes):
        return _XMP_ORIENTATION.sub(rb"\g<1>1", xmp)
    if "tiff:Orientation" not in xmp:
        return xmp
    raw = _XMP_ORIENTATION.sub(rb"\g<1>1", xmp.encode("utf-8", "surrogatepass"))
    return raw.decode("utf-8", "surrogatepass")


def _png_keyword(key: object) -> bool:
    """A key PNG can write back: 1-79 Latin-1 characters (others are dropped, not fatal)."""
    if not isinstance(key, str) or not 1 <= len(key) <= 79:
        return False
    try:
        key.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _dpi(raw: object) -> tuple[float, float] | None:
    """A resolution worth writing back: two finite positive numbers, else none."""
    if not isinstance(raw, tuple) or len(raw) != 2:
        return None
    try:
        x, y = float(raw[0]), float(raw[1])
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(x) and math.isfinite(y) and 0 < x < 1e6 and 0 < y < 1e6):
        return None
    return x, y


def exif_bytes(exif: Image.Exif | None, size: tuple[int, int]) -> bytes | None:
    """The kept EXIF with orientation 1 and the new pixel size; ``None`` if there was none."""
    if exif is None:
        return None
    exif[_ORIENTATION] = 1
    for tag, value in ((_IMAGE_WIDTH, size[0]), (_IMAGE_LENGTH, size[1])):
        if tag in exif:
            exif[tag] = value
    if _EXIF_IFD in exif:
        sub = exif.get_ifd(_EXIF_IFD)
        if _PIXEL_X in sub:
            sub[_PIXEL_X] = size[0]
        if _PIXEL_Y in sub:
            sub[_PIXEL_Y] = size[1]
    try:
        data: bytes = exif.tobytes()
    except Exception:  # noqa: BLE001 - a tag Pillow read but cannot write back
        return _writable_exif(exif)
    return data


def _writable_exif(exif: Image.Exif) -> bytes | None:
    """Keep the tags that can be written back one by one; ``None`` when none can."""
    clean = Image.Exif()
    for tag, value in exif.items():
        if tag not in _SUB_IFDS and _writable(tag, value):
            clean[tag] = value
    for pointer in _SUB_IFDS:
        if pointer in exif:
            sub = clean.get_ifd(pointer)
            for tag, value in exif.get_ifd(pointer).items():
                if _writable(tag, value):
                    sub[tag] = value
    try:
        data: bytes = clean.tobytes()
    except Exception:  # noqa: BLE001 - give up on EXIF rather than on the fix
        return None
    return data


def _writable(tag: int, value: object) -> bool:
    trial = Image.Exif()
    trial[tag] = value
    try:
        trial.tobytes()
    except Exception:  # noqa: BLE001 - this one tag cannot be serialised
        return False
    return True


def encode(
    image: Image.Image,
    keep: Keep,
    icc: bytes | None,
    jpeg_quality: int,
    *,
    full_chroma: bool = False,
) -> bytes:
    """Encode ``image`` as ``keep.format``; ``icc`` is the profile that now applies.

    ``full_chroma``: the picture was shrunk to half or less on both sides, so its colour has
    the full resolution of the result even where the source's was subsampled; a JPEG is then
    written 4:4:4 instead of in the source's subsampling."""
    options: dict[str, Any] = {}
    exif = exif_bytes(keep.exif, image.size)
    if exif and (keep.format != "JPEG" or len(exif) <= _JPEG_SEGMENT):
        options["exif"] = exif  # a JPEG segment holds 64 KiB: a larger EXIF is dropped
    if icc:
        options["icc_profile"] = icc
    if keep.dpi:
        options["dpi"] = keep.dpi
    fmt = keep.format
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options["quality"] = jpeg_quality
        if image.mode == "RGB" and (full_chroma or keep.subsampling == 0):
            options["subsampling"] = 0
        elif image.mode == "RGB" and keep.subsampling != -1:
            options["subsampling"] = keep.subsampling
        if keep.progressive:
            options["progressive"] = True
        if keep.xmp and len(keep.xmp) <= _JPEG_SEGMENT - 40:
            options["xmp"] = keep.xmp
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        for key, value in keep.png_text.items():
            info.add_itxt(key, value)
        options["pnginfo"] = info
        options["compress_level"] = 6
    elif fmt == "WEBP":
        if keep.webp_lossless:
            options["lossless"] = True
            options["quality"] = 100
        else:
            options["quality"] = jpeg_quality
        options["method"] = 4
        if keep.xmp:
            options["xmp"] = keep.xmp
    else:
        raise ValueError(f"cannot write {fmt}: fixes keep the format and only write JPEG/PNG/WebP")
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
