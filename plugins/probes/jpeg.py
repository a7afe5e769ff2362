"""Fast JPEG/MPO prober: walks the markers up to the first scan, never imports Pillow.

The walk copies Pillow's ``JpegImageFile._open`` marker loop (junk skipping, padding, markers
without a length), so it reaches the frame header (SOFn) Pillow reads, and refuses what Pillow
refuses (a truncated segment, a bad quantization table, a sample precision other than 8, an
unknown marker: :mod:`.jpeg_segments`). EXIF orientation comes from the first APP1 ``Exif``
segment (or XMP), and an APP2 ``MPF`` index naming more than one picture makes the file an
MPO, as in Pillow's ``jpeg_factory``. When the header lies past the head (a large ICC
profile), segments are skipped by seeking, within a budget. Then one bounded look at the end
of the first picture tells a whole file from a cut one (:mod:`.ends`).
"""

from __future__ import annotations

import struct

from sora_lint.hookspecs import hookimpl
from sora_lint.run.probe_reader import BLOCK, BudgetExceeded, ProbeReader
from sora_lint.types import ProbeResult, Problem, ProblemKind

from . import ends, orient
from .answers import header_result
from .jpeg_segments import Frame, JpegError, app1, content, dqt, mpo_pictures

SOI = b"\xff\xd8\xff"
#: Frame headers: SOF0–SOF15 except DHT (C4), JPG (C8), DAC (CC); Pillow also reads DHP (DE).
SOF = frozenset({*range(0xC0, 0xD0), 0xDE}) - {0xC4, 0xC8, 0xCC}
#: Markers with a length-prefixed segment (Pillow's ``MARKER`` entries with a handler).
SEGMENT = SOF | {0xC4, 0xCC, 0xDA, 0xDB, 0xDC, 0xDD, 0xDF, 0xFE, *range(0xE0, 0xF0)}
#: Markers Pillow steps over without reading a length.
BARE = frozenset({0xC8, *range(0xD0, 0xDA), *range(0xF0, 0xFE)})
SOS = 0xDA
#: Segments whose content the walk reads; every other segment is skipped by its length.
_CONTENT = SOF | {0xDB, 0xE0, 0xE1, 0xE2, 0xED, 0xEE}
#: What the walk does with each marker code: not a segment (0, left to the general loop), skip
#: it, the scan, or read it (DQT, APP1, APP2, JFIF/Adobe when short, any other it reads).
_SKIP, _SCAN, _DQT, _APP1, _APP2, _READ, _NAMED = 1, 2, 3, 4, 5, 6, 7
_KINDS = tuple(
    (
        _SCAN if code == SOS
        else {0xDB: _DQT, 0xE1: _APP1, 0xE2: _APP2, 0xE0: _NAMED, 0xEE: _NAMED}.get(code, _READ)
        if code in _CONTENT
        else _SKIP if code in SEGMENT
        else 0
    )
    for code in range(256)
)  # fmt: skip
#: Segments before the image data; a real JPEG has a dozen. Pillow has no limit, but reads
#: each in Python: past this many the file is refused rather than handed to it. Padding and
#: junk between segments are skipped in bulk, within the read budget.
MAX_MARKERS = 65536
_MODES = {1: "L", 3: "RGB", 4: "CMYK"}
#: A marker code and the segment length after it.
_MARKER = struct.Struct(">BH")


@hookimpl
def sora_lint_probe(head: bytes, reader: ProbeReader) -> ProbeResult | None:
    """Answer for JPEG content; ``None`` when the header's segments run past the read budget
    (Pillow skips long segments efficiently, so the fallback may answer)."""
    if head[:3] != SOI:
        return None
    frame = Frame()
    try:
        pos, count, scanned = _walk_head(frame, head)
        if not scanned:  # padding, junk or a segment past the head: the general loop goes on
            pos, scanned = _walk_window(reader, frame, pos, count)
        if frame.width == 0 or frame.height == 0:
            raise _no_frame(frame, pos, reader.size)
        if not scanned:
            raise JpegError(
                ProblemKind.TRUNCATED,
                f"truncated JPEG: the file ends at byte {reader.size:,}, before the image data",
            )
        images, second = 1, None
        if frame.mpf is not None:
            images, second = mpo_pictures(frame.mpf)
            if frame.is_ultra_hdr():
                images = 1
        cut = ends.jpeg_cut(reader, pos, None if second is None else frame.mpf_at + second)
        if cut is not None:
            raise JpegError(ProblemKind.TRUNCATED, cut)
    except JpegError as exc:
        return ProbeResult("JPEG", problem=Problem(exc.kind, str(exc)))
    except BudgetExceeded:
        return None
    except OSError as exc:
        return ProbeResult("JPEG", problem=Problem(ProblemKind.IO_ERROR, f"cannot read: {exc}"))
    orientation = orient.orientation(frame.exif, frame.xmp, frame.exif_at, frame.exif_end)
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


def _no_frame(frame: Frame, pos: int, size: int) -> JpegError:
    if frame.components:
        return JpegError(
            ProblemKind.CORRUPT,
            f"corrupt JPEG: frame header declares a size of {frame.width}x{frame.height}",
        )
    cut = pos >= size
    return JpegError(
        ProblemKind.TRUNCATED if cut else ProblemKind.CORRUPT,
        f"truncated JPEG header: no SOF marker in {size:,} bytes"
        if cut
        else f"corrupt JPEG: image data starts at byte {pos:,} before any frame header (SOF)",
    )


def _walk_head(frame: Frame, head: bytes) -> tuple[int, int, bool]:
    """The usual JPEG, as far as it goes: segments one after another, each whole in the head
    and followed by the next marker. Returns the position of the marker code it stopped at,
    the markers it took and whether it reached the scan; :func:`_walk_window` takes over
    anything else (padding, junk, a segment past the head) at that marker, unchanged.

    It runs once per marker, so it is kept lean: one table look-up says what a marker is, and
    the segments every JPEG has are handled without a call."""
    limit = len(head) - 3
    unpack = _MARKER.unpack_from
    kinds = _KINDS
    pos = 3  # Pillow holds the 0xFF at offset 2 and reads the marker code after it
    count = 0
    while pos <= limit:  # each turn moves on at least 4 bytes
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
                    dqt(head, start, after)
            elif kind == _APP1:
                app1(frame, head, start, after)
            elif kind == _APP2 and head.startswith(b"ICC_PROFILE\x00", start, after):
                frame.icc.append(head[start : min(after, start + 14)])
            elif kind == _NAMED:
                if length < 9:  # only a JFIF or Adobe segment this short is refused
                    content(frame, head, marker, start, after, pos - 1)
            else:
                content(frame, head, marker, start, after, pos - 1)
        count += 1
        pos = after + 1
    return pos, count, False


def _walk_window(reader: ProbeReader, frame: Frame, pos: int, count: int) -> tuple[int, bool]:
    """Pillow's marker loop, from the marker code at ``pos`` with ``count`` markers taken,
    reading through the reader; returns where it stopped and whether at the image data."""
    head, size = reader.head, reader.size
    in_head = len(head)
    limit = in_head - 3
    for _ in range(MAX_MARKERS - count):
        # The marker code and the two bytes after it (a segment's length).
        code = head[pos : pos + 3] if pos <= limit else reader.read(pos, 3)
        if not code:
            return pos, False
        marker = code[0]
        if marker == 0xFF:  # padding: the last 0xFF of the run starts the marker
            pos = _past_padding(reader, pos)
            continue
        pos += 1
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
                    content(frame, head, marker, pos + 2, end, pos - 2)
                else:
                    data = _segment(reader, marker, pos + 2, end - pos - 2)
                    content(frame, data, marker, 0, len(data), pos - 2)
            pos = end  # any other segment (DHT, COM, …) is skipped unread
            if marker == SOS:
                return pos, True
        elif marker not in BARE and marker != 0x00:
            raise JpegError(
                ProblemKind.CORRUPT,
                f"corrupt JPEG: no marker at byte {pos - 2:,} (0xFF{marker:02X})",
            )
        if pos >= size:
            return pos, False
        nxt = head[pos] if pos <= limit else (reader.read(pos, 1) or b"\x00")[0]
        pos += 1
        if nxt != 0xFF:
            found = _find_ff(reader, pos)
            if found is None:
                return size, False
            pos = found + 1
    raise JpegError(
        ProblemKind.CORRUPT,
        f"corrupt JPEG: more than {MAX_MARKERS:,} markers before the image data",
    )


def _segment(reader: ProbeReader, marker: int, start: int, n: int) -> bytes:
    """The content of a segment past the head, as much of it as the walk needs: an ICC
    profile segment (up to 64 KiB each) only for its sequence prefix, JFIF and Adobe
    segments only for their first bytes."""
    if marker == 0xE2:
        prefix = reader.read(start, min(n, 14))
        return reader.read(start, n) if prefix.startswith(b"MPF\x00") else prefix
    if marker in (0xE0, 0xEE):
        return reader.read(start, min(n, 7))
    return reader.read(start, n)


def _past_padding(reader: ProbeReader, pos: int) -> int:
    """The first byte at or after ``pos`` that is not 0xFF (Pillow reads fill bytes one at
    a time; here a run is skipped a block at a time)."""
    start = pos
    try:
        while pos < reader.size:
            block = reader.read(pos, BLOCK)
            kept = len(block) - len(block.lstrip(b"\xff"))
            pos += kept
            if kept < len(block):
                return pos
    except BudgetExceeded:
        raise _flood("0xFF padding", start) from None
    return pos


def _find_ff(reader: ProbeReader, pos: int) -> int | None:
    """The next 0xFF at or after ``pos`` (Pillow skips junk between markers byte by byte)."""
    start = pos
    try:
        while pos < reader.size:
            block = reader.read(pos, BLOCK)
            found = block.find(b"\xff")
            if found >= 0:
                return pos + found
            pos += len(block)
    except BudgetExceeded:
        raise _flood("junk", start) from None
    return None


def _flood(what: str, at: int) -> JpegError:
    """Over a MiB of padding or junk, which Pillow would read a byte at a time in Python: the
    file is refused rather than handed to it (a real JPEG has none)."""
    return JpegError(
        ProblemKind.CORRUPT, f"corrupt JPEG: more {what} between markers at byte {at:,} than "
        "sora-lint reads",
    )  # fmt: skip


def _cut(marker: int, pos: int, length: int, size: int) -> JpegError:
    return JpegError(
        ProblemKind.TRUNCATED,
        f"truncated JPEG: {_name(marker)} segment at byte {pos - 2:,} needs "
        f"{max(length - 2, 0):,} bytes; the file ends at byte {size:,}",
    )


def _name(marker: int) -> str:
    if marker in SOF:
        return "frame header (SOF)"
    if 0xE0 <= marker <= 0xEF:
        return f"APP{marker - 0xE0}"
    return {0xC4: "DHT", 0xDA: "SOS", 0xDB: "DQT", 0xFE: "comment (COM)"}.get(
        marker, f"0xFF{marker:02X}"
    )
