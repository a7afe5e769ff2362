"""The JPEG segments whose content decides Pillow's verdict, read as Pillow reads them.

Split from the JPEG prober's marker walk: the frame header (SOF), quantization tables (DQT),
EXIF and XMP (APP1), ICC and the MP index (APP2), JFIF (APP0), Adobe (APP14) and Photoshop
(APP13) segments. Each refuses what Pillow's handler refuses, so a file Pillow cannot open
is reported here too.
"""

from __future__ import annotations

import struct

from sora_lint.types import ProblemKind

_EXIF = b"Exif\x00\x00"
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_ULTRA_HDR = b' hdrgm:Version="'
_XMP_LENGTH = len(_XMP)
_SOF = struct.Struct(">BHHB")
#: Segments Pillow reads two bytes of at offset 5 when they start with these names.
_SHORT_NAMED = {0xE0: b"JFIF", 0xEE: b"Adobe"}


class JpegError(Exception):
    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Frame:
    """What the walk collected, as Pillow keeps it after ``_open``.

    Class attributes are the defaults: a frame costs one object, whatever the walk meets."""

    width = 0  # no frame header yet: one with a zero width or height is refused at the end
    height = 0
    bits = 8
    components = 0
    #: The EXIF is ``exif[exif_at:exif_end]``: the head itself when the segment lies in it.
    exif: bytes | None = None
    exif_at = 0
    exif_end = 0
    xmp: bytes | None = None
    mpf: bytes | None = None
    mpf_at = 0  # where the MP index's TIFF header lies in the file (Pillow's "mpoffset")

    def __init__(self) -> None:
        self.icc: list[bytes] = []
        #: APP1 segments as (buffer, start, end), searched only if an MPF index turns up.
        self.app1: list[tuple[bytes, int, int]] = []

    def is_ultra_hdr(self) -> bool:
        """Pillow reads an MPF file as a plain JPEG when any APP1 has the Ultra HDR mark."""
        return any(buf.find(_ULTRA_HDR, a, b) >= 0 for buf, a, b in self.app1)


def content(frame: Frame, buf: bytes, marker: int, start: int, end: int, at: int) -> None:
    """The segment ``buf[start:end]`` (its marker at byte ``at`` of the file) the walk reads."""
    if marker == 0xDB:
        dqt(buf, start, end)
    elif marker == 0xE1:
        app1(frame, buf, start, end)
    elif marker == 0xE2:
        prefix = buf[start : min(end, start + 14)]
        if prefix.startswith(b"ICC_PROFILE\x00"):
            frame.icc.append(prefix)
        elif prefix.startswith(b"MPF\x00"):
            frame.mpf, frame.mpf_at = buf[start + 4 : end], at + 8
    elif marker == 0xED:
        app13(buf[start:end])
    elif marker in _SHORT_NAMED:
        if buf.startswith(_SHORT_NAMED[marker], start, end) and end - start < 7:
            name = _SHORT_NAMED[marker].decode()
            raise JpegError(ProblemKind.CORRUPT, f"corrupt JPEG: {name} segment at byte {at:,} "
                            f"is {end - start} bytes long")  # fmt: skip
    else:
        sof(frame, buf[start:end], at)


def sof(frame: Frame, data: bytes, at: int) -> None:
    if len(data) < 6:
        raise JpegError(
            ProblemKind.CORRUPT,
            f"corrupt JPEG: frame header (SOF) at byte {at:,} is {len(data)} bytes long",
        )
    bits, height, width, components = _SOF.unpack_from(data)
    if bits == 12:
        raise JpegError(
            ProblemKind.CORRUPT,
            "unsupported JPEG: 12-bit samples, which Pillow (and so --fix) and most decoders "
            "cannot read",
        )
    if bits != 8:
        raise JpegError(ProblemKind.CORRUPT, f"corrupt JPEG: sample precision of {bits} bits")
    if components not in (1, 3, 4):
        raise JpegError(ProblemKind.CORRUPT, f"corrupt JPEG: {components} colour components")
    if frame.icc and len(min(frame.icc)) < 14:
        raise JpegError(ProblemKind.CORRUPT, "corrupt JPEG: an ICC profile segment is too short")
    if (len(data) - 6) % 3:
        raise JpegError(
            ProblemKind.CORRUPT, f"corrupt JPEG: frame header (SOF) at byte {at:,} ends inside "
            "a component",
        )  # fmt: skip
    frame.icc.clear()
    frame.width, frame.height, frame.bits, frame.components = width, height, bits, components


def dqt(data: bytes, pos: int, end: int) -> None:
    """Pillow refuses a quantization table segment (``data[pos:end]``) that ends inside a table."""
    while pos < end:
        table = 65 if data[pos] < 16 else 129
        if end - pos < table:
            raise JpegError(ProblemKind.CORRUPT, "corrupt JPEG: bad quantization table (DQT)")
        pos += table


def app1(frame: Frame, buf: bytes, start: int, end: int) -> None:
    """The APP1 segment ``buf[start:end]``, kept where it lies, not copied (an EXIF segment
    with its thumbnail is often tens of KiB)."""
    frame.app1.append((buf, start, end))
    if buf.startswith(_EXIF, start, end):
        if frame.exif is None:
            frame.exif, frame.exif_at, frame.exif_end = buf, start, end
        else:  # Pillow appends a later EXIF segment, less its "Exif" prefix, to the first
            joined = frame.exif[frame.exif_at : frame.exif_end] + buf[start + 6 : end]
            frame.exif, frame.exif_at, frame.exif_end = joined, 0, len(joined)
    elif buf.startswith(_XMP, start, end):
        frame.xmp = buf[start + _XMP_LENGTH : end]


def app13(data: bytes) -> None:
    """Pillow's Photoshop resource walk fails the open on a name length past the end."""
    if not data.startswith(b"Photoshop 3.0\x00"):
        return
    pos = 14
    while data[pos : pos + 4] == b"8BIM":
        pos += 6  # signature and resource id
        if pos > len(data):
            return
        if pos == len(data):
            raise JpegError(ProblemKind.CORRUPT, "corrupt JPEG: truncated Photoshop resource")
        pos += 1 + data[pos]
        pos += pos & 1
        if pos + 4 > len(data):
            return
        pos += 4 + int.from_bytes(data[pos : pos + 4], "big")
        pos += pos & 1


def mpo_pictures(mpf: bytes) -> tuple[int, int | None]:
    """Pictures in an MP index (1 when Pillow would read the file as a plain JPEG), and the
    offset of the second picture from the index's TIFF header, if the index gives one."""
    endian = ">" if mpf.startswith(b"MM\x00*") else "<"
    if mpf[:4] not in (b"MM\x00*", b"II*\x00", b"MM*\x00", b"II\x00*") or len(mpf) < 8:
        return 1, None
    (ifd,) = struct.unpack_from(endian + "L", mpf, 4)
    if ifd + 2 > len(mpf):
        return 1, None
    (count,) = struct.unpack_from(endian + "H", mpf, ifd)
    number: int | None = None
    entries: bytes | None = None
    for i in range(min(count, 1024)):
        at = ifd + 2 + 12 * i
        if at + 12 > len(mpf):
            break
        tag, typ, n, value = struct.unpack_from(endian + "HHL4s", mpf, at)
        if tag == 0xB001 and number is None and typ in (3, 4) and n == 1:
            number = int.from_bytes(
                value[: 2 if typ == 3 else 4], "big" if endian == ">" else "little"
            )
        elif tag == 0xB002 and entries is None and typ == 7:
            (offset,) = struct.unpack_from(endian + "L", value)
            entries = value[:n] if n <= 4 else mpf[offset : offset + n]
            if len(entries) != n:
                entries = None
    if number is None or entries is None or len(entries) < 16 * max(number, 1):
        return 1, None
    second = struct.unpack_from(endian + "L", entries, 24)[0] if number > 1 else None
    if number <= 1:
        return 1, None
    for i in range(number):
        (attribute,) = struct.unpack_from(endian + "L", entries, 16 * i)
        if (attribute >> 24) & 7:
            return 1, second  # not JPEG data: Pillow gives up on the MPO and reads a JPEG
    return number, second
