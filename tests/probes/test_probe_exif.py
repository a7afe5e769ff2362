"""EXIF orientation as Pillow reads it, found by searching for the tag's two bytes.

The search must count the bytes only where an IFD entry starts, and read the EXIF where it
lies (``start``/``end`` inside a larger buffer) exactly as it reads a slice of it.
"""

from __future__ import annotations

import struct

import pytest
from sora_lint_plugins.probes import orient as _exif

from tests.probe_support import exif_bytes


def _ifd(entries: list[tuple[int, int, int, bytes]], big_endian: bool = False) -> bytes:
    e = ">" if big_endian else "<"
    body = b"".join(struct.pack(e + "HHL", t, typ, n) + value for t, typ, n, value in entries)
    header = (b"MM\x00*" if big_endian else b"II*\x00") + struct.pack(e + "L", 8)
    return header + struct.pack(e + "H", len(entries)) + body + struct.pack(e + "L", 0)


def _short(value: int, big_endian: bool = False) -> bytes:
    return struct.pack((">" if big_endian else "<") + "HH", value, 0)


@pytest.mark.parametrize("big_endian", [False, True])
def test_tag_bytes_inside_an_entry_are_not_the_tag(big_endian: bool) -> None:
    """0x0112 as another tag's value, and across two entries, before the real entry."""
    decoy = _short(0x0112, big_endian)
    entries = [(0x0100, 3, 1, decoy), (0x0101, 4, 0x01120112, decoy), (0x0112, 3, 1, _short(7))]
    if big_endian:
        entries[2] = (0x0112, 3, 1, _short(7, big_endian=True))
    assert _exif.exif_orientation(_ifd(entries, big_endian)) == 7


def test_only_misplaced_tag_bytes_mean_no_orientation() -> None:
    entries = [(0x0100, 3, 1, _short(0x0112)), (0x0101, 3, 1, _short(0x1201))]
    assert _exif.exif_orientation(_ifd(entries)) is None


def test_a_value_pillow_cannot_read_is_skipped_and_the_search_goes_on() -> None:
    """An Orientation of an unknown type is passed over; the next one counts."""
    entries = [(0x0112, 99, 1, _short(3)), (0x0112, 3, 1, _short(5))]
    assert _exif.exif_orientation(_ifd(entries)) == 5


def test_an_entry_cut_off_by_the_end_is_not_read() -> None:
    data = _ifd([(0x0100, 3, 1, _short(1)), (0x0112, 3, 1, _short(6))])
    cut = data.index(struct.pack("<H", 0x0112)) + 11  # one byte short of the whole entry
    assert _exif.exif_orientation(data[:cut]) is None
    assert _exif.exif_orientation(data, 0, cut) is None
    assert _exif.exif_orientation(data[: cut + 1]) == 6


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
@pytest.mark.parametrize("big_endian", [False, True])
def test_offsets_in_a_buffer_read_as_the_slice(orientation: int, big_endian: bool) -> None:
    exif = b"Exif\x00\x00" + exif_bytes(orientation, big_endian, other_tags=5)
    buffer = b"\xff" * 37 + exif + b"\x12\x01" * 50
    start, end = 37, 37 + len(exif)
    assert _exif.exif_orientation(buffer, start, end) == orientation
    assert _exif.exif_orientation(exif) == orientation
    assert _exif.orientation(buffer, None, start, end) == orientation
    for cut in (start + 10, start + 20, end - 3):
        assert _exif.exif_orientation(buffer, start, cut) == _exif.exif_orientation(
            buffer[start:cut]
        )


def test_xmp_is_the_fallback_when_the_exif_has_no_orientation() -> None:
    exif = _ifd([(0x0100, 3, 1, _short(1))])
    xmp = b'<x tiff:Orientation="8"/>'
    assert _exif.orientation(exif, xmp) == 8
    assert _exif.orientation(b"", xmp) == 8
    assert _exif.orientation(None, None) == 1
