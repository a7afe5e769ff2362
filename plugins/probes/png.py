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

from sora_lint.hookspecs import hookimpl
from sora_lint.run.probe_reader import BudgetExceeded, ProbeReader
from sora_lint.types import ProbeResult, Problem, ProblemKind

from .answers import header_result
from .png_meta import TEXT_KEYS, Meta, PngError, take_quietly

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
_META = frozenset({b"eXIf", b"tEXt", b"zTXt", b"iTXt"})
#: Chunks whose content the walk reads; the others are checked (CRC, length) and skipped.
_CONTENT = frozenset({b"IHDR", b"tRNS", b"acTL", b"fcTL"}) | _META
#: Chunk types of the usual PNG that the walk only checks, or hands to Meta: valid names, not
#: image data, read without a call when they lie in the head.
_COMMON = _META | {
    b"PLTE", b"iCCP", b"pHYs", b"sRGB", b"gAMA", b"cHRM", b"bKGD", b"tIME", b"sBIT", b"hIST",
    b"sPLT", b"cICP", b"mDCv", b"cLLi", b"oFFs", b"pCAL", b"sCAL", b"sTER", b"dSIG", b"gIFg",
}  # fmt: skip
_HEADER = struct.Struct(">I4s")
_U32 = struct.Struct(">I")
_IHDR = struct.Struct(">IIBBBB")
_CGBI = "Apple-optimised PNG (CgBI chunk): standard decoders, Pillow included, cannot read it"
#: Shortest length Pillow accepts for these chunks (it refuses the file otherwise).
MIN_LENGTH = {b"gAMA": 4, b"cHRM": 32, b"sRGB": 1, b"pHYs": 9}


@hookimpl
def sora_lint_probe(head: bytes, byte_size: int, reader: ProbeReader) -> ProbeResult | None:
    """Answer for PNG content; ``None`` when the header runs past the read budget."""
    if head[:8] != SIGNATURE:
        return _damaged_signature(head) if head[12:16] == b"IHDR" else None
    try:
        return _probe(reader)
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


def _probe(window: ProbeReader) -> ProbeResult:
    head = window.head
    in_head = len(head)
    length, cid, data = _chunk(window, 8, True)
    if cid != b"IHDR":
        raise PngError(ProblemKind.CORRUPT, _CGBI if cid == b"CgBI" else _no_ihdr(cid))
    width, height, mode, bits = _ihdr(data)
    pos = 20 + length
    frames: int | None = None
    actl_seen = fctl_seen = has_alpha = False
    meta = Meta()
    unpack = _HEADER.unpack_from
    for _ in range(MAX_CHUNKS - 1):
        # The usual chunk, of a common type and whole in the head, is checked here as _chunk
        # would check it, without a call. The image data and anything else go through _chunk.
        if pos + 8 <= in_head:
            length, cid = unpack(head, pos)
            end = pos + 12 + length
            if end <= in_head and cid in _COMMON:
                if cid in MIN_LENGTH and length < MIN_LENGTH[cid]:
                    raise _too_short(cid, length)
                if zlib.crc32(head[pos + 4 : end - 4]) != _U32.unpack_from(head, end - 4)[0]:
                    raise _bad_crc(cid, pos)
                if cid in _META:
                    data = head[pos + 8 : end - 4]
                    if cid == b"eXIf":
                        meta.exif = data
                    elif cid == b"zTXt" or data.startswith(TEXT_KEYS):
                        meta.take(cid, data)  # else a text chunk whose keyword is not ours
                pos = end
                continue
        length, cid, data = _chunk(window, pos, False)
        if cid in _IMAGE_DATA:
            if cid == b"fdAT" and not fctl_seen:
                raise PngError(
                    ProblemKind.CORRUPT, "corrupt APNG: frame data before any fcTL chunk"
                )
            if frames is not None and not fctl_seen:
                frames += 1  # the IDAT image is shown before the animation, not part of it
            if meta.exif is None:  # Pillow's getexif() then decodes and reads on
                _trailing(window, pos, meta, animated=(frames or 1) > 1)
            alpha = has_alpha or mode in ("LA", "RGBA")
            return header_result(
                "PNG", width, height, mode, meta.orientation(), frames or 1, alpha, bits
            )
        if cid in _META:
            meta.take(cid, data)
        elif cid == b"tRNS":
            has_alpha = has_alpha or _trns(mode, data)
        elif cid == b"acTL":
            frames, actl_seen = _actl(data, actl_seen, frames)
        elif cid == b"fcTL":
            _fctl(data, width, height, first=not fctl_seen)
            fctl_seen = True
        pos += 12 + length
    # Refused rather than left to Pillow, which would read every such chunk in Python.
    raise PngError(
        ProblemKind.CORRUPT, f"corrupt PNG: more than {MAX_CHUNKS:,} chunks before the image data"
    )


def _chunk(window: ProbeReader, pos: int, first: bool) -> tuple[int, bytes, bytes]:
    """Read the chunk at ``pos``; check its type, its length against the file, and its CRC.

    Returns the content of the chunks the walk reads, ``b""`` for the others."""
    head = window.head
    if pos + 8 <= len(head):  # the usual case: the chunk header is in the head
        length, cid = _HEADER.unpack_from(head, pos)
    else:
        header = window.read(pos, 8)
        if len(header) < 8:
            where = "IHDR" if first else "image data (IDAT)"
            raise PngError(
                ProblemKind.TRUNCATED,
                f"truncated PNG: file ends at byte {window.size} before the {where}",
            )
        length, cid = _HEADER.unpack(header)
    if not cid.isalnum() and not _CHUNK_TYPE.fullmatch(cid):
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
    if cid in MIN_LENGTH and length < MIN_LENGTH[cid]:
        raise _too_short(cid, length)
    content = cid in _CONTENT
    if not content and end > window.zone:
        return length, cid, b""  # far past the head and not read: its CRC is left unchecked
    # The CRC covers the type and the data: one crc32 over the chunk minus length and CRC.
    if end <= len(head):
        checked = zlib.crc32(head[pos + 4 : end - 4])
        stored = _U32.unpack_from(head, end - 4)[0]
        data = head[pos + 8 : end - 4] if content else b""
    else:
        whole = window.read(pos + 8, length + 4)
        data = whole[:-4]
        checked = zlib.crc32(data, zlib.crc32(cid))
        stored = int.from_bytes(whole[-4:], "big")
    if checked != stored:
        raise _bad_crc(cid, pos)
    return length, cid, data


def _too_short(cid: bytes, length: int) -> PngError:
    return PngError(ProblemKind.CORRUPT, f"corrupt PNG: {_name(cid)} chunk of {length} bytes")


def _bad_crc(cid: bytes, pos: int) -> PngError:
    return PngError(
        ProblemKind.CORRUPT, f"corrupt PNG: bad CRC in {_name(cid)} chunk at byte {pos}"
    )


def _ihdr(data: bytes) -> tuple[int, int, str, int]:
    if len(data) < 13:
        raise PngError(
            ProblemKind.CORRUPT, f"corrupt PNG: IHDR chunk has {len(data)} bytes, not 13"
        )
    width, height, depth, colour, _, filtering = _IHDR.unpack_from(data)
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
    return width, height, mode, depth


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


def _fctl(data: bytes, image_width: int, image_height: int, first: bool) -> None:
    if len(data) < 26:
        raise PngError(ProblemKind.CORRUPT, "corrupt APNG: truncated fcTL chunk")
    seq, width, height, x, y = struct.unpack_from(">5I", data)
    if first and seq != 0:
        raise PngError(ProblemKind.CORRUPT, "corrupt APNG: frame sequence does not start at 0")
    if x + width > image_width or y + height > image_height:
        raise PngError(ProblemKind.CORRUPT, "corrupt APNG: a frame lies outside the image")


def _trailing(window: ProbeReader, pos: int, meta: Meta, animated: bool) -> None:
    """Metadata chunks after the image data, which Pillow reads when ``getexif()`` loads."""
    if window.size <= window.zone:
        for _ in range(MAX_CHUNKS):
            header = window.read(pos, 8)
            if len(header) < 8:
                return
            length, cid = _HEADER.unpack(header)
            if cid == b"IEND" or (cid == b"fcTL" and animated):
                return
            if cid in _META:
                take_quietly(meta, cid, window.read(pos + 8, length))
            pos += 12 + length
        return
    # A file larger than the free zone: only an eXIf chunk near the end is looked for (XMP or a
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
