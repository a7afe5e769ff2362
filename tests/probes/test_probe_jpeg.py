"""The fast JPEG/MPO prober against Pillow, on real Pillow-made JPEGs and edited copies."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sora_lint_plugins.probes import jpeg as probe_jpeg

from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.types import ProblemKind, Size
from tests.probe_support import exif_bytes, host_probe, pillow_view, probe, xmp_packet


def jpeg(mode: str = "RGB", size: tuple[int, int] = (40, 24), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode != "CMYK" else (0, 0, 0, 0)).save(
        out,
        "JPEG",
        **save,
    )
    return out.getvalue()


def segment(marker: int, data: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data


def after_soi(data: bytes, *inserted: bytes) -> bytes:
    return data[:2] + b"".join(inserted) + data[2:]


def write(tmp_path: Path, data: bytes, name: str = "x.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def header_of(path: Path) -> tuple[str | None, Size, str, int, int, int]:
    result = probe(probe_jpeg, path)
    assert result is not None and result.header is not None, result
    h = result.header
    return result.format, h.size, h.mode, h.orientation, h.n_frames, h.bits


@pytest.mark.parametrize(
    ("mode", "save"),
    [
        ("L", {}),
        ("RGB", {}),
        ("RGB", {"progressive": True}),
        ("RGB", {"subsampling": 0, "quality": 95}),
        ("RGB", {"optimize": True, "comment": b"made by a test"}),
        ("CMYK", {}),
        ("RGB", {"icc_profile": b"\x00" * 3000}),
    ],
)
def test_pillow_made_jpegs_agree_with_pillow(
    tmp_path: Path, mode: str, save: dict[str, Any]
) -> None:
    path = write(tmp_path, jpeg(mode, **save))
    fmt, size, got_mode, orientation, frames, bits = header_of(path)
    view = pillow_view(path)
    assert (fmt, size, got_mode) == (view["format"], Size(40, 24), view["mode"])
    assert (orientation, frames, bits) == (1, 1, 8)


@pytest.mark.parametrize("big_endian", [False, True])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_in_both_byte_orders(
    tmp_path: Path, orientation: int, big_endian: bool
) -> None:
    exif = b"Exif\x00\x00" + exif_bytes(orientation, big_endian, other_tags=5)
    path = write(tmp_path, jpeg(exif=exif))
    assert header_of(path)[3] == orientation == pillow_view(path)["orientation"]


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_xmp_orientation_when_exif_has_none(tmp_path: Path, orientation: int) -> None:
    path = write(tmp_path, jpeg(xmp=xmp_packet(orientation)))
    assert header_of(path)[3] == orientation == pillow_view(path)["orientation"]


def test_exif_orientation_wins_over_xmp(tmp_path: Path) -> None:
    exif = b"Exif\x00\x00" + exif_bytes(6)
    path = write(tmp_path, jpeg(exif=exif, xmp=xmp_packet(3)))
    assert header_of(path)[3] == 6 == pillow_view(path)["orientation"]


def test_frame_header_past_the_head_is_reached_by_seeking(tmp_path: Path) -> None:
    """A 300 KB ICC profile and a big comment push SOF far past the first 64 KiB."""
    data = jpeg(
        icc_profile=b"\x01" * 300_000, comment=b"c" * 60_000, exif=b"Exif\x00\x00" + exif_bytes(5)
    )
    assert data.index(b"\xff\xc0") > 64 * 1024
    path = write(tmp_path, data)
    assert header_of(path) == ("JPEG", Size(40, 24), "RGB", 5, 1, 8)
    assert pillow_view(path)["size"] == (40, 24)


def test_a_header_longer_than_the_read_budget_is_left_to_the_fallback(tmp_path: Path) -> None:
    comments = [segment(0xFE, b"x" * 5000) for _ in range(400)]
    path = write(tmp_path, after_soi(jpeg(), *comments))
    assert probe(probe_jpeg, path) is None
    assert pillow_view(path)["size"] == (40, 24)


def test_mpo_counts_its_pictures(tmp_path: Path) -> None:
    path = tmp_path / "x.mpo"
    first = Image.new("RGB", (32, 16), "red")
    first.save(path, "MPO", save_all=True, append_images=[first, first])
    assert header_of(path)[:2] == ("MPO", Size(32, 16))
    assert header_of(path)[4] == 3 == pillow_view(path)["frames"]
    assert pillow_view(path)["format"] == "MPO"


@pytest.mark.parametrize(("bits", "words"), [(12, "12-bit samples"), (133, "precision of 133")])
def test_a_sample_precision_pillow_refuses_is_refused(
    tmp_path: Path, bits: int, words: str
) -> None:
    """Pillow (so ``--fix``) reads 8-bit JPEGs only: a 12-bit one, or a header claiming 133
    bits, is SL004, not a size and an SL008 warning with a fix that would fail."""
    data = bytearray(jpeg())
    data[data.index(b"\xff\xc0") + 4] = bits
    path = write(tmp_path, bytes(data))
    result = probe(probe_jpeg, path)
    assert result is not None and result.problem is not None, result
    assert (result.problem.kind, result.format) == (ProblemKind.CORRUPT, "JPEG")
    assert words in result.problem.message
    with pytest.raises(Exception), Image.open(path):  # noqa: B017 - any refusal
        pass


def test_padding_and_junk_between_markers_are_skipped_like_pillow(tmp_path: Path) -> None:
    data = jpeg()
    padded = data[:2] + b"\xff\xff\xff" + data[2:]
    path = write(tmp_path, padded)
    assert header_of(path)[1] == Size(40, 24) == Size(*pillow_view(path)["size"])  # type: ignore[misc]
    app0_end = 4 + struct.unpack(">H", data[4:6])[0]
    junk = data[:app0_end] + b"junk\x00" + data[app0_end:]
    path = write(tmp_path, junk, "junk.jpg")
    assert header_of(path)[1] == Size(40, 24) == Size(*pillow_view(path)["size"])  # type: ignore[misc]


def test_truncated_before_the_frame_header(tmp_path: Path) -> None:
    data = jpeg(exif=b"Exif\x00\x00" + exif_bytes(6))
    sof = data.index(b"\xff\xc0")
    for cut in sorted({3, 4, 5, 6, 10, 20, 21, 30, sof // 2, sof, sof + 3, sof + 8}):
        path = write(tmp_path, data[:cut], f"cut{cut}.jpg")
        result = probe(probe_jpeg, path)
        assert result is not None and result.problem is not None, cut
        assert result.problem.kind is ProblemKind.TRUNCATED, (cut, result.problem.message)
        assert "truncated JPEG" in result.problem.message


def _edit_sof(data: bytes, offset: int, value: bytes) -> bytes:
    at = data.index(b"\xff\xc0") + 4 + offset
    return data[:at] + value + data[at + len(value) :]


CORRUPT = [
    ("two-components", lambda d: _edit_sof(d, 5, b"\x02"), "2 colour components"),
    ("zero-width", lambda d: _edit_sof(d, 3, b"\x00\x00"), "0x24"),
    ("unknown-marker", lambda d: d[:2] + b"\xff\x01" + d[2:], "no marker"),
    ("bad-dqt", lambda d: after_soi(d, segment(0xDB, b"\x00" + b"\x01" * 10)), "quantization"),
    ("short-icc", lambda d: after_soi(d, segment(0xE2, b"ICC_PROFILE\x00\x01")), "ICC"),
    ("scan-before-frame", lambda d: after_soi(d, segment(0xDA, b"\x00" * 4)), "before any frame"),
    (
        "photoshop-cut",
        lambda d: after_soi(d, segment(0xED, b"Photoshop 3.0\x00" + b"8BIM\x04\x04")),
        "Photoshop",
    ),
]


@pytest.mark.parametrize(("edit", "words"), [c[1:] for c in CORRUPT], ids=[c[0] for c in CORRUPT])
def test_headers_pillow_refuses_are_corrupt(tmp_path: Path, edit: object, words: str) -> None:
    path = write(tmp_path, edit(jpeg()))  # type: ignore[operator]
    result = probe(probe_jpeg, path)
    assert result is not None and result.problem is not None
    assert result.problem.kind is ProblemKind.CORRUPT
    assert words in result.problem.message
    with pytest.raises(Exception):  # noqa: B017 - Pillow refuses with several kinds
        Image.open(path).load()


@pytest.mark.parametrize("data", [b"\xff\xd8", b"\x89PNG\r\n\x1a\n", b"hello"])
def test_other_content_is_left_to_other_probers(tmp_path: Path, data: bytes) -> None:
    assert probe(probe_jpeg, write(tmp_path, data)) is None


@pytest.mark.parametrize(
    "filler",
    [b"\xff" * 5000, b"\xff\xfe\x00\x02" + b"\x00" * 100_000, b"\xff\xfe\x00\x02" * 5000],
    ids=["padding", "junk", "markers"],
)
def test_padding_junk_and_many_markers_are_read_like_pillow(tmp_path: Path, filler: bytes) -> None:
    """Pillow opens these; so does the prober, skipping runs of padding and junk in bulk."""
    data = jpeg()
    path = write(tmp_path, data[:2] + filler + data[2:])
    assert header_of(path)[1] == Size(40, 24) == Size(*pillow_view(path)["size"])  # type: ignore[misc]


@pytest.mark.parametrize(
    ("filler", "words"),
    [
        (b"\xff" * 1_200_000, "padding"),
        (b"\xff\xfe\x00\x02" + b"\x00" * 1_200_000, "junk"),
        (b"\xff\xfe\x00\x02" * 70_000, "65,536 markers"),
    ],
    ids=["padding", "junk", "markers"],
)
def test_floods_past_the_read_budget_are_refused_before_they_reach_pillow(
    tmp_path: Path, filler: bytes, words: str
) -> None:
    """Pillow reads padding and junk one byte at a time in Python: a run past what the prober
    may read would stall it, so the file is refused (a deliberate difference: see the
    agreement test)."""
    data = jpeg()
    path = write(tmp_path, data[:2] + filler + data[2:])
    host = PluginHost(build_plugin_manager(autoload=False))
    result = host_probe(host, path)
    assert result is not None and result.problem is not None
    assert (result.format, result.problem.kind) == ("JPEG", ProblemKind.CORRUPT)
    assert words in result.problem.message


@pytest.mark.parametrize("where", ["xmp", "exif"])
def test_an_ultra_hdr_mark_in_any_app1_makes_an_mpo_a_plain_jpeg(
    tmp_path: Path, where: str
) -> None:
    """Pillow's jpeg_factory reads an MPF file with an Ultra HDR mark as one JPEG picture."""
    mark = b' hdrgm:Version="1.0"'
    first = Image.new("RGB", (32, 16), "red")
    save: dict[str, Any] = {"save_all": True, "append_images": [first]}
    if where == "xmp":
        save["xmp"] = xmp_packet(1) + mark
    else:
        save["exif"] = b"Exif\x00\x00" + exif_bytes(1) + mark
    path = tmp_path / "x.jpg"
    first.save(path, "MPO", **save)
    assert pillow_view(path)["format"] == "JPEG"
    assert header_of(path)[0] == "JPEG" and header_of(path)[4] == 1
    plain = tmp_path / "plain.jpg"
    first.save(plain, "MPO", save_all=True, append_images=[first])
    assert header_of(plain)[0] == "MPO" == pillow_view(plain)["format"]
