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
_STRUCTS = {
    e: (struct.Struct(e + "H"), struct.Struct(e + "L"), struct.Struct(e + "HHL")) for e in "<>"
}
#: At most this many IFD entries are looked at (a 64 KiB segment holds 5,461).
MAX_ENTRIES = 8192


def exif_orientation(data: bytes | memoryview) -> int | None:
    """The raw Orientation value of EXIF ``data`` (TIFF structure, optionally after
    ``Exif\\0\\0``); ``None`` when the tag is absent or the EXIF unreadable,
    :data:`INVALID` when the tag holds something other than one integer."""
    start = 0
    while data[start : start + 6] == b"Exif\x00\x00":
        start += 6
    end = len(data)
    endian = _PREFIXES.get(bytes(data[start : start + 4]))
    if endian is None or start + 8 > end:
        return None
    u16, u32, entry = _STRUCTS[endian]
    ifd = start + u32.unpack_from(data, start + 4)[0]
    if ifd + 2 > end:
        return None
    (count,) = u16.unpack_from(data, ifd)
    pos = ifd + 2
    for _ in range(min(count, MAX_ENTRIES)):
        if pos + 12 > end:
            return None  # Pillow stops at a truncated entry and keeps what it read
        if u16.unpack_from(data, pos)[0] == ORIENTATION_TAG:
            _, typ, n = entry.unpack_from(data, pos)
            if typ in _INT_TYPES or typ in _OTHER_TYPES:
                if typ in _INT_TYPES and n == 1:
                    fmt = _INT_TYPES[typ][0]
                    (value,) = struct.unpack_from(endian + fmt, data, pos + 8)
                    return int(value)
                size = n * (_INT_TYPES[typ][1] if typ in _INT_TYPES else _OTHER_TYPES[typ])
                if size <= 4:
                    return INVALID
                if start + u32.unpack_from(data, pos + 8)[0] + size <= end:
                    return INVALID
            # Pillow skips a value it cannot read, or of an unknown type, and looks on.
        pos += 12
    return None


def xmp_orientation(xmp: bytes | str) -> int | None:
    """The first ``tiff:Orientation`` digit in an XMP packet, as Pillow's fallback reads it."""
    raw = xmp.encode("utf-8", "replace") if isinstance(xmp, str) else xmp
    match = _XMP_ORIENTATION.search(raw)
    return int(match.group(2)) if match else None


def orientation(exif: bytes | memoryview | None, xmp: bytes | str | None) -> int:
    """The orientation an ``ImageHeader`` carries: 1–8, or 1 when absent or not valid."""
    value = exif_orientation(exif) if exif else None
    if value is None and xmp:
        value = xmp_orientation(xmp)
    return value if value is not None and 1 <= value <= 8 else 1
