"""Fast PNG/APNG prober: walks chunk headers, never inflates image data, never imports Pillow.

It answers what Pillow's ``Image.open`` would: the chunks before the image data are read as
Pillow reads them (any order, the last IHDR wins, CRCs and lengths checked:
:mod:`.png_chunks`), so a file Pillow refuses is refused here too and one it opens gets the
same size, mode, frames and transparency. The orientation is the one Pillow's ``getexif()``
finds (eXIf, a text chunk, XMP), without the full decode that ``getexif()`` does on a PNG.
Then one bounded look at the end of the file tells a whole file from a cut one (:mod:`.ends`).
"""

from __future__ import annotations

import contextlib
import re
import struct
import zlib

from sora_lint.hookspecs import hookimpl
from sora_lint.run.probe_reader import BudgetExceeded, ProbeReader
from sora_lint.types import ProbeResult, Problem, ProblemKind

from . import ends
from .answers import header_result
from .png_chunks import MIN_LENGTH, PngState
from .png_meta import TEXT_KEYS, Meta, PngError, take_quietly

SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Chunks walked before the image data. Pillow has no limit, but reads each in Python: past
#: this many (a real PNG has a dozen) the file is refused rather than handed to it.
MAX_CHUNKS = 65536
#: Bytes at the end of a large file searched for an eXIf chunk after the image data: one
#: small read, as a chunk-by-chunk walk over thousands of IDAT chunks would cost far more.
TAIL_BYTES = 4096
_IMAGE_DATA = (b"IDAT", b"fdAT", b"IEND")
_CHUNK_TYPE = re.compile(rb"\w\w\w\w")
_META = frozenset({b"eXIf", b"tEXt", b"zTXt", b"iTXt"})
#: Chunk types of the usual PNG that only need their CRC checked (and a length, for some).
_PLAIN = frozenset(
    {b"PLTE", b"pHYs", b"sRGB", b"gAMA", b"cHRM", b"bKGD", b"tIME", b"sBIT", b"hIST", b"sPLT",
     b"cICP", b"mDCv", b"cLLi", b"oFFs", b"pCAL", b"sCAL", b"sTER", b"dSIG", b"gIFg"}
)  # fmt: skip
#: Chunks whose content the walk reads wherever they lie.
_CONTENT = _META | frozenset(MIN_LENGTH) | {b"tRNS", b"iCCP"}
_HEADER = struct.Struct(">I4s")
_U32 = struct.Struct(">I")
_CGBI = "Apple-optimised PNG (CgBI chunk): standard decoders, Pillow included, cannot read it"


@hookimpl
def sora_lint_probe(head: bytes, reader: ProbeReader) -> ProbeResult | None:
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


def _probe(reader: ProbeReader) -> ProbeResult:
    head = reader.head
    in_head = len(head)
    state = PngState()
    pos = 8
    unpack = _HEADER.unpack_from
    for _ in range(MAX_CHUNKS):
        # The usual chunk, whole in the head and not image data, is checked here as _chunk
        # would check it, without a call. The image data and anything else go through _chunk.
        if pos + 8 <= in_head:
            length, cid = unpack(head, pos)
            end = pos + 12 + length
            if end <= in_head and cid not in _IMAGE_DATA and pos > 8 and _valid(cid):
                if zlib.crc32(head[pos + 4 : end - 4]) != _U32.unpack_from(head, end - 4)[0]:
                    raise _bad_crc(cid, pos)
                if cid not in _PLAIN and (cid != b"tEXt" or head.startswith(TEXT_KEYS, pos + 8)):
                    # A tEXt chunk of another keyword sets nothing an answer depends on (its
                    # text counts towards Pillow's 64 MiB only past a head's worth).
                    state.take(cid, head[pos + 8 : end - 4])
                elif cid in MIN_LENGTH and length < MIN_LENGTH[cid]:
                    raise PngError(ProblemKind.CORRUPT, f"corrupt PNG: {_name(cid)} chunk of "
                                   f"{length} bytes")  # fmt: skip
                pos = end
                continue
        length, cid, data = _chunk(reader, pos, state)
        if cid in _IMAGE_DATA:
            state.image_data(cid, data)
            if state.mode or cid == b"IEND":
                return _answer(reader, state, pos, cid)
            if cid == b"fdAT":  # Pillow reads on four bytes off and fails the next check
                raise PngError(ProblemKind.CORRUPT, "corrupt APNG: fdAT chunk before IHDR")
        if pos == 8 and cid == b"CgBI":
            raise PngError(ProblemKind.CORRUPT, _CGBI)
        state.take(cid, data)
        pos += 12 + length
    raise PngError(
        ProblemKind.CORRUPT,
        f"corrupt PNG: more than {MAX_CHUNKS:,} chunks before the image data",
    )


def _valid(cid: bytes) -> bool:
    """A chunk type Pillow accepts: four letters, digits or underscores."""
    return cid.isalnum() or _CHUNK_TYPE.fullmatch(cid) is not None


def _answer(reader: ProbeReader, state: PngState, pos: int, cid: bytes) -> ProbeResult:
    """The header once the image data is reached, if Pillow would open it and the file is
    whole."""
    refused = state.verdict()
    if refused is not None:
        raise PngError(ProblemKind.CORRUPT, refused)
    if cid == b"IEND":
        raise PngError(ProblemKind.CORRUPT, "corrupt PNG: IEND before any image data (IDAT)")
    cut = ends.png_cut(reader, pos)
    if cut is not None:
        raise PngError(ProblemKind.TRUNCATED, cut)
    meta = state.meta
    frames = state.frames or 1
    if reader.size <= reader.zone:
        _after_image_data(reader, pos, state, animated=frames > 1)
    elif meta.exif is None:  # Pillow's getexif() then decodes and reads on
        _exif_in_tail(reader, pos, meta)
    alpha = state.transparency or state.mode in ("LA", "RGBA")
    return header_result(
        "PNG", state.width, state.height, state.mode, meta.orientation(), frames, alpha,
        state.bits,
    )  # fmt: skip


def _chunk(reader: ProbeReader, pos: int, state: PngState) -> tuple[int, bytes, bytes]:
    """Read the chunk at ``pos``; check its type, its length against the file, and its CRC.

    Returns the content of the chunks the walk reads (``b""`` for most others; the first
    four bytes of an fdAT chunk, its sequence number)."""
    head = reader.head
    if pos + 8 <= len(head):  # the usual case: the chunk header is in the head
        length, cid = _HEADER.unpack_from(head, pos)
    else:
        header = reader.read(pos, 8)
        if len(header) < 8:
            if state.bad_ihdr:
                raise PngError(ProblemKind.CORRUPT, f"corrupt PNG: {state.bad_ihdr}")
            where = "IHDR" if state.width == 0 else "image data (IDAT)"
            raise PngError(
                ProblemKind.TRUNCATED,
                f"truncated PNG: file ends at byte {reader.size} before the {where}",
            )
        length, cid = _HEADER.unpack(header)
    if not _valid(cid):
        raise PngError(
            ProblemKind.CORRUPT, f"corrupt PNG: invalid chunk type {cid!r} at byte {pos}"
        )
    if cid in _IMAGE_DATA and (state.mode or cid != b"IDAT"):
        return length, cid, reader.read(pos + 8, min(length, 4)) if cid == b"fdAT" else b""
    # An IDAT chunk before any IHDR naming a mode: Pillow has no raw mode to read it with
    # and skips it as an unknown chunk.
    end = pos + 12 + length
    if end > reader.size:
        raise PngError(
            ProblemKind.TRUNCATED,
            f"truncated PNG: {_name(cid)} chunk at byte {pos} needs {length:,} bytes; the file "
            f"ends at byte {reader.size:,}",
        )
    if end > reader.zone and cid not in _CONTENT:
        return length, cid, b""  # far past the head and not read: its CRC is left unchecked
    # The CRC covers the type and the data: one crc32 over the chunk minus length and CRC.
    if end <= len(head):
        checked = zlib.crc32(head[pos + 4 : end - 4])
        stored = _U32.unpack_from(head, end - 4)[0]
        data = head[pos + 8 : end - 4]
    else:
        whole = reader.read(pos + 8, length + 4)
        data = whole[:-4]
        checked = zlib.crc32(data, zlib.crc32(cid))
        stored = int.from_bytes(whole[-4:], "big")
    if checked != stored:
        raise _bad_crc(cid, pos)
    return length, cid, data


def _bad_crc(cid: bytes, pos: int) -> PngError:
    return PngError(
        ProblemKind.CORRUPT, f"corrupt PNG: bad CRC in {_name(cid)} chunk at byte {pos}"
    )


def _after_image_data(reader: ProbeReader, pos: int, state: PngState, animated: bool) -> None:
    """The chunks after the image data of a file read whole (the free zone holds it): the
    IDAT chunks must follow one another, as the decoder stops at the first other chunk, and
    the metadata and tRNS chunks there count, as Pillow reads them once it decodes (a fix,
    or ``getexif()``)."""
    meta = state.meta
    chain, reading = True, True  # Pillow reads on to IEND, or to an animation's next frame
    loads = meta.exif is None  # getexif() decodes (and reads these chunks) only then
    for _ in range(MAX_CHUNKS):
        header = reader.read(pos, 8)
        if len(header) < 8:
            return
        length, cid = _HEADER.unpack(header)
        if cid == b"IEND" or not _CHUNK_TYPE.fullmatch(cid):
            return
        if cid not in (b"IDAT", b"DDAT", b"fdAT"):
            chain = False
            reading = reading and not (cid == b"fcTL" and animated)
        elif cid == b"IDAT" and not chain:
            raise PngError(
                ProblemKind.CORRUPT,
                f"corrupt PNG: IDAT chunk at byte {pos:,} after other chunks; the image data "
                "before them ends early",
            )
        if reading and loads and cid in _META:
            take_quietly(meta, cid, reader.read(pos + 8, length))
        elif reading and cid == b"tRNS":
            with contextlib.suppress(PngError):  # a bad one fails Pillow's decode, not its open
                state.take(cid, reader.read(pos + 8, length))
        pos += 12 + length


def _exif_in_tail(reader: ProbeReader, pos: int, meta: Meta) -> None:
    """A file larger than the free zone: only an eXIf chunk near the end is looked for (XMP or
    a raw-profile text chunk after the image data of a large file is not), and a match
    counts only if its CRC holds, so bytes of compressed image data cannot pass for one."""
    start = max(pos + 8, reader.size - TAIL_BYTES)
    tail = reader.read(start, reader.size - start)
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


def _name(cid: bytes) -> str:
    return cid.decode("latin-1")
