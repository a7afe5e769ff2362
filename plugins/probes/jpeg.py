"""Fast JPEG/MPO prober: walks the markers up to the first scan, never imports Pillow.

The walk copies Pillow's ``JpegImageFile._open`` marker loop (junk skipping, padding, markers
without a length), so it reaches the frame header (SOFn) Pillow reads, and refuses what Pillow
refuses (a truncated segment, a bad quantization table, an unknown marker). EXIF orientation
comes from the first APP1 ``Exif`` segment (or XMP), and an APP2 ``MPF`` index naming more
than one picture makes the file an MPO, as in Pillow's ``jpeg_factory``. When the header lies
past the head (a large ICC profile), segments are skipped by seeking, within a budget.
A 12-bit JPEG, which Pillow refuses, is reported with ``bits=12`` so the rules can name it.
"""

from __future__ import annotations

import struct

from sora_lint.hookspecs import hookimpl
from sora_lint.run.probe_reader import BLOCK, BudgetExceeded, ProbeReader
from sora_lint.types import ProbeResult, Problem, ProblemKind

from . import orient
from .answers import header_result

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
#: What the walk does with each marker code: not a segment (0, left to the general loop), skip
#: it, the scan, or read it (DQT, APP1, APP2, any other segment the walk reads).
_SKIP, _SCAN, _DQT, _APP1, _APP2, _READ = 1, 2, 3, 4, 5, 6
_KINDS = tuple(
    (
        _SCAN if code == SOS
        else {0xDB: _DQT, 0xE1: _APP1, 0xE2: _APP2}.get(code, _READ) if code in _CONTENT
        else _SKIP if code in SEGMENT
        else 0
    )
    for code in range(256)
)  # fmt: skip
#: Markers (padding bytes included) and junk bytes a real JPEG never comes near. Past them the
#: file is refused rather than handed to Pillow, whose marker loop reads junk and padding one
#: byte at a time in Python: a long run of either would stall the fallback.
MAX_MARKERS = 4096
MAX_JUNK = 64 * 1024
_EXIF = b"Exif\x00\x00"
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_ULTRA_HDR = b' hdrgm:Version="'
_XMP_LENGTH = len(_XMP)


_MODES = {1: "L", 3: "RGB", 4: "CMYK"}
#: A marker code and the segment length after it.
_MARKER = struct.Struct(">BH")
_SOF = struct.Struct(">BHHB")


class JpegError(Exception):
    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class _Frame:
    """What the walk collected, as Pillow keeps it after ``_open``.

    Class attributes are the defaults: a frame costs one object, whatever the walk meets."""

    width = 0  # no frame header yet: one with a zero width or height is refused
    height = 0
    bits = 8
    components = 0
    #: The EXIF is ``exif[exif_at:exif_end]``: the head itself when the segment lies in it.
    exif: bytes | None = None
    exif_at = 0
    exif_end = 0
    xmp: bytes | None = None
    mpf: bytes | None = None

    def __init__(self) -> None:
        self.icc: list[bytes] = []
        #: APP1 segments as (buffer, start, end), searched only if an MPF index turns up.
        self.app1: list[tuple[bytes, int, int]] = []

    def is_ultra_hdr(self) -> bool:
        """Pillow reads an MPF file as a plain JPEG when any APP1 has the Ultra HDR mark."""
        return any(buf.find(_ULTRA_HDR, a, b) >= 0 for buf, a, b in self.app1)


@hookimpl
def sora_lint_probe(head: bytes, byte_size: int, reader: ProbeReader) -> ProbeResult | None:
    """Answer for JPEG content; ``None`` when the header's segments run past the read budget
    (Pillow skips long segments efficiently, so the fallback may answer)."""
    if head[:3] != SOI:
        return None
    frame = _Frame()
    try:
        pos, count, done = _walk_head(frame, head)
        if not done:  # padding, junk or a segment past the head: the general loop goes on
            pos = _walk_window(reader, frame, pos, count)
        if frame.width == 0:
            raise _no_frame(pos, max(byte_size, len(head)))
    except JpegError as exc:
        return ProbeResult("JPEG", problem=Problem(exc.kind, str(exc)))
    except BudgetExceeded:
        return None
    except OSError as exc:
        return ProbeResult("JPEG", problem=Problem(ProblemKind.IO_ERROR, f"cannot read: {exc}"))
    orientation = orient.orientation(frame.exif, frame.xmp, frame.exif_at, frame.exif_end)
    images = _mpo_images(frame.mpf) if frame.mpf is not None and not frame.is_ultra_hdr() else 1
    return header_result(
        "MPO" if images > 1 else "JPEG",
        frame.width,
        frame.height,
        _MODES[frame.components],
        orientation,
        images,
        False,
        frame.bits,
    )


def _no_frame(pos: int, size: int) -> JpegError:
    cut = pos >= size
    return JpegError(
        ProblemKind.TRUNCATED if cut else ProblemKind.CORRUPT,
        f"truncated JPEG header: no SOF marker in {size:,} bytes"
        if cut
        else f"corrupt JPEG: image data starts at byte {pos:,} before any frame header (SOF)",
    )


def _walk_head(frame: _Frame, head: bytes) -> tuple[int, int, bool]:
    """The usual JPEG, as far as it goes: segments one after another, each whole in the head
    and followed by the next marker. Returns the position of the marker code it stopped at,
    the markers it took and whether it reached the scan; :func:`_walk_window` takes over
    anything else (padding, junk, a segment past the head) at that marker, unchanged.

    It runs once per marker, so it is kept lean: one table look-up says what a marker is, and
    the segments every JPEG has are handled without a call."""
    # Each turn moves on at least 4 bytes: the bound keeps it under MAX_MARKERS turns.
    limit = min(len(head), 4 * MAX_MARKERS) - 3
    unpack = _MARKER.unpack_from
    kinds = _KINDS
    pos = 3  # Pillow holds the 0xFF at offset 2 and reads the marker code after it
    count = 0
    while pos <= limit:
        marker, length = unpack(head, pos)
        kind = kinds[marker]
        after = pos + 1 + length
        if not kind or after > limit or length < 2:
            break
        if kind == _SCAN:
            return after, count + 1, True
        if head[after] != 0xFF:
            break
        if kind != _SKIP:
            start = pos + 3
            if kind == _DQT:  # one 8-bit table is the usual DQT; else count the tables
                if length != 67 or head[start] >= 16:
                    _dqt(head, start, after)
            elif kind == _APP1:
                _app1(frame, head, start, after)
            elif kind == _APP2 and head.startswith(b"ICC_PROFILE\x00", start, after):
                frame.icc.append(head[start : min(after, start + 14)])
            else:
                _content(frame, head, marker, start, after, pos - 1)
        count += 1
        pos = after + 1
    return pos, count, False


def _walk_window(window: ProbeReader, frame: _Frame, pos: int, count: int) -> int:
    """Pillow's marker loop, from the marker code at ``pos`` with ``count`` markers taken,
    reading through the window; returns where it stopped."""
    head, size = window.head, window.size
    in_head = len(head)
    limit = in_head - 3
    for _ in range(MAX_MARKERS - count):
        # The marker code and the two bytes after it (a segment's length).
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
            end = pos + max(length, 2)
            if end > size:
                raise _cut(marker, pos, length, size)
            if marker in _CONTENT:
                if end <= in_head:
                    _content(frame, head, marker, pos + 2, end, pos - 2)
                else:
                    _segment(window, frame, marker, pos + 2, end - pos - 2, pos - 2)
            pos = end  # any other segment (DHT, APP0, COM, …) is skipped unread
            if marker == SOS:
                break
        elif marker not in BARE and marker != 0x00:
            raise JpegError(
                ProblemKind.CORRUPT,
                f"corrupt JPEG: no marker at byte {pos - 2:,} (0xFF{marker:02X})",
            )
        nxt = head[pos] if pos <= limit else (window.read(pos, 1) or b"\x00")[0]
        if pos >= size:
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
    return pos


def _content(frame: _Frame, head: bytes, marker: int, start: int, end: int, at: int) -> None:
    """A segment the walk reads, lying whole in the head: sliced, never read again."""
    if marker == 0xDB:
        _dqt(head, start, end)
    elif marker == 0xE1:
        _app1(frame, head, start, end)
    elif marker == 0xE2:
        prefix = head[start : min(end, start + 14)]
        if prefix.startswith(b"ICC_PROFILE\x00"):
            frame.icc.append(prefix)
        elif prefix.startswith(b"MPF\x00"):
            frame.mpf = head[start + 4 : end]
    elif marker == 0xED:
        _app13(head[start:end])
    else:
        _sof(frame, head[start:end], at)


def _segment(window: ProbeReader, frame: _Frame, marker: int, start: int, n: int, at: int) -> None:
    """A segment the walk reads that goes on past the head: read through the window."""
    if marker in SOF:
        _sof(frame, window.read(start, n), at)
    elif marker == 0xDB:
        data = window.read(start, n)
        _dqt(data, 0, len(data))
    elif marker == 0xE1:
        data = window.read(start, n)
        _app1(frame, data, 0, len(data))
    elif marker == 0xE2:
        _app2(frame, window, start, n)
    elif marker == 0xED:
        _app13(window.read(start, n))


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
    bits, height, width, components = _SOF.unpack_from(data)
    if components not in (1, 3, 4):
        raise JpegError(ProblemKind.CORRUPT, f"corrupt JPEG: {components} colour components")
    if width == 0 or height == 0:
        raise JpegError(
            ProblemKind.CORRUPT, f"corrupt JPEG: frame header declares a size of {width}x{height}"
        )
    if frame.icc and len(min(frame.icc)) < 14:
        raise JpegError(ProblemKind.CORRUPT, "corrupt JPEG: an ICC profile segment is too short")
    frame.icc.clear()
    frame.width, frame.height, frame.bits, frame.components = width, height, bits, components


def _dqt(data: bytes, pos: int, end: int) -> None:
    """Pillow refuses a quantization table segment (``data[pos:end]``) that ends inside a table."""
    while pos < end:
        table = 65 if data[pos] < 16 else 129
        if end - pos < table:
            raise JpegError(ProblemKind.CORRUPT, "corrupt JPEG: bad quantization table (DQT)")
        pos += table


def _app1(frame: _Frame, buf: bytes, start: int, end: int) -> None:
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


def _app2(frame: _Frame, window: ProbeReader, start: int, n: int) -> None:
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


def _find_ff(window: ProbeReader, pos: int) -> int | None:
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
