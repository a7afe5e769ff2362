"""The Pillow fallback: the allow-list, headers only, bombs reported, failures as values."""

from __future__ import annotations

import io
import logging
import os
import struct
import warnings
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, features
from sora_lint_plugins.probes import pillow as probe_pillow

from sora_lint.types import ProblemKind, Size
from tests.probe_support import chunk, exif_bytes, png, probe, probe_bytes


def saved(mode: str, fmt: str, size: tuple[int, int] = (12, 8), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, fmt, **save)
    return out.getvalue()


def gif_frames(count: int, size: tuple[int, int] = (12, 8), noise: bool = False) -> bytes:
    def frame(i: int) -> Image.Image:
        if noise:
            return Image.frombytes("L", size, os.urandom(size[0] * size[1])).convert("P")
        image = Image.new("P", size, 0)
        image.putpixel((i % size[0], 0), 1)  # frames differ, so Pillow keeps each one
        return image

    frames = [frame(i) for i in range(count)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()


FORMATS = [
    ("gif", lambda: saved("P", "GIF"), "GIF", "P", 1),
    ("gif-animated", lambda: gif_frames(3), "GIF", "P", 3),
    ("bmp", lambda: saved("RGB", "BMP"), "BMP", "RGB", 1),
    ("tiff", lambda: saved("RGB", "TIFF"), "TIFF", "RGB", 1),
    ("tiff-16bit", lambda: saved("I;16", "TIFF"), "TIFF", "I;16", 1),
    ("qoi", lambda: saved("RGB", "QOI"), "QOI", "RGB", 1),
    ("jpeg2000", lambda: saved("RGB", "JPEG2000"), "JPEG2000", "RGB", 1),
    ("png", lambda: saved("RGB", "PNG"), "PNG", "RGB", 1),
]


@pytest.mark.parametrize(
    ("make", "fmt", "mode", "frames"), [c[1:] for c in FORMATS], ids=[c[0] for c in FORMATS]
)
def test_allowed_formats_report_their_header(
    tmp_path: Path, make: object, fmt: str, mode: str, frames: int
) -> None:
    data = make()  # type: ignore[operator]
    result = probe_bytes(probe_pillow, tmp_path / "x.img", data)
    assert result is not None and result.header is not None, result
    assert (result.format, result.header.mode, result.header.n_frames) == (fmt, mode, frames)
    assert result.header.bits == (16 if mode == "I;16" else 8)


def test_large_animated_gif_says_more_than_one_frame_without_walking_them(tmp_path: Path) -> None:
    data = gif_frames(40, (200, 200), noise=True)
    assert len(data) > probe_pillow.GIF_COUNT_BYTES
    result = probe_bytes(probe_pillow, tmp_path / "x.gif", data)
    assert result is not None and result.header is not None
    assert result.header.n_frames == 2


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_tiff_reports_the_stored_size_and_its_orientation(tmp_path: Path, orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "x.tif"
    Image.new("RGB", (30, 10)).save(path, exif=exif)
    result = probe(probe_pillow, path)
    assert result is not None and result.header is not None
    assert (result.header.size, result.header.orientation) == (Size(30, 10), orientation)


def test_png_orientation_is_read_without_decoding(tmp_path: Path) -> None:
    data = png(50, 40, before=(chunk(b"eXIf", exif_bytes(6)),), idat=b"not zlib")
    result = probe_bytes(probe_pillow, tmp_path / "x.png", data)
    assert result is not None and result.header is not None
    assert (result.header.size, result.header.orientation) == (Size(50, 40), 6)


def _bmp_header(width: int, height: int) -> bytes:
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + 40 + 64, 0, 0, 54) + info + b"\x00" * 64


def _gif_header(width: int, height: int) -> bytes:
    screen = b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
    frame = b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x4c\x01\x00"
    return screen + frame + b";"


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (_bmp_header(100_000, 100_000), Size(100_000, 100_000)),
        (_gif_header(65535, 65535), Size(65535, 65535)),
    ],
    ids=["bmp", "gif"],
)
def test_decompression_bombs_report_their_declared_size(
    tmp_path: Path, data: bytes, size: Size
) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = probe_bytes(probe_pillow, tmp_path / "bomb.img", data)
    assert result is not None and result.header is not None, result
    assert result.header.size == size
    assert limit == Image.MAX_IMAGE_PIXELS
    assert caught == []


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow build has no AVIF support")
def test_avif_is_read_in_process(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    data = saved("RGB", "AVIF", exif=exif.tobytes())
    result = probe_bytes(probe_pillow, tmp_path / "x.avif", data)
    assert result is not None and result.header is not None
    assert (result.format, result.header.size, result.header.orientation) == (
        "AVIF",
        Size(12, 8),
        6,
    )


FAILURES = [
    ("gif-cut", b"GIF89a\x10\x00", ProblemKind.TRUNCATED, "GIF"),
    ("bmp-cut", _bmp_header(4, 4)[:20], ProblemKind.TRUNCATED, "BMP"),
    ("tiff-ifd-past-end", b"II*\x00\xff\xff\x00\x00" + b"\x00" * 16, ProblemKind.CORRUPT, "TIFF"),
    ("psd-bad-version", b"8BPS\x00\x07" + b"\x00" * 30, ProblemKind.CORRUPT, "PSD"),
]


@pytest.mark.parametrize(
    ("data", "kind", "fmt"), [c[1:] for c in FAILURES], ids=[c[0] for c in FAILURES]
)
def test_refused_headers_name_the_format_they_claim(
    tmp_path: Path, data: bytes, kind: ProblemKind, fmt: str
) -> None:
    result = probe_bytes(probe_pillow, tmp_path / "x.img", data)
    assert result is not None and result.problem is not None
    assert (result.format, result.problem.kind) == (fmt, kind), result.problem.message
    assert result.problem.message.startswith(f"{kind.value} {fmt}: ")


@pytest.mark.parametrize(
    "data",
    [
        b"plain text that is not an image\n",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",
        bytes(range(256)),
        b"\x00" * 32,
    ],
    ids=["text", "eps", "binary", "zeros"],
)
def test_content_no_allowed_format_claims_is_left_to_the_core(tmp_path: Path, data: bytes) -> None:
    assert probe_bytes(probe_pillow, tmp_path / "x.png", data) is None


def test_never_hands_pillow_a_format_that_runs_a_program_or_decodes_at_open() -> None:
    """EPS/PDF start Ghostscript, WMF a system renderer; Pillow's ICO decodes inside open."""
    assert not {"EPS", "PDF", "WMF", "EMF", "TGA", "PPM", "ICO"} & set(probe_pillow.ALLOWED)


def test_pillow_log_records_never_reach_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # A TIFF declaring 65,535 samples per pixel makes Pillow log at ERROR level.
    entries = [(256, 3, 1, 4), (257, 3, 1, 4), (258, 3, 1, 8), (277, 3, 1, 65535)]
    ifd = struct.pack("<H", len(entries))
    ifd += b"".join(struct.pack("<HHLHH", t, k, n, v, 0) for t, k, n, v in entries)
    data = b"II*\x00\x08\x00\x00\x00" + ifd + b"\x00\x00\x00\x00"
    logging.getLogger("PIL").handlers.clear()
    result = probe_bytes(probe_pillow, tmp_path / "x.tif", data)
    assert result is not None and result.problem is not None
    assert capfd.readouterr().err == ""
