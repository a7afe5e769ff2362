"""Fast WebP prober: walks RIFF chunk headers and reads the VP8/VP8L frame header, no Pillow.

It answers what Pillow's ``Image.open`` would: the canvas size, ``RGBA`` or ``RGB`` as
libwebp's ``WebPGetFeatures`` decides it (the VP8X alpha flag for animations, the VP8L
``alpha_is_used`` bit or an ALPH chunk for still images), the number of ANMF frames and the
orientation in the EXIF chunk (which follows the bitstream, so may lie past the head).
"""

from __future__ import annotations

import struct

from sora_lint.hookspecs import hookimpl
from sora_lint.run.probe_reader import BudgetExceeded, ProbeReader
from sora_lint.types import ProbeResult, Problem, ProblemKind

from . import orient
from .answers import header_result

#: Chunks walked in an extended (VP8X) file before giving up (the fallback then decides).
MAX_CHUNKS = 4096
ALPHA_FLAG = 0x10
ANIMATION_FLAG = 0x02
#: libwebp refuses a canvas of 2^32 pixels or more.
MAX_AREA = 1 << 32


class WebpError(Exception):
    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


#: What a bitstream header says: width, height, alpha, lossless.
_Bitstream = tuple[int, int, bool, bool]
_CHUNK = struct.Struct("<4sI")
_U32 = struct.Struct("<I")
_U16X2 = struct.Struct("<HH")


@hookimpl
def sora_lint_probe(head: bytes, byte_size: int, reader: ProbeReader) -> ProbeResult | None:
    """Answer for WebP content; ``None`` when the chunks run past the read budget."""
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    try:
        return _probe(reader)
    except WebpError as exc:
        return ProbeResult("WEBP", problem=Problem(exc.kind, str(exc)))
    except BudgetExceeded:
        return None
    except OSError as exc:
        return ProbeResult("WEBP", problem=Problem(ProblemKind.IO_ERROR, f"cannot read: {exc}"))


def _probe(window: ProbeReader) -> ProbeResult:
    head = window.head
    end = 8 + _U32.unpack_from(head, 4)[0]
    if end > window.size:
        raise WebpError(
            ProblemKind.TRUNCATED,
            f"truncated WebP: the RIFF header declares {end:,} bytes; the file has {window.size:,}",
        )
    fourcc, length, pos = _chunk(window, 12, end)
    data = _frame_header(window, pos, length)
    if fourcc == b"VP8 ":
        width, height, _, _ = _vp8(data, length)
        return header_result("WEBP", width, height, "RGB", 1, 1, False, 8)
    if fourcc == b"VP8L":
        width, height, alpha, _ = _vp8l(data)
        return header_result("WEBP", width, height, "RGBA" if alpha else "RGB", 1, 1, alpha, 8)
    if fourcc != b"VP8X":
        raise WebpError(ProblemKind.CORRUPT, f"corrupt WebP: first chunk is {fourcc!r}")
    return _extended(window, data, pos + length + (length & 1), end)


def _extended(window: ProbeReader, vp8x: bytes, pos: int, end: int) -> ProbeResult:
    if len(vp8x) < 10:
        raise WebpError(ProblemKind.CORRUPT, "corrupt WebP: VP8X chunk shorter than 10 bytes")
    flags = vp8x[0]
    width = 1 + int.from_bytes(vp8x[4:7], "little")
    height = 1 + int.from_bytes(vp8x[7:10], "little")
    if width * height >= MAX_AREA:
        raise WebpError(ProblemKind.CORRUPT, f"corrupt WebP: canvas {width}x{height} is too large")
    animated = bool(flags & ANIMATION_FLAG)
    frames = 0
    image: _Bitstream | None = None
    alph = False
    exif: bytes | None = None
    xmp: bytes | None = None
    head = window.head
    limit = min(len(head), end) - 8
    for _ in range(MAX_CHUNKS):
        if pos + 8 > end:
            break
        if pos <= limit:  # the chunk header is in the head: read it without a call
            fourcc, length = _CHUNK.unpack_from(head, pos)
            body = pos + 8
            if body + length > end:
                raise _cut(fourcc, pos, length, end)
        else:
            fourcc, length, body = _chunk(window, pos, end)
        if fourcc == b"ANMF":
            frames += 1
        elif fourcc == b"ALPH" and image is None:
            alph = True
        elif fourcc in (b"VP8 ", b"VP8L") and image is None and not animated:
            data = _frame_header(window, body, length)
            image = _vp8(data, length) if fourcc == b"VP8 " else _vp8l(data)
        elif fourcc == b"EXIF" and exif is None:
            exif = window.read(body, length)
        elif fourcc == b"XMP " and xmp is None:
            xmp = window.read(body, length)
        pos = body + length + (length & 1)
    else:
        raise BudgetExceeded(f"more than {MAX_CHUNKS} chunks")
    orientation = orient.orientation(exif, xmp)
    if animated:
        if frames == 0:
            raise WebpError(ProblemKind.CORRUPT, "corrupt WebP: an animation without frames")
        alpha = bool(flags & ALPHA_FLAG)
        mode = "RGBA" if alpha else "RGB"
        return header_result("WEBP", width, height, mode, orientation, frames, alpha, 8)
    if image is None:
        raise WebpError(ProblemKind.CORRUPT, "corrupt WebP: no image data (VP8/VP8L chunk)")
    if (image[0], image[1]) != (width, height):
        raise WebpError(
            ProblemKind.CORRUPT,
            f"corrupt WebP: canvas {width}x{height} differs from the image's {image[0]}x{image[1]}",
        )
    # A VP8L bitstream's own alpha bit replaces the VP8X flag in libwebp's WebPGetFeatures.
    flagged = bool(flags & ALPHA_FLAG) and not image[3]
    alpha = alph or image[2] or flagged
    return header_result(
        "WEBP", width, height, "RGBA" if alpha else "RGB", orientation, 1, alpha, 8
    )


def _frame_header(window: ProbeReader, pos: int, length: int) -> bytes:
    """The first bytes of a chunk's payload (at most 30: every frame header fits)."""
    n = length if length < 30 else 30
    return window.head[pos : pos + n] if pos + n <= len(window.head) else window.read(pos, n)


def _chunk(window: ProbeReader, pos: int, end: int) -> tuple[bytes, int, int]:
    """Return the fourcc, payload length and payload position of the chunk at ``pos``."""
    header = window.read(pos, 8)
    if len(header) < 8 or pos + 8 > end:
        raise WebpError(
            ProblemKind.TRUNCATED, f"truncated WebP: chunk header at byte {pos:,} is cut off"
        )
    fourcc, length = _CHUNK.unpack(header)
    if pos + 8 + length > end:
        raise _cut(fourcc, pos, length, end)
    return fourcc, length, pos + 8


def _cut(fourcc: bytes, pos: int, length: int, end: int) -> WebpError:
    return WebpError(
        ProblemKind.TRUNCATED,
        f"truncated WebP: {fourcc.decode('latin-1')!r} chunk at byte {pos:,} needs "
        f"{length:,} bytes; the RIFF data ends at byte {end:,}",
    )


def _vp8(data: bytes, length: int) -> _Bitstream:
    """A lossy frame header, validated as libwebp's ``VP8GetInfo`` does."""
    if len(data) < 10:
        raise WebpError(ProblemKind.TRUNCATED, "truncated WebP: VP8 frame header is cut off")
    bits = int.from_bytes(data[:3], "little")
    if data[3:6] != b"\x9d\x01\x2a":
        raise WebpError(ProblemKind.CORRUPT, "corrupt WebP: bad VP8 start code")
    if bits & 1 or (bits >> 1) & 7 > 3 or not (bits >> 4) & 1 or bits >> 5 >= length:
        raise WebpError(ProblemKind.CORRUPT, "corrupt WebP: invalid VP8 frame tag")
    width, height = _U16X2.unpack_from(data, 6)
    width, height = width & 0x3FFF, height & 0x3FFF
    if width == 0 or height == 0:
        raise WebpError(
            ProblemKind.CORRUPT, f"corrupt WebP: VP8 frame declares a size of {width}x{height}"
        )
    return width, height, False, False


def _vp8l(data: bytes) -> _Bitstream:
    """A lossless header, validated as libwebp's ``VP8LGetInfo`` does."""
    if len(data) < 5:
        raise WebpError(ProblemKind.TRUNCATED, "truncated WebP: VP8L header is cut off")
    if data[0] != 0x2F:
        raise WebpError(ProblemKind.CORRUPT, "corrupt WebP: bad VP8L signature")
    bits = int.from_bytes(data[1:5], "little")
    if bits >> 29:
        raise WebpError(ProblemKind.CORRUPT, "corrupt WebP: unknown VP8L version")
    return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool((bits >> 28) & 1), True
