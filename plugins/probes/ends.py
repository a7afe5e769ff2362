"""Is the image data complete? One bounded look at the end of the file, no decoding.

A cut file (an interrupted download or upload, a disk that filled up) keeps an intact
header, so a header prober alone calls it fine and only ``--fix``, or the API, finds out.
Each format ends in a way a cut file does not: a JPEG's end-of-image marker after its last
scan, a PNG's IEND chunk, a GIF's trailer. Each check reads the last :data:`TAIL` bytes
(or the bytes before the next picture of a multi-picture JPEG): one read, free for a file
already read whole. Data appended after the end marker (a motion photo's video, a trailer
some tool wrote) is not a cut; when the end of the file is neither the marker nor image data,
the file is given the benefit of the doubt, as Pillow's header parse would.
"""

from __future__ import annotations

from sora_lint.run.probe_reader import BudgetExceeded, ProbeReader

#: Bytes read at the end of the file.
TAIL = 4096
#: Bytes searched for the last chunk header of a PNG that does not end in IEND: a cut inside
#: image data chunks of up to 64 KiB (what encoders write) always leaves one in them.
PNG_LAST_CHUNK = 64 * 1024 + 12
JPEG_EOI = b"\xff\xd9"
PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"
#: Bytes that may follow 0xFF inside a JPEG's scan: stuffing, restart markers and fill.
_IN_SCAN = frozenset({0x00, *range(0xD0, 0xD8), 0xFF})
#: Segments between the scans of a progressive JPEG (tables, the next scan header, comments).
_BETWEEN_SCANS = frozenset({0xC4, 0xCC, 0xDA, 0xDB, 0xDD, 0xFE, *range(0xE0, 0xF0)})
_TEXT = frozenset(b"\t\n\r" + bytes(range(32, 127)))


def jpeg_cut(reader: ProbeReader, scan_at: int, next_picture: int | None) -> str | None:
    """Why the JPEG whose first scan starts at ``scan_at`` is cut, or ``None`` if it is whole
    (or cannot be told). ``next_picture`` is where an MP index says the second picture of
    the file starts: the first picture, the one decoders show, must end just before it."""
    try:
        end = reader.size
        if next_picture is not None and scan_at < next_picture < end:
            start = max(scan_at, next_picture - TAIL)
            found = reader.read(start, next_picture + 3 - start)
            if found[-3:] == b"\xff\xd8\xff":  # a picture does start there: judge the first
                end = next_picture
        if end == reader.size:
            tail = reader.tail(min(TAIL, end - scan_at))
        else:
            start = max(scan_at, end - TAIL)
            tail = reader.read(start, end - start)
    except BudgetExceeded:
        return None
    if tail.rfind(JPEG_EOI) >= 0:  # rfind: the marker is near the end (``in`` scans from the start)
        return None
    if not tail:
        return f"truncated JPEG: the file ends at byte {reader.size:,}, right after the scan header"
    body = tail.rstrip(b"\x00")  # zero padding: what it pads cannot be told from here
    if not body or not _scan_data(body):
        return None  # a trailer of another kind follows the picture: not judged
    return (
        f"truncated JPEG: the image data starting at byte {scan_at:,} has no end-of-image "
        f"marker; the file ends at byte {reader.size:,} inside it"
    )


def _scan_data(data: bytes) -> bool:
    """Whether ``data`` looks like a JPEG's entropy-coded data and the segments between its
    scans: every 0xFF is stuffing, a restart marker or a segment that fits (or runs into the
    end), and the bytes are not text."""
    at = data.find(b"\xff")
    while 0 <= at < len(data) - 1:
        follower = data[at + 1]
        if follower in _BETWEEN_SCANS:
            at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")  # past its content
        elif follower in _IN_SCAN:
            at += 2
        else:
            return False
        at = data.find(b"\xff", at)
    if len(data) >= 64:
        text = sum(1 for byte in data if byte in _TEXT)
        return text * 20 < len(data) * 19  # under 95% text
    return True


def png_cut(reader: ProbeReader, data_at: int) -> str | None:
    """Why the PNG whose image data starts with the chunk at ``data_at`` is cut, or ``None``.

    The chunks from the image data on must fit in the file and lead to an IEND chunk: Pillow
    stops reading once the pixels decode, but a file without its IEND chunk was cut (libpng
    and browsers report it), and one cut inside the image data is what makes ``--fix`` fail
    with "image file is truncated". The usual file ends in IEND: one read of its tail. For
    the others, the last chunk header is looked for in the last 64 KiB, then the chunks are
    walked, within the read budget (past it, no verdict)."""
    size = reader.size
    try:
        if reader.tail(min(TAIL, size - data_at)).rfind(PNG_IEND) >= 0:
            return None
        start = max(data_at, size - PNG_LAST_CHUNK)
        at = _cut_chunk(reader.read(start, size - start), start, size)
        if at is None:
            at = _walk_chunks(reader, data_at)
    except BudgetExceeded:
        return None
    if at is None:
        return None
    if at < 0:
        return f"truncated PNG: no IEND chunk after the image data (the file ends at byte {size:,})"
    return f"truncated PNG: the chunk at byte {at:,} needs more bytes than the file has"


def _cut_chunk(tail: bytes, start: int, size: int) -> int | None:
    """Where an image data chunk in ``tail`` (read at ``start``) that runs past the end of
    the file starts, if there is one."""
    found = tail.find(b"IDAT", 4)
    while found >= 0:
        length = int.from_bytes(tail[found - 4 : found], "big")
        if length < 1 << 31 and start + found + 8 + length > size:
            return start + found - 4
        found = tail.find(b"IDAT", found + 4)
    return None


def _walk_chunks(reader: ProbeReader, pos: int) -> int | None:
    """Chunk by chunk from ``pos``: ``None`` at IEND, else where a chunk runs past the end
    (or -1 when the chunks end, or stop being chunks, without an IEND)."""
    size = reader.size
    while pos + 8 <= size:
        header = reader.read(pos, 8)
        cid = header[4:]
        if cid == b"IEND":
            return None
        if not cid.isalpha():
            return -1
        end = pos + 12 + int.from_bytes(header[:4], "big")
        if end > size:
            return pos
        pos = end
    return -1 if pos == size else pos


#: GIFs up to this size are walked block by block to their trailer; larger ones only need to
#: end with it.
GIF_WALK_BYTES = 1024 * 1024


def gif_cut(reader: ProbeReader) -> str | None:
    """Why the GIF is cut, or ``None``: its blocks must lead to the trailer (0x3B) before the
    file ends. Pillow decodes only the first frame for ``--fix``, so a file cut after it
    opens there; the frames after the cut are lost all the same."""
    size = reader.size
    try:
        if size > GIF_WALK_BYTES:
            if reader.tail(1) == b";":
                return None
            return f"truncated GIF: the file ends at byte {size:,} without the GIF trailer"
        data = reader.read(0, size)
    except BudgetExceeded:
        return None
    pos = _gif_blocks(data)
    if pos is None:
        return None
    return f"truncated GIF: the file ends at byte {size:,}, inside the block at byte {pos:,}"


def _gif_blocks(data: bytes) -> int | None:
    """Walk the blocks as Pillow's GIF reader does (unknown bytes skipped one at a time);
    ``None`` at the trailer, else where the block the file ends in starts."""
    size = len(data)
    pos = 13 + (3 << ((data[10] & 7) + 1) if len(data) > 10 and data[10] & 0x80 else 0)
    while pos < size:
        start, tag = pos, data[pos]
        if tag == 0x3B:
            return None
        if tag == 0x21:
            pos += 2
        elif tag == 0x2C:
            if pos + 10 > size:
                return start
            flags = data[pos + 9]
            pos += 11 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
        else:
            pos += 1
            continue
        while pos < size and data[pos]:  # data sub-blocks, up to the empty one
            pos += 1 + data[pos]
        if pos >= size:
            return start
        pos += 1
    return size
