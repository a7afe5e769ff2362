"""libwebp's demuxer (``src/demux/demux.c``, version 1.6), as far as it decides whether a file
opens: the RIFF header, the simple (VP8/VP8L) and extended (VP8X) layouts, ANIM and ANMF
frames, and the checks ``IsValidSimpleFormat``/``IsValidExtendedFormat`` make at the end.

Only chunk headers and the first bytes of each bitstream are read, through the prober's
bounded reader; a file with more than :data:`MAX_CHUNKS` chunks is left to the fallback.
"""

from __future__ import annotations

import struct

from sora_lint.run.probe_reader import BudgetExceeded, ProbeReader
from sora_lint.types import ProblemKind

from .webp_bitstream import WebpError, vp8, vp8l

ALPHA_FLAG, ANIMATION_FLAG, XMP_FLAG, EXIF_FLAG, ICCP_FLAG = 0x10, 0x02, 0x04, 0x08, 0x20
_ALL_FLAGS = ALPHA_FLAG | ANIMATION_FLAG | XMP_FLAG | EXIF_FLAG | ICCP_FLAG
#: libwebp's largest chunk payload (``MAX_CHUNK_PAYLOAD``).
MAX_PAYLOAD = 0xFFFFFFFF - 8 - 1
#: libwebp refuses a canvas or frame of 2^32 pixels or more.
MAX_AREA = 1 << 32
#: Chunks walked before giving up (the Pillow fallback then decides).
MAX_CHUNKS = 4096
_CHUNK = struct.Struct("<4sI")
_IMAGE = (b"VP8 ", b"VP8L")


class Demuxed:
    """What the demuxer found: the canvas, the frames and where the first EXIF/XMP chunks the
    demuxer keeps lie (``(offset, size)``). Class attributes are the defaults."""

    width = 0
    height = 0
    frames = 1
    flags = 0
    extended = False
    alph = False  # an ALPH chunk before a still image's bitstream
    bitstream_alpha = False  # the VP8L header's alpha bit
    lossless = False
    exif: tuple[int, int] | None = None
    xmp: tuple[int, int] | None = None

    @property
    def animated(self) -> bool:
        return bool(self.flags & ANIMATION_FLAG)

    def without_metadata(self) -> Demuxed:
        self.exif = self.xmp = None
        return self


class _Frame:
    """One frame as ``StoreFrame`` fills it (class attributes are the defaults)."""

    number = 0
    complete = False
    alpha_at = -1
    image_at = -1
    width = 0
    height = 0
    x = 0
    y = 0
    has_alpha = False
    bitstream_alpha = False  # the VP8L header's alpha bit
    lossless = False


def _error(message: str) -> WebpError:
    return WebpError(ProblemKind.CORRUPT, f"corrupt WebP: {message}")


class _Walk:
    """The demuxer's memory buffer: a position in ``[12, end)`` over the reader."""

    def __init__(self, reader: ProbeReader, end: int) -> None:
        self.reader, self.end, self.pos, self.chunks = reader, end, 12, 0

    def header(self) -> tuple[bytes, int, int]:
        """The chunk at ``pos``: fourcc, payload size, padded size; moves past the header.

        Refuses a payload past libwebp's limit or one that runs past the RIFF data."""
        self.chunks += 1
        if self.chunks > MAX_CHUNKS:
            raise BudgetExceeded(f"more than {MAX_CHUNKS} chunks")
        fourcc, size = _CHUNK.unpack(self.reader.read(self.pos, 8))
        if size > MAX_PAYLOAD:
            raise _error(f"{_name(fourcc)} chunk at byte {self.pos:,} is too large")
        padded = size + (size & 1)
        if padded > self.end - self.pos - 8:
            raise _error(
                f"{_name(fourcc)} chunk at byte {self.pos:,} needs {size:,} bytes; the RIFF "
                f"data ends at byte {self.end:,}"
            )
        self.pos += 8
        return fourcc, size, padded

    def need_header(self) -> None:
        """After a chunk: the end of the RIFF data, or room for another chunk header."""
        if self.pos != self.end and self.end - self.pos < 8:
            raise _error(f"{self.end - self.pos} stray bytes at the end of the RIFF data")

    def store_frame(self, frame: _Frame, number: int) -> None:
        """``StoreFrame``: an optional ALPH chunk and an image bitstream, from ``pos``."""
        alpha_chunks = image_chunks = 0
        if self.end - self.pos < 8:
            raise _error("a frame without image data")
        while True:
            start = self.pos
            fourcc, size, padded = self.header()
            if fourcc == b"VP8L" and alpha_chunks:
                raise _error("an ALPH chunk before a lossless (VP8L) bitstream")
            if fourcc == b"ALPH" and alpha_chunks == 0:
                alpha_chunks += 1
                frame.alpha_at, frame.has_alpha, frame.number = start, True, number
            elif fourcc in _IMAGE and image_chunks == 0:
                image_chunks += 1
                data = self.reader.read(self.pos, min(size, 30))
                width, height, alpha = vp8(data, size) if fourcc == b"VP8 " else vp8l(data)
                frame.image_at, frame.width, frame.height = start, width, height
                frame.has_alpha |= alpha
                frame.bitstream_alpha = alpha
                frame.lossless = fourcc == b"VP8L"
                frame.number, frame.complete = number, True
            else:
                self.pos = start  # not part of this frame: the caller reads it
                return
            self.pos += padded
            if self.pos == self.end:
                return
            self.need_header()


def demux(reader: ProbeReader) -> Demuxed:
    """The demuxer's verdict on the file: a :class:`Demuxed`, or :class:`WebpError`."""
    head = reader.head
    if reader.size < 20:
        raise WebpError(ProblemKind.TRUNCATED, "truncated WebP: shorter than its header")
    riff = int.from_bytes(head[4:8], "little")
    if riff < 8 or riff > MAX_PAYLOAD:
        raise _error(f"RIFF size {riff:,} is not valid")
    end = riff + 8
    if end > reader.size:
        raise WebpError(
            ProblemKind.TRUNCATED,
            f"truncated WebP: the RIFF header declares {end:,} bytes; the file has {reader.size:,}",
        )
    walk = _Walk(reader, end)
    first = head[12:16]
    found = Demuxed()
    if first in _IMAGE:
        frame = _Frame()
        walk.store_frame(frame, 1)
        found.width, found.height = frame.width, frame.height
        found.bitstream_alpha, found.lossless = frame.bitstream_alpha, frame.lossless
        return found
    if first != b"VP8X":
        raise _error(f"first chunk is {_name(first)}")
    return _extended(walk, found)


def _extended(walk: _Walk, found: Demuxed) -> Demuxed:
    found.extended = True
    _, size, padded = walk.header()
    if size < 10:
        raise _error("VP8X chunk shorter than 10 bytes")
    vp8x = walk.reader.read(walk.pos, 10)
    found.flags = vp8x[0]
    found.width = 1 + int.from_bytes(vp8x[4:7], "little")
    found.height = 1 + int.from_bytes(vp8x[7:10], "little")
    if found.width * found.height >= MAX_AREA:
        raise _error(f"canvas {found.width}x{found.height} is too large")
    walk.pos += padded
    if walk.end - walk.pos < 8:
        raise _error("no chunk after the VP8X chunk")
    frames = _chunks(walk, found)
    _validate(found, frames)
    if found.animated:
        found.frames = len(frames)
    else:
        still = frames[0]
        # WebPGetFeatures, which decides Pillow's mode, counts an ALPH chunk before the image
        # whatever the flags say.
        found.alph = 0 <= still.alpha_at < still.image_at
        found.lossless = still.lossless
        found.bitstream_alpha = still.bitstream_alpha
    return found


def _chunks(walk: _Walk, found: Demuxed) -> list[_Frame]:
    """``ParseVP8XChunks``: every chunk after VP8X; returns the frames the demuxer keeps."""
    animated = found.animated
    anim_chunks = 0
    frames: list[_Frame] = []
    while True:
        start = walk.pos
        fourcc, size, padded = walk.header()
        if fourcc == b"VP8X":
            raise _error(f"a second VP8X chunk at byte {start:,}")
        if fourcc in (b"ALPH", *_IMAGE):
            if anim_chunks or animated:
                raise _error(f"an image chunk outside any frame at byte {start:,}")
            if frames:
                raise _error(f"a second image at byte {start:,}")
            walk.pos = start
            frame = _Frame()
            walk.store_frame(frame, 1)
            frames.append(frame)
        elif fourcc == b"ANIM":
            if padded < 6:
                raise _error("ANIM chunk shorter than 6 bytes")
            anim_chunks += 1
            walk.pos += padded
        elif fourcc == b"ANMF":
            if anim_chunks == 0:
                raise _error(f"an animation frame before the ANIM chunk at byte {start:,}")
            frame = _animation_frame(walk, padded, len(frames) + 1)
            if animated and frame.number > 0:
                if frames and not frames[-1].complete:
                    raise _error("an animation frame without image data")
                frames.append(frame)
        else:
            flag = {b"EXIF": EXIF_FLAG, b"XMP ": XMP_FLAG}.get(fourcc, 0)
            if flag and found.flags & flag:  # kept by the demuxer: the first one counts
                if fourcc == b"EXIF" and found.exif is None:
                    found.exif = (walk.pos, size)
                elif fourcc == b"XMP " and found.xmp is None:
                    found.xmp = (walk.pos, size)
            walk.pos += padded
        if walk.pos == walk.end:
            return frames
        walk.need_header()


def _animation_frame(walk: _Walk, padded: int, number: int) -> _Frame:
    """``ParseAnimationFrame``: the ANMF header, then the frame's ALPH and image chunks."""
    if padded < 16:
        raise _error("ANMF chunk shorter than 16 bytes")
    data = walk.reader.read(walk.pos, 16)
    frame = _Frame()
    frame.x = 2 * int.from_bytes(data[0:3], "little")
    frame.y = 2 * int.from_bytes(data[3:6], "little")
    width = 1 + int.from_bytes(data[6:9], "little")
    height = 1 + int.from_bytes(data[9:12], "little")
    if width * height >= MAX_AREA:
        raise _error(f"frame {width}x{height} is too large")
    walk.pos += 16
    start = walk.pos
    walk.store_frame(frame, number)
    if walk.pos - start > padded - 16:
        raise _error("an animation frame's image runs past its ANMF chunk")
    return frame


def _validate(found: Demuxed, frames: list[_Frame]) -> None:
    """``IsValidExtendedFormat``."""
    if found.flags & ~_ALL_FLAGS:
        raise _error(f"unknown VP8X flags 0x{found.flags:02x}")
    if not frames:
        raise _error("an animation without frames" if found.animated else "no image data")
    for frame in frames:
        if not frame.complete:
            raise _error("an animation frame without image data")
        if 0 <= frame.image_at < frame.alpha_at and (found.animated or found.flags & ALPHA_FLAG):
            raise _error("an ALPH chunk after the image it belongs to")
        if found.animated:
            if frame.x + frame.width > found.width or frame.y + frame.height > found.height:
                raise _error("an animation frame lies outside the canvas")
        elif (frame.width, frame.height) != (found.width, found.height):
            raise _error(
                f"canvas {found.width}x{found.height} differs from the image's "
                f"{frame.width}x{frame.height}"
            )


def _name(fourcc: bytes) -> str:
    return repr(fourcc.decode("latin-1"))
