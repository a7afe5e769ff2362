"""Fast PNG/APNG prober: walks chunk headers, never inflates image data, never imports Pillow.

It answers what Pillow's ``Image.open`` would: size and mode from IHDR (named as Pillow names
them), frames from acTL, transparency from tRNS, and the orientation Pillow's ``getexif()``
finds (eXIf, a "Raw profile type exif" text chunk, or XMP ``tiff:Orientation``), without the
full decode that ``getexif()`` does on a PNG. Chunks before the image data are checked as
Pillow checks them (CRC, lengths), so a file Pillow refuses is reported here too.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from sora_lint.hookspecs import hookimpl
from sora_lint.types import ImageHeader, ProbeResult, Problem, ProblemKind, Size

from ._png_meta import Meta, PngError, take_quietly
from ._window import BudgetExceeded, FileWindow

SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: (bit depth, colour type) → Pillow's mode (``PngImagePlugin._MODES``).
MODES = {
    (1, 0): "1", (2, 0): "L", (4, 0): "L", (8, 0): "L", (16, 0): "I;16",
    (8, 2): "RGB", (16, 2): "RGB",
    (1, 3): "P", (2, 3): "P", (4, 3): "P", (8, 3): "P",
    (8, 4): "LA", (16, 4): "RGBA",
    (8, 6): "RGBA", (16, 6): "RGBA",
}  # fmt: skip
#: Chunks looked at before the image data, and after it in a file read whole.
MAX_CHUNKS = 1024
#: Bytes at the end of a large file searched for an eXIf chunk after the image data: one
#: small read, as a chunk-by-chunk walk over thousands of IDAT chunks would cost far more.
TAIL_BYTES = 4096
_IMAGE_DATA = (b"IDAT", b"fdAT", b"IEND")
_CHUNK_TYPE = re.compile(rb"\w\w\w\w")
_TAIL_TYPES = (b"eXIf", b"tEXt", b"zTXt", b"iTXt")
_CGBI = "Apple-optimised PNG (CgBI chunk): standard decoders, Pillow included, cannot read it"
#: Shortest length Pillow accepts for these chunks (it refuses the file otherwise).
MIN_LENGTH = {b"gAMA": 4, b"cHRM": 32, b"sRGB": 1, b"pHYs": 9}


@hookimpl
def sora_lint_probe(path: Path, head: bytes, byte_size: int) -> ProbeResult | None:
    """Answer for PNG content; ``None`` when the header runs past the read budget."""
    if not head.startswith(SIGNATURE):
        return _damaged_signature(head)
    try:
        with FileWindow(path, head, byte_size) as window:
            return ProbeResult("PNG", _probe(window))
    except PngError as exc:
        return ProbeResult("PNG", problem=Problem(exc.kind, str(exc)))
    except BudgetExceeded:
        return None
    except OSError as exc:
        return ProbeResult("PNG", problem=Problem(ProblemKind.IO_ERROR, f"cannot read: {exc}"))


def _damaged_signature(head: bytes) -> ProbeResult | None:
    """A PNG whose first chunk is intact but whose signature is not: a 7-bit or text-mode
    transfer (a line-ending conversion) does exactly this, and the file is lost to decoders."""
    letters = sum(a == b for a, b in zip(head[1:4].upper(), b"PNG", strict=False))
    if head[12:16] != b"IHDR" or letters < 2:
        return None
    message = (
        f"corrupt PNG: damaged signature {head[:8].hex(' ')} (a transfer in text or 7-bit "
        "mode, or a line-ending conversion, changes these bytes)"
    )
    return ProbeResult("PNG", problem=Problem(ProblemKind.CORRUPT, message))


def _probe(window: FileWindow) -> ImageHeader:
    pos = len(SIGNATURE)
    size: Size | None = None
    mode, bits = "", 8
    frames: int | None = None
    actl_seen = fctl_seen = has_alpha = False
    meta = Meta()
    for _ in range(MAX_CHUNKS):
        length, cid, data = _chunk(window, pos, size is None)
        if size is None:
            if cid != b"IHDR":
                raise PngError(ProblemKind.CORRUPT, _CGBI if cid == b"CgBI" else _no_ihdr(cid))
            size, mode, bits = _ihdr(data)
        elif cid in _IMAGE_DATA:
            if cid == b"fdAT" and not fctl_seen:
                raise PngError(
                    ProblemKind.CORRUPT, "corrupt APNG: frame data before any fcTL chunk"
                )
            if frames is not None and not fctl_seen:
                frames += 1  # the IDAT image is shown before the animation, not part of it
            if meta.exif is None:  # Pillow's getexif() then decodes and reads on
                _trailing(window, pos, meta, animated=(frames or 1) > 1)
            alpha = has_alpha or mode in ("LA", "RGBA")
            return ImageHeader(size, mode, meta.orientation(), frames or 1, alpha, bits)
        elif cid == b"tRNS":
            has_alpha = has_alpha or _trns(mode, data)
        elif cid == b"acTL":
            frames, actl_seen = _actl(data, actl_seen, frames)
        elif cid == b"fcTL":
            _fctl(data, size, first=not fctl_seen)
            fctl_seen = True
        else:
            meta.take(cid, data)
        pos += 12 + length
    # Refused rather than left to Pillow, which would read every such chunk in Python.
    raise PngError(
        ProblemKind.CORRUPT, f"corrupt PNG: more than {MAX_CHUNKS:,} chunks before the image data"
    )


def _chunk(window: FileWindow, pos: int, first: bool) -> tuple[int, bytes, bytes]:
    """Read the chunk at ``pos``; check its type, its length against the file, and its CRC."""
    header = window.read(pos, 8)
    if len(header) < 8:
        where = "IHDR" if first else "image data (IDAT)"
        raise PngError(
            ProblemKind.TRUNCATED,
            f"truncated PNG: file ends at byte {window.size} before the {where}",
        )
    length, cid = struct.unpack(">I4s", header)
    if not _CHUNK_TYPE.fullmatch(cid):
        raise PngError(
            ProblemKind.CORRUPT, f"corrupt PNG: invalid chunk type {cid!r} at byte {pos}"
        )
    if cid in _IMAGE_DATA:
        return length, cid, b""
    end = pos + 12 + length
    if end > window.size:
        raise PngError(
            ProblemKind.TRUNCATED,
            f"truncated PNG: {_name(cid)} chunk at byte {pos} needs {length:,} bytes; the file "
            f"ends at byte {window.size:,}",
        )
    if length < MIN_LENGTH.get(cid, 0):
        raise PngError(ProblemKind.CORRUPT, f"corrupt PNG: {_name(cid)} chunk of {length} bytes")
    if cid not in (b"IHDR", b"tRNS", b"acTL", b"fcTL", b"eXIf", b"tEXt", b"zTXt", b"iTXt"):
        if end <= len(window.head):
            _check_crc(cid, window.head[pos + 8 : end - 4], window.head[end - 4 : end], pos)
        return length, cid, b""
    data = window.read(pos + 8, length + 4)
    _check_crc(cid, data[:-4], data[-4:], pos)
    return length, cid, data[:-4]


def _check_crc(cid: bytes, data: bytes, stored: bytes, pos: int) -> None:
    if zlib.crc32(data, zlib.crc32(cid)) != int.from_bytes(stored, "big"):
        raise PngError(
            ProblemKind.CORRUPT, f"corrupt PNG: bad CRC in {_name(cid)} chunk at byte {pos}"
        )


def _ihdr(data: bytes) -> tuple[Size, str, int]:
    if len(data) < 13:
        raise PngError(
            ProblemKind.CORRUPT, f"corrupt PNG: IHDR chunk has {len(data)} bytes, not 13"
        )
    width, height, depth, colour, _, filtering = struct.unpack_from(">IIBBBB", data)
    mode = MODES.get((depth, colour))
    if mode is None:
        raise PngError(
            ProblemKind.CORRUPT,
            f"corrupt PNG: bit depth {depth} with colour type {colour} is not valid",
        )
    if filtering != 0:
        raise PngError(ProblemKind.CORRUPT, f"corrupt PNG: unknown filter method {filtering}")
    if width == 0 or height == 0:
        raise PngError(
            ProblemKind.CORRUPT, f"corrupt PNG: IHDR declares a size of {width}x{height}"
        )
    return Size(width, height), mode, depth


def _trns(mode: str, data: bytes) -> bool:
    """Pillow sets ``info["transparency"]`` for any tRNS chunk of a mode without alpha."""
    if mode in ("LA", "RGBA"):
        return False
    if mode != "P" and len(data) < (6 if mode == "RGB" else 2):
        raise PngError(ProblemKind.CORRUPT, f"corrupt PNG: tRNS chunk has only {len(data)} bytes")
    return True


def _actl(data: bytes, seen: bool, frames: int | None) -> tuple[int | None, bool]:
    if len(data) < 8:
        raise PngError(ProblemKind.CORRUPT, "corrupt APNG: truncated acTL chunk")
    if seen:
        return None, True  # Pillow ignores an animation declared twice
    (count,) = struct.unpack_from(">I", data)
    return (count if 0 < count <= 0x80000000 else None), True


def _fctl(data: bytes, size: Size, first: bool) -> None:
    if len(data) < 26:
        raise PngError(ProblemKind.CORRUPT, "corrupt APNG: truncated fcTL chunk")
    seq, width, height, x, y = struct.unpack_from(">5I", data)
    if first and seq != 0:
        raise PngError(ProblemKind.CORRUPT, "corrupt APNG: frame sequence does not start at 0")
    if x + width > size.width or y + height > size.height:
        raise PngError(ProblemKind.CORRUPT, "corrupt APNG: a frame lies outside the image")


def _trailing(window: FileWindow, pos: int, meta: Meta, animated: bool) -> None:
    """Metadata chunks after the image data, which Pillow reads when ``getexif()`` loads."""
    if window.size <= len(window.head):
        for _ in range(MAX_CHUNKS):
            header = window.head[pos : pos + 8]
            if len(header) < 8:
                return
            length, cid = struct.unpack(">I4s", header)
            if cid == b"IEND" or (cid == b"fcTL" and animated):
                return
            if cid in _TAIL_TYPES:
                take_quietly(meta, cid, window.head[pos + 8 : pos + 8 + length])
            pos += 12 + length
        return
    # A file larger than the head: only an eXIf chunk near the end is looked for (XMP or a
    # raw-profile text chunk after the image data of a large file is not), and a match
    # counts only if its CRC holds, so bytes of compressed image data cannot pass for one.
    start = max(pos + 8, window.size - TAIL_BYTES)
    tail = window.read(start, window.size - start)
    at = tail.find(b"eXIf", 4)
    for _ in range(64):
        if at < 0:
            return
        (length,) = struct.unpack_from(">I", tail, at - 4)
        end = at + 4 + length
        crc = tail[end : end + 4]
        if len(crc) == 4 and zlib.crc32(tail[at:end]) == int.from_bytes(crc, "big"):
            take_quietly(meta, b"eXIf", tail[at + 4 : end])
        at = tail.find(b"eXIf", at + 4)


def _no_ihdr(cid: bytes) -> str:
    return f"corrupt PNG: first chunk is {_name(cid)}, not IHDR"


def _name(cid: bytes) -> str:
    return cid.decode("latin-1")
