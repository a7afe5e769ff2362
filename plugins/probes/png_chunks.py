"""The PNG chunks before the image data, judged as Pillow's ``PngStream`` judges them.

Pillow reads chunks in any order until the first IDAT (or fdAT, or IEND): every IHDR sets
the size (the last one wins) and, when its depth and colour type are known, the mode; tRNS,
acTL and fcTL are read against whatever IHDR came before them. :class:`PngState` keeps what
Pillow keeps and refuses what Pillow refuses, so the fast prober's verdict is Pillow's.
"""

from __future__ import annotations

import struct
import zlib

from sora_lint.types import ProblemKind

from .png_meta import MAX_TEXT, Meta, PngError, inflate_text

#: (bit depth, colour type) → Pillow's mode (``PngImagePlugin._MODES``).
MODES = {
    (1, 0): "1", (2, 0): "L", (4, 0): "L", (8, 0): "L", (16, 0): "I;16",
    (8, 2): "RGB", (16, 2): "RGB",
    (1, 3): "P", (2, 3): "P", (4, 3): "P", (8, 3): "P",
    (8, 4): "LA", (16, 4): "RGBA",
    (8, 6): "RGBA", (16, 6): "RGBA",
}  # fmt: skip
#: Shortest length Pillow accepts for these chunks (it refuses the file otherwise).
MIN_LENGTH = {b"IHDR": 13, b"gAMA": 4, b"cHRM": 32, b"sRGB": 1, b"pHYs": 9, b"acTL": 8,
              b"fcTL": 26, b"fdAT": 4}  # fmt: skip
#: Pillow's cap on the text of all text chunks together (``MAX_TEXT_MEMORY``).
MAX_TEXT_MEMORY = 64 * 1024 * 1024
#: Deflate's largest expansion: a compressed stream this many times shorter than the cap
#: cannot exceed it.
MAX_DEFLATE_RATIO = 1032
_IHDR = struct.Struct(">IIBBBBB")
_FCTL = struct.Struct(">IIIII")
_TRNS_MODES = {"1": 2, "L": 2, "I;16": 2, "RGB": 6}


class PngState:
    """What Pillow's ``PngStream`` holds once the chunks before the image data are read.

    Class attributes are the defaults: a usual PNG sets a few of them."""

    width = 0
    height = 0
    mode = ""  # Pillow's mode: "" until an IHDR names a known depth and colour type
    bits = 8
    bad_ihdr = ""  # why the last IHDR named no mode, for the message
    transparency = False
    frames: int | None = None  # acTL's count, as Pillow keeps it
    sequence: int | None = None  # the last fcTL/fdAT sequence number
    bbox = False  # an fcTL came before the image data
    text_memory = 0

    def __init__(self) -> None:
        self.meta = Meta()

    def take(self, cid: bytes, data: bytes) -> None:
        """One chunk before the image data, with its content (its CRC already checked)."""
        if cid in MIN_LENGTH and len(data) < MIN_LENGTH[cid]:
            raise PngError(
                ProblemKind.CORRUPT, f"corrupt PNG: {cid.decode('latin-1')} chunk of {len(data)} "
                "bytes",
            )  # fmt: skip
        if cid == b"IHDR":
            self._ihdr(data)
        elif cid == b"tRNS":
            self._trns(data)
        elif cid == b"acTL":
            self._actl(data)
        elif cid == b"fcTL":
            self._fctl(data)
        elif cid == b"iCCP":
            _iccp(data)
        else:
            self.text_memory += self.meta.take(cid, data)
            if self.text_memory > MAX_TEXT_MEMORY:
                raise PngError(ProblemKind.CORRUPT, "corrupt PNG: more than 64 MiB of text")

    def image_data(self, cid: bytes, data: bytes) -> None:
        """The first IDAT or fdAT (whose first four bytes, its sequence number, are ``data``)."""
        if cid == b"fdAT":
            if len(data) < 4:
                raise PngError(ProblemKind.CORRUPT, "corrupt APNG: truncated fdAT chunk")
            self._sequence(int.from_bytes(data[:4], "big"))
        elif cid == b"IDAT" and self.mode and not self.bbox and self.frames is not None:
            self.frames += 1  # the IDAT image is shown before the animation, not part of it

    def _ihdr(self, data: bytes) -> None:
        width, height, depth, colour, _, filtering, _ = _IHDR.unpack_from(data)
        self.width, self.height = width, height
        mode = MODES.get((depth, colour))
        if mode is None:
            self.bad_ihdr = f"bit depth {depth} with colour type {colour} is not valid"
        else:
            self.mode, self.bits, self.bad_ihdr = mode, depth, ""
        if filtering != 0:
            raise PngError(ProblemKind.CORRUPT, f"corrupt PNG: unknown filter method {filtering}")

    def _trns(self, data: bytes) -> None:
        """Pillow sets ``info["transparency"]`` for any tRNS chunk of a mode without alpha."""
        if self.mode == "P":
            self.transparency = True
        elif self.mode in _TRNS_MODES:
            if len(data) < _TRNS_MODES[self.mode]:
                raise PngError(
                    ProblemKind.CORRUPT, f"corrupt PNG: tRNS chunk has only {len(data)} bytes"
                )
            self.transparency = True

    def _actl(self, data: bytes) -> None:
        if self.frames is not None:
            self.frames = None  # Pillow ignores an animation declared twice
            return
        (count,) = struct.unpack_from(">I", data)
        if 0 < count <= 0x80000000:
            self.frames = count

    def _fctl(self, data: bytes) -> None:
        sequence, width, height, x, y = _FCTL.unpack_from(data)
        self._sequence(sequence)
        if x + width > self.width or y + height > self.height:
            raise PngError(ProblemKind.CORRUPT, "corrupt APNG: a frame lies outside the image")
        self.bbox = True

    def _sequence(self, number: int) -> None:
        expected = 0 if self.sequence is None else self.sequence + 1
        if number != expected:
            raise PngError(ProblemKind.CORRUPT, "corrupt APNG: frame sequence error")
        self.sequence = number

    def verdict(self) -> str | None:
        """Why Pillow would refuse the file once the header is read, else ``None``."""
        if self.mode == "":
            return f"corrupt PNG: {self.bad_ihdr or 'no IHDR chunk before the image data'}"
        if self.width == 0 or self.height == 0:
            return f"corrupt PNG: IHDR declares a size of {self.width}x{self.height}"
        return None


def _iccp(data: bytes) -> None:
    """Pillow refuses an ICC profile of an unknown compression, or one inflating past 1 MiB."""
    at = data.find(b"\x00")
    if at + 1 >= len(data):
        raise PngError(ProblemKind.CORRUPT, "corrupt PNG: iCCP chunk without a compression method")
    if data[at + 1] != 0:
        raise PngError(ProblemKind.CORRUPT, "corrupt PNG: unknown iCCP compression method")
    compressed = data[at + 2 :]
    if len(compressed) * MAX_DEFLATE_RATIO <= MAX_TEXT:
        return  # too short to inflate past the cap (a usual profile): no need to inflate it
    try:
        inflate_text(compressed)
    except zlib.error:
        return  # Pillow keeps no profile and reads on
