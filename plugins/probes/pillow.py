"""The fallback prober (``trylast``): Pillow's ``Image.open`` on an allow-list, headers only.

It answers for the raster formats the fast probers leave (GIF, BMP, TIFF, AVIF, …) and for
any file they could not decide. Nothing is decoded: no ``load()``, no ``getexif()`` on a PNG
(which decodes the whole image), GIF frames counted only in small files. Pillow is imported
here, on first use, so a cached run that probes nothing never pays for it.

The allow-list names in-process raster decoders whose ``open`` reads a header only. Left out
on purpose: EPS and PDF (Ghostscript), WMF/EMF (a system renderer on Windows), ICO (Pillow
decodes the icon inside ``open``; ``probe_basic`` names it instead), TGA (no magic number: it
would claim random binary files), PPM (an ASCII header: it would call a text file a corrupt
PPM), and Pillow's rare scientific or legacy formats (FITS, SPIDER, IM, MCIDAS, …).
"""

from __future__ import annotations

import errno
import threading
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sora_lint.hookspecs import hookimpl
from sora_lint.run.probe_reader import ProbeReader, StreamLimitExceeded
from sora_lint.types import ImageHeader, ProbeResult, Problem, ProblemKind, Size

from . import ends, orient

if TYPE_CHECKING:
    from PIL import Image

#: Formats Pillow may open, strong magic numbers first (Pillow tries them in this order).
ALLOWED = (
    "JPEG",  # also opens MPO: Pillow's JPEG factory turns a multi-picture file into one
    "PNG",
    "WEBP",
    "GIF",
    "TIFF",
    "AVIF",
    "JPEG2000",
    "BMP",
    "PSD",
    "QOI",
    "ICNS",
    "DDS",
    "CUR",
)
#: GIF frames are counted only up to this file size: Pillow walks every frame's data blocks.
#: Larger animated GIFs report 2 frames ("more than one"), which is all the rules need.
GIF_COUNT_BYTES = 1024 * 1024
#: Pillow reads WebP and AVIF files whole; larger ones are not handed to it.
WHOLE_FILE_LIMIT = 256 * 1024 * 1024
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})
_BITS = {"1": 1, "I": 32, "F": 32, "I;16": 16, "I;16B": 16, "I;16L": 16, "I;16N": 16}
_LIMIT_LOCK = threading.Lock()
#: errno values that mean the file could not be read; others (EINVAL from a seek to an
#: offset the header made up, …) are the data's fault.
_DISK_ERRORS = frozenset(
    {errno.EIO, errno.EACCES, errno.EPERM, errno.ENOENT, errno.EISDIR, errno.ENXIO, errno.ENODEV}
)


@hookimpl(trylast=True)
def sora_lint_probe(head: bytes, byte_size: int, reader: ProbeReader) -> ProbeResult | None:
    """Answer with Pillow's reading of the header; ``None`` when Pillow knows no format."""
    from PIL import features

    avif = head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis")
    if avif and not features.check("avif"):
        message = "AVIF content; not opened (this Pillow build cannot read AVIF)"
        return ProbeResult("AVIF", problem=Problem(ProblemKind.NOT_OPENED, message))
    if (avif or head[8:12] == b"WEBP") and byte_size > WHOLE_FILE_LIMIT:
        message = f"{byte_size:,} bytes: too large to read whole for its header"
        return ProbeResult(
            "AVIF" if avif else "WEBP", problem=Problem(ProblemKind.IO_ERROR, message)
        )
    _quiet_pillow_logging()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _probe(reader, byte_size)
        except Exception as exc:  # noqa: BLE001 - every failure on a hostile file is a value
            return _failure(reader, head, exc)


def _quiet_pillow_logging() -> None:
    """Pillow logs some hostile headers at ERROR; with no handler Python prints them to stderr."""
    import logging  # only when Pillow is about to be used: it costs start-up

    logger = logging.getLogger("PIL")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _probe(reader: ProbeReader, byte_size: int) -> ProbeResult:
    from PIL import Image

    with reader.stream() as handle:
        with _LIMIT_LOCK:
            # Lift the bomb limit for the header only, so a gigapixel file reports its size
            # (rule SL010) instead of an error; nothing below allocates pixels.
            limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
            try:
                image = Image.open(handle, formats=ALLOWED)
            finally:
                Image.MAX_IMAGE_PIXELS = limit
        with image:
            header = _header(image, byte_size)
    if image.format == "GIF":
        cut = ends.gif_cut(reader)
        if cut is not None:
            return ProbeResult("GIF", problem=Problem(ProblemKind.TRUNCATED, cut))
    return ProbeResult(image.format, header)


def _header(image: Image.Image, byte_size: int) -> ImageHeader:
    fmt, mode, info = image.format, image.mode, image.info
    size = Size(*image.size)
    if fmt == "TIFF":
        tags: Any = getattr(image, "tag_v2", {})
        raw = tags.get(0x0112)
        orientation = raw if isinstance(raw, int) and 1 <= raw <= 8 else 1
        width, height = tags.get(256), tags.get(257)
        if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
            size = Size(width, height)  # Pillow reports TIFF sizes already rotated
    else:
        orientation = orient.orientation(_exif_bytes(info), _xmp(info))
    frames = _frames(image, byte_size)
    alpha = mode in _ALPHA_MODES or "transparency" in info
    bits = getattr(image, "bits", None) if fmt == "JPEG" else None
    if not isinstance(bits, int) or bits <= 0:
        bits = _BITS.get(mode, 8)
    return ImageHeader(size, mode, orientation, frames, alpha, bits)


def _frames(image: Image.Image, byte_size: int) -> int:
    """Frames without decoding; PSD layers are not frames, large GIFs say "more than one".

    A later frame Pillow cannot read leaves the first one readable (``--fix`` and the API
    use it): the frames before it are counted, and the file is not refused."""
    if image.format == "PSD":
        return 1
    try:
        if image.format == "GIF":
            if not getattr(image, "is_animated", False):
                return 1
            if byte_size > GIF_COUNT_BYTES:
                return 2
        frames = getattr(image, "n_frames", 1)
    except Exception:  # noqa: BLE001 - any failure of a later frame
        return max(1, image.tell() + 1)
    return frames if isinstance(frames, int) and frames > 0 else 1


def _exif_bytes(info: Mapping[Any, Any]) -> bytes | None:
    """EXIF as Pillow's ``getexif()`` finds it in ``info``, without its PNG decode."""
    exif = info.get("exif")
    if isinstance(exif, bytes):
        return exif
    raw = info.get("Raw profile type exif")
    if isinstance(raw, str):
        try:
            return bytes.fromhex("".join(raw.split("\n")[3:]))
        except ValueError:
            return None
    return None


def _xmp(info: Mapping[Any, Any]) -> bytes | str | None:
    xmp = info.get("XML:com.adobe.xmp") or info.get("xmp")
    return xmp if isinstance(xmp, (bytes, str)) else None


def _failure(reader: ProbeReader, head: bytes, exc: Exception) -> ProbeResult | None:
    """Turn Pillow's refusal into a problem naming the format the bytes claim to be."""
    from PIL import UnidentifiedImageError

    fmt, reason = _claimed_format(reader, head)
    if isinstance(exc, UnidentifiedImageError):
        if fmt is None:
            return None  # no allowed format claims these bytes: the core says "not an image"
        exc = reason or exc
    if isinstance(exc, StreamLimitExceeded):
        message = f"{fmt or 'image'} header continues past what may be read: {exc}"
        return ProbeResult(fmt, problem=Problem(ProblemKind.IO_ERROR, message))
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRORS:  # the disk, not the data
        return ProbeResult(fmt, problem=Problem(ProblemKind.IO_ERROR, f"cannot read: {exc}"))
    message = _describe(exc)
    if _is_truncation(exc, message):
        problem = Problem(ProblemKind.TRUNCATED, f"truncated {fmt or 'image'}: {message}")
    else:
        problem = Problem(ProblemKind.CORRUPT, f"corrupt {fmt or 'image'}: {message}")
    return ProbeResult(fmt, problem=problem)


def _claimed_format(reader: ProbeReader, head: bytes) -> tuple[str | None, Exception | None]:
    """The first allowed format whose magic number matches, and why its reader refused."""
    from PIL import Image

    Image.init()
    prefix = head[:16]
    for fmt in ALLOWED:
        entry = Image.OPEN.get(fmt)
        if entry is None:
            continue
        factory, accept = entry
        if accept is None or accept(prefix) is not True:
            continue
        try:
            with reader.stream() as handle:
                factory(handle, "").close()
        except Exception as exc:  # noqa: BLE001 - the reason is what we are after
            return fmt, exc
        return fmt, None
    return None, None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "the header declares more memory than can be allocated"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{text} ({type(exc).__name__})" if text else type(exc).__name__


def _is_truncation(exc: BaseException, message: str) -> bool:
    lowered = message.lower()
    if isinstance(exc, EOFError) or "truncat" in lowered or "not enough data" in lowered:
        return True
    # Pillow re-raises struct.error from a short read as SyntaxError with the same text.
    return "requires a buffer" in lowered
