"""The first bytes of a WebP bitstream, checked as libwebp's ``WebPGetFeatures`` checks them:
the lossy (VP8) frame tag and start code, the lossless (VP8L) signature and version, and the
size and alpha bit they declare."""

from __future__ import annotations

import struct

from sora_lint.types import ProblemKind

_U16X2 = struct.Struct("<HH")


class WebpError(Exception):
    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _error(message: str) -> WebpError:
    return WebpError(ProblemKind.CORRUPT, f"corrupt WebP: {message}")


def vp8(data: bytes, length: int) -> tuple[int, int, bool]:
    """A lossy frame header, validated as libwebp's ``VP8GetInfo`` does."""
    if len(data) < 10:
        raise _error("VP8 frame header is cut off")
    bits = int.from_bytes(data[:3], "little")
    if data[3:6] != b"\x9d\x01\x2a":
        raise _error("bad VP8 start code")
    if bits & 1 or (bits >> 1) & 7 > 3 or not (bits >> 4) & 1 or bits >> 5 >= length:
        raise _error("invalid VP8 frame tag")
    width, height = _U16X2.unpack_from(data, 6)
    width, height = width & 0x3FFF, height & 0x3FFF
    if width == 0 or height == 0:
        raise _error(f"VP8 frame declares a size of {width}x{height}")
    return width, height, False


def vp8l(data: bytes) -> tuple[int, int, bool]:
    """A lossless header, validated as libwebp's ``VP8LGetInfo`` does."""
    if len(data) < 5:
        raise _error("VP8L header is cut off")
    if data[0] != 0x2F:
        raise _error("bad VP8L signature")
    bits = int.from_bytes(data[1:5], "little")
    if bits >> 29:
        raise _error("unknown VP8L version")
    return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool((bits >> 28) & 1)
