"""Fast JPEG/MPO prober: walks the markers up to the first scan, never imports Pillow.

The walk copies Pillow's ``JpegImageFile._open`` marker loop (junk skipping, padding, markers
without a length), so it reaches the frame header (SOFn) Pillow reads, and refuses what Pillow
refuses (a truncated segment, a bad quantization table, an unknown marker). EXIF orientation
comes from the first APP1 ``Exif`` segment (or XMP), and an APP2 ``MPF`` index naming more
than one picture makes the file an MPO, as in Pillow's ``jpeg_factory``. When the header lies
past the 64 KiB head (a large ICC profile), segments are skipped by seeking, within a budget.
A 12-bit JPEG, which Pillow refuses, is reported with ``bits=12`` so the rules can name it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from sora_lint.hookspecs import hookimpl
from sora_lint.types import ImageHeader, ProbeResult, Problem, ProblemKind, Size

from . import _exif
from ._window import BLOCK, BudgetExceeded, FileWindow

SOI = b"\xff\xd8\xff"
#: Frame headers: SOF0–SOF15 except DHT (C4), JPG (C8), DAC (CC); Pillow also reads DHP (DE).
SOF = frozenset({*range(0xC0, 0xD0), 0xDE}) - {0xC4, 0xC8, 0xCC}
#: Markers with a length-prefixed segment (Pillow's ``MARKER`` entries with a handler).
SEGMENT = SOF | {0xC4, 0xCC, 0xDA, 0xDB, 0xDC, 0xDD, 0xDF, 0xFE, *range(0xE0, 0xF0)}
#: Markers Pillow steps over without reading a length.
BARE = frozenset({0xC8, *range(0xD0, 0xDA), *range(0xF0, 0xFE)})
SOS = 0xDA
#: Segments whose content the walk reads; every other segment is skipped by its length.
_CONTENT = SOF | {0xDB, 0xE1, 0xE2, 0xED}
#: Markers (padding bytes included) and junk bytes a real JPEG never comes near. Past them the
#: file is refused rather than handed to Pillow, whose marker loop reads junk and padding one
#: byte at a time in Python: a long run of either would stall the fallback.
MAX_MARKERS = 4096
MAX_JUNK = 64 * 1024
_EXIF = b"Exif\x00\x00"
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_ULTRA_HDR = b' hdrgm:Version="'


class JpegError(Exception):
    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class _Frame:
    """What the walk collected, as Pillow keeps it after ``_open``."""

    size: Size | None = None
    bits: int = 8
    components: int = 0
    exif: bytes | memoryview | None = None
    xmp: bytes | None = None
    mpf: bytes | None = None
    ultra_hdr: bool = False
    icc: list[bytes] = field(default_factory=list)
    app1: list[bytes | memoryview] = field(default_factory=list)

    def is_ultra_hdr(self) -> bool:
        """Pillow reads an MPF file as a plain JPEG when any APP1 has the Ultra HDR mark."""
        return self.ultra_hdr or any(_ULTRA_HDR in bytes(data) for data in self.app1)


@hookimpl
def sora_lint_probe(path: Path, head: bytes, byte_size: int) -> ProbeResult | None:
    """Answer for JPEG content; ``None`` when the header's segments run past the read budget
    (Pillow skips long segments efficiently, so the fallback may answer)."""
    if not head.startswith(SOI):
        return None
    try:
        with FileWindow(path, head, byte_size) as window:
            frame = _walk(window)
    except JpegError as exc:
        return ProbeResult("JPEG", problem=Problem(exc.kind, str(exc)))
    except BudgetExceeded:
        return None
    except OSError as exc:
        return ProbeResult("JPEG", problem=Problem(ProblemKind.IO_ERROR, f"cannot read: {exc}"))
    assert frame.size is not None
    mode = {1: "L", 3: "RGB", 4: "CMYK"}[frame.components]
    orientation = _exif.orientation(frame.exif, frame.xmp)
    images = _mpo_images(frame.mpf) if frame.mpf is not None and not frame.is_ultra_hdr() else 1
    header = ImageHeader(frame.size, mode, orientation, images, False, frame.bits)
    return ProbeResult("MPO" if images > 1 else "JPEG", header)


def _walk(window: FileWindow) -> _Frame:
    frame = _Frame()
    head, limit = window.head, len(window.head) - 3
    pos = 3  # Pillow holds the 0xFF at offset 2 and reads the marker code after it
    for _ in range(MAX_MARKERS):
        # The marker code and the two bytes after it (a segment's length), from the head
        # when they are in it: this loop runs once per marker and must stay cheap.
        code = head[pos : pos + 3] if pos <= limit else window.read(pos, 3)
        if not code:
            break
        marker = code[0]
        pos += 1
        if marker == 0xFF:
            continue  # padding: this 0xFF starts the marker
        if marker in SEGMENT:
            if len(code) < 3:
                raise JpegError(
                    ProblemKind.TRUNCATED,
                    f"truncated JPEG: file ends in the 0xFF{marker:02X} marker at byte {pos - 2:,}",
                )
            length = (code[1] << 8) | code[2]
            if marker in _CONTENT:
                pos = _segment(window, frame, marker, pos, length)
            else:  # skipped unread (DHT, APP0, COM, …): only its length matters
                end = pos + max(length, 2)
                if end > window.size:
                    raise _cut(marker, pos, length, window.size)
                pos = end
            if marker == SOS:
                break
        elif marker not in BARE and marker != 0x00:
            raise JpegError(
                ProblemKind.CORRUPT,
                f"corrupt JPEG: no marker at byte {pos - 2:,} (0xFF{marker:02X})",
            )
        nxt = head[pos] if pos <= limit else (window.read(pos, 1) or b"\x00")[0]
        if pos >= window.size:
            break
        pos += 1
        if nxt != 0xFF:
            found = _find_ff(window, pos)
            if found is None:
                break
            pos = found + 1
    else:
        raise JpegError(
            ProblemKind.CORRUPT,
            f"corrupt JPEG: more than {MAX_MARKERS:,} markers before the image data",
        )
    if frame.size is None:
        cut = pos >= window.size
        raise JpegError(
            ProblemKind.TRUNCATED if cut else ProblemKind.CORRUPT,
            f"truncated JPEG header: no SOF marker in {window.size:,} bytes"
            if cut
            else f"corrupt JPEG: image data starts at byte {pos:,} before any frame header (SOF)",
        )
    return frame


def _segment(window: FileWindow, frame: _Frame, marker: int, pos: int, length: int) -> int:
    """Handle the segment whose length field is at ``pos``; return the position after it."""
    n = max(length - 2, 0)
    start = pos + 2
    if start + n > window.size:
        raise _cut(marker, pos, length, window.size)
    if marker in SOF:
        _sof(frame, window.read(start, n), pos - 2)
    elif marker == 0xDB:
        _dqt(window.read(start, n))
    elif marker == 0xE1:
        # A view, not a copy: an EXIF segment with its thumbnail is often tens of KiB.
        end = start + n
        _app1(
            frame,
            memoryview(window.head)[start:end]
            if end <= len(window.head)
            else window.read(start, n),
        )
    elif marker == 0xE2:
        _app2(frame, window, start, n)
    elif marker == 0xED:
        _app13(window.read(start, n))
    return start + n


def _cut(marker: int, pos: int, length: int, size: int) -> JpegError:
    return JpegError(
        ProblemKind.TRUNCATED,
        f"truncated JPEG: {_name(marker)} segment at byte {pos - 2:,} needs "
        f"{max(length - 2, 0):,} bytes; the file ends at byte {size:,}",
    )


def _sof(frame: _Frame, data: bytes, at: int) -> None:
    if len(data) < 6:
        raise JpegError(
            ProblemKind.CORRUPT,
            f"corrupt JPEG: frame header (SOF) at byte {at:,} is {len(data)} bytes long",
        )
    bits, height, width, components = struct.unpack_from(">BHHB", data)
    if components not in (1, 3, 4):
        raise JpegError(ProblemKind.CORRUPT, f"corrupt JPEG: {components} colour components")
    if width == 0 or height == 0:
        raise JpegError(
            ProblemKind.CORRUPT, f"corrupt JPEG: frame header declares a size of {width}x{height}"
        )
    if frame.icc and len(min(frame.icc)) < 14:
        raise JpegError(ProblemKind.CORRUPT, "corrupt JPEG: an ICC profile segment is too short")
    frame.icc.clear()
    frame.size, frame.bits, frame.components = Size(width, height), bits, components


def _dqt(data: bytes) -> None:
    """Pillow refuses a quantization table segment that ends inside a table."""
    pos = 0
    while pos < len(data):
        table = 1 + (64 if data[pos] < 16 else 128)
        if len(data) - pos < table:
            raise JpegError(ProblemKind.CORRUPT, "corrupt JPEG: bad quantization table (DQT)")
        pos += table


def _app1(frame: _Frame, data: bytes | memoryview) -> None:
    if data[:6] == _EXIF:
        frame.exif = data if frame.exif is None else bytes(frame.exif) + data[6:]
        frame.app1.append(data)  # searched for the Ultra HDR mark only if an MPF index turns up
        return
    content = bytes(data)
    if content.startswith(_XMP):
        frame.xmp = content[len(_XMP) :]
    if _ULTRA_HDR in content:
        frame.ultra_hdr = True


def _app2(frame: _Frame, window: FileWindow, start: int, n: int) -> None:
    """ICC segments are skipped (only their sequence prefix matters); MPF is kept."""
    prefix = window.read(start, min(n, 14))
    if prefix.startswith(b"ICC_PROFILE\x00"):
        frame.icc.append(prefix)
    elif prefix.startswith(b"MPF\x00"):
        frame.mpf = window.read(start + 4, n - 4)


def _app13(data: bytes) -> None:
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


def _mpo_images(mpf: bytes) -> int:
    """Pictures in an MP index, or 1 when Pillow would read the file as a plain JPEG."""
    endian = ">" if mpf.startswith(b"MM\x00*") else "<"
    if mpf[:4] not in (b"MM\x00*", b"II*\x00", b"MM*\x00", b"II\x00*") or len(mpf) < 8:
        return 1
    (ifd,) = struct.unpack_from(endian + "L", mpf, 4)
    if ifd + 2 > len(mpf):
        return 1
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
    if number is None or number <= 1 or entries is None or len(entries) < 16 * number:
        return 1
    for i in range(number):
        (attribute,) = struct.unpack_from(endian + "L", entries, 16 * i)
        if (attribute >> 24) & 7:
            return 1  # not JPEG data: Pillow gives up on the MPO and reads a JPEG
    return number


def _find_ff(window: FileWindow, pos: int) -> int | None:
    """The next 0xFF at or after ``pos`` (Pillow skips junk between markers byte by byte)."""
    start = pos
    while pos < window.size:
        if pos - start > MAX_JUNK:
            raise JpegError(
                ProblemKind.CORRUPT,
                f"corrupt JPEG: more than {MAX_JUNK // 1024} KiB of junk between markers "
                f"at byte {start:,}",
            )
        block = window.read(pos, BLOCK)
        found = block.find(b"\xff")
        if found >= 0:
            return pos + found
        pos += len(block)
    return None


def _name(marker: int) -> str:
    if marker in SOF:
        return "frame header (SOF)"
    if 0xE0 <= marker <= 0xEF:
        return f"APP{marker - 0xE0}"
    return {0xC4: "DHT", 0xDA: "SOS", 0xDB: "DQT", 0xFE: "comment (COM)"}.get(
        marker, f"0xFF{marker:02X}"
    )
