"""The fast PNG prober against Pillow on orientation: from every source Pillow reads (eXIf,
XMP, raw profiles, before or after the image data) and past the first 64 KiB."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sora_lint_plugins.probes import png as probe_png

from sora_lint.types import Size
from tests.probe_support import chunk, exif_bytes, pillow_view, png, probe, xmp_packet
from tests.probes.png_support import save_blank


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_written_by_pillow(tmp_path: Path, orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = save_blank(tmp_path / "x.png", "RGB", exif=exif)
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert result.header.orientation == orientation == pillow_view(path)["orientation"]


def _raw_profile(exif: bytes) -> bytes:
    return b"\nexif\n" + str(len(exif)).encode() + b"\n" + exif.hex().encode() + b"\n"


ORIENTATION_SOURCES = [
    ("exif-before-idat-le", {"before": (chunk(b"eXIf", exif_bytes(6)),)}, 6),
    ("exif-before-idat-be", {"before": (chunk(b"eXIf", exif_bytes(8, big_endian=True)),)}, 8),
    ("exif-many-tags", {"before": (chunk(b"eXIf", exif_bytes(5, other_tags=30)),)}, 5),
    ("exif-after-idat", {"after": (chunk(b"eXIf", exif_bytes(3)),)}, 3),
    ("exif-before-wins", {"before": (chunk(b"eXIf", exif_bytes(2)),),
                          "after": (chunk(b"eXIf", exif_bytes(7)),)}, 2),
    ("xmp-itxt", {"before": (chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00"
                                   + xmp_packet(7)),)}, 7),
    ("xmp-itxt-compressed", {"before": (chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00"
                                              + zlib.compress(xmp_packet(4))),)}, 4),
    ("xmp-after-idat", {"after": (chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00"
                                        + xmp_packet(6)),)}, 6),
    ("raw-profile-text", {"before": (chunk(b"tEXt", b"Raw profile type exif\x00"
                                           + _raw_profile(b"Exif\x00\x00" + exif_bytes(8))),)}, 8),
    ("raw-profile-ztxt", {"before": (chunk(b"zTXt", b"Raw profile type exif\x00\x00"
        + zlib.compress(_raw_profile(b"Exif\x00\x00" + exif_bytes(5, big_endian=True)))),)}, 5),
    ("exif-without-orientation-then-xmp",
     {"before": (chunk(b"eXIf", b"II*\x00\x08\x00\x00\x00\x00\x00"),
                 chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp_packet(6)))}, 6),
    ("orientation-zero-is-one", {"before": (chunk(b"eXIf", exif_bytes(0)),)}, 1),
    ("orientation-nine-is-one", {"before": (chunk(b"eXIf", exif_bytes(9)),)}, 1),
    ("broken-exif", {"before": (chunk(b"eXIf", b"garbage"),)}, 1),
]  # fmt: skip


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [c[1:] for c in ORIENTATION_SOURCES],
    ids=[c[0] for c in ORIENTATION_SOURCES],
)
def test_orientation_from_every_source_pillow_reads(
    tmp_path: Path, chunks: dict[str, tuple[bytes, ...]], expected: int
) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(png(4, 3, **chunks))  # type: ignore[arg-type]
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert result.header.orientation == expected == pillow_view(path)["orientation"]


def test_exif_after_large_image_data_is_found_in_the_tail(tmp_path: Path) -> None:
    noise = os.urandom(300_000)  # bogus but never inflated: only the chunk walk matters
    path = tmp_path / "x.png"
    path.write_bytes(png(64, 64, idat=noise, after=(chunk(b"eXIf", exif_bytes(6)),)))
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert result.header.orientation == 6


def test_metadata_past_the_head_before_the_image_data(tmp_path: Path) -> None:
    comment = chunk(b"tEXt", b"Comment\x00" + b"x" * 200_000)
    path = tmp_path / "x.png"
    path.write_bytes(png(9, 4, before=(comment, chunk(b"eXIf", exif_bytes(8)))))
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert (result.header.size, result.header.orientation) == (Size(9, 4), 8)
    assert pillow_view(path)["orientation"] == 8
