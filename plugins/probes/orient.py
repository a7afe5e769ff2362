"""EXIF and XMP orientation, read the way Pillow reads it, in pure Python.

The fast probers must agree with Pillow's ``getexif()`` (which ``ImageOps.exif_transpose`` and
so the fixers use): the first Orientation entry (tag 0x0112) of IFD0 wins, and when IFD0 has
none Pillow falls back to the first ``tiff:Orientation`` digit in the XMP packet.
"""

from __future__ import annotations

import re
import struct

ORIENTATION_TAG = 0x0112
#: Tag value means "present but not a usable value" (a rational, a list, …).
INVALID = 0

#: TIFF headers Pillow accepts for EXIF, with the byte order it assumes for each.
_PREFIXES = {
    b"II*\x00": "<",
    b"II\x00*": "<",
    b"MM\x00*": ">",
    b"MM*\x00": ">",
}
#: Integer TIFF types: type code → (struct format, size).
_INT_TYPES = {1: ("B", 1), 3: ("H", 2), 4: ("L", 4), 6: ("b", 1), 8: ("h", 2), 9: ("l", 4)}
#: Value sizes of the other types Pillow knows (a tag of such a type is present, not usable).
_OTHER_TYPES = {2: 1, 5: 8, 7: 1, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}
_XMP_ORIENTATION = re.compile(rb'tiff:Orientation(="|>)([0-9])')


def _layout(e: str) -> tuple[struct.Struct, struct.Struct, struct.Struct, bytes]:
    """What reading an IFD takes in one byte order: u16, u32, an entry head, the tag's bytes."""
    return (
        struct.Struct(e + "H"),
        struct.Struct(e + "L"),
        struct.Struct(e + "HHL"),
        struct.pack(e + "H", ORIENTATION_TAG),
    )


_LAYOUTS = {prefix: _layout(e) for prefix, e in _PREFIXES.items()}
_VALUES = {(e, typ): struct.Struct(e + fmt) for e in "<>" for typ, (fmt, _) in _INT_TYPES.items()}
#: At most this many IFD entries are looked at (a 64 KiB segment holds 5,461).
MAX_ENTRIES = 8192


def exif_orientation(data: bytes, start: int = 0, end: int | None = None) -> int | None:
    """The raw Orientation value of the EXIF in ``data[start:end]`` (TIFF structure, optionally
    after ``Exif\\0\\0``); ``None`` when the tag is absent or the EXIF unreadable,
    :data:`INVALID` when the tag holds something other than one integer.

    Offsets rather than a slice, so a JPEG's EXIF segment is read where it lies in the head."""
    if not isinstance(data, bytes):
        data = bytes(data)
    if end is None:
        end = len(data)
    while data.startswith(b"Exif\x00\x00", start, end):
        start += 6
    if start + 8 > end:
        return None
    layout = _LAYOUTS.get(data[start : start + 4])
    if layout is None:
        return None
    u16, u32, entry, tag = layout
    ifd = start + u32.unpack_from(data, start + 4)[0]
    if ifd + 2 > end:
        return None
    first = ifd + 2
    # Pillow stops at a truncated entry: only whole entries are searched, and the two tag
    # bytes count only where an entry starts.
    stop = first + 12 * min(u16.unpack_from(data, ifd)[0], MAX_ENTRIES, (end - first) // 12)
    at = data.find(tag, first, stop)
    while at >= 0:
        skew = (at - first) % 12
        if skew:
            at = data.find(tag, at - skew + 12, stop)
            continue
        _, typ, n = entry.unpack_from(data, at)
        if n == 1 and typ == 3:  # one SHORT: what every writer stores
            return u16.unpack_from(data, at + 8)[0]  # type: ignore[no-any-return]
        if typ in _INT_TYPES:
            if n == 1:
                endian = "<" if data[start] == 0x49 else ">"  # "II" or "MM"
                return _VALUES[endian, typ].unpack_from(data, at + 8)[0]  # type: ignore[no-any-return]
            size = n * _INT_TYPES[typ][1]
        else:
            size = n * _OTHER_TYPES.get(typ, 0)
        if typ in _INT_TYPES or typ in _OTHER_TYPES:
            if size <= 4:
                return INVALID
            if start + u32.unpack_from(data, at + 8)[0] + size <= end:
                return INVALID
        # Pillow skips a value it cannot read, or of an unknown type, and looks on.
        at = data.find(tag, at + 12, stop)
    return None


def xmp_orientation(xmp: bytes | str) -> int | None:
    """The first ``tiff:Orientation`` digit in an XMP packet, as Pillow's fallback reads it."""
    raw = xmp.encode("utf-8", "replace") if isinstance(xmp, str) else xmp
    match = _XMP_ORIENTATION.search(raw)
    return int(match.group(2)) if match else None


def orientation(
    exif: bytes | None, xmp: bytes | str | None, start: int = 0, end: int | None = None
) -> int:
    """The orientation an ``ImageHeader`` carries: 1–8, or 1 when absent or not valid.

    ``start``/``end`` bound the EXIF within ``exif`` (a JPEG passes its head as it is)."""
    value = None
    if exif is not None:
        if end is None:
            end = len(exif)
        if end > start:
            value = exif_orientation(exif, start, end)
    if value is None and xmp:
        value = xmp_orientation(xmp)
    return value if value is not None and 1 <= value <= 8 else 1
