"""The fast PNG prober against Pillow, on real Pillow-made and hand-built PNGs."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sora_lint_plugins.probes import pillow as probe_pillow
from sora_lint_plugins.probes import png as probe_png

from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.types import ProblemKind, Size
from tests.probe_support import chunk, exif_bytes, host_probe, pillow_view, png, probe, xmp_packet


def _save(path: Path, mode: str, **save: object) -> Path:
    Image.new(mode, (7, 5)).save(path, **save)  # type: ignore[arg-type]
    return path


@pytest.mark.parametrize(
    ("mode", "save", "bits", "alpha"),
    [
        ("1", {}, 1, False),
        ("L", {}, 8, False),
        ("L", {"transparency": 0}, 8, True),
        ("LA", {}, 8, True),
        ("P", {}, 1, False),
        ("P", {"transparency": 0}, 1, True),
        ("RGB", {}, 8, False),
        ("RGB", {"transparency": (0, 0, 0)}, 8, True),
        ("RGBA", {}, 8, True),
        ("I;16", {}, 16, False),
    ],
)
def test_pillow_made_modes_agree_with_pillow(
    tmp_path: Path, mode: str, save: dict[str, object], bits: int, alpha: bool
) -> None:
    path = _save(tmp_path / "x.png", mode, **save)
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    view = pillow_view(path)
    header = result.header
    assert (result.format, header.size, header.mode) == (view["format"], Size(7, 5), view["mode"])
    assert (header.has_alpha, header.bits) == (alpha, bits)
    assert header.has_alpha == view["alpha"]


@pytest.mark.parametrize(
    ("depth", "colour", "mode"),
    [
        (1, 0, "1"), (2, 0, "L"), (4, 0, "L"), (8, 0, "L"), (16, 0, "I;16"),
        (8, 2, "RGB"), (16, 2, "RGB"),
        (1, 3, "P"), (2, 3, "P"), (4, 3, "P"), (8, 3, "P"),
        (8, 4, "LA"), (16, 4, "RGBA"),
        (8, 6, "RGBA"), (16, 6, "RGBA"),
    ],
)  # fmt: skip
def test_every_bit_depth_and_colour_type_is_named_as_pillow_names_it(
    tmp_path: Path, depth: int, colour: int, mode: str
) -> None:
    palette = (chunk(b"PLTE", b"\x00\x00\x00" * 4),) if colour == 3 else ()
    path = tmp_path / "x.png"
    path.write_bytes(png(3, 2, depth, colour, before=palette))
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert result.header.mode == mode == pillow_view(path)["mode"]
    assert result.header.bits == depth
    assert result.header.has_alpha == (colour in (4, 6))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_written_by_pillow(tmp_path: Path, orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = _save(tmp_path / "x.png", "RGB", exif=exif)
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


def test_apng_frames_match_pillow(tmp_path: Path) -> None:
    frames = [Image.new("RGBA", (8, 8), (40 * i, 0, 0, 255)) for i in range(3)]
    path = tmp_path / "a.png"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert result.format == "PNG"
    assert result.header.n_frames == 3 == pillow_view(path)["frames"]


@pytest.mark.parametrize(
    ("before", "frames"),
    [
        ((chunk(b"acTL", struct.pack(">II", 2, 0)),), 3),  # IDAT shown before the animation
        ((chunk(b"acTL", struct.pack(">II", 0, 0)),), 1),  # zero frames: Pillow ignores it
        ((chunk(b"acTL", struct.pack(">II", 2, 0)), chunk(b"acTL", struct.pack(">II", 5, 0))), 1),
    ],
)
def test_apng_declarations_as_pillow_counts_them(
    tmp_path: Path, before: tuple[bytes, ...], frames: int
) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(png(4, 4, before=before))
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert result.header.n_frames == frames == pillow_view(path)["frames"]


def test_huge_declared_size_is_reported_without_decoding(tmp_path: Path) -> None:
    """A 20000x20000 header with bogus IDAT: only a prober that never decodes answers."""
    path = tmp_path / "bomb.png"
    path.write_bytes(png(20000, 20000, idat=b"not zlib at all"))
    for module in (probe_png, probe_pillow):
        result = probe(module, path)
        assert result is not None and result.header is not None, module.__name__
        assert result.header.size == Size(20000, 20000)
    host = PluginHost(build_plugin_manager(autoload=False))
    answer = host_probe(host, path)
    assert answer is not None and answer.header is not None
    assert answer.header.size == Size(20000, 20000)


def _exif_png(tmp_path: Path) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    path = _save(tmp_path / "src.png", "RGB", exif=exif)
    return path.read_bytes()


@pytest.mark.parametrize("cut", [8, 9, 12, 16, 20, 29, 32, 33, 40, 50, 60])
def test_truncated_headers_are_reported_as_truncated(tmp_path: Path, cut: int) -> None:
    data = _exif_png(tmp_path)
    assert cut < data.index(b"IDAT")
    path = tmp_path / "cut.png"
    path.write_bytes(data[:cut])
    result = probe(probe_png, path)
    assert result is not None and result.problem is not None and result.header is None
    assert result.problem.kind is ProblemKind.TRUNCATED, result.problem.message
    assert result.format == "PNG"


def _ihdr(width: int, height: int, depth: int = 8, colour: int = 2, filt: int = 0) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, filt, 0))


def _raw_deflate(data: bytes) -> bytes:
    """Deflate without the zlib wrapper, as Apple's CgBI PNGs store their image data."""
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(data) + packer.flush()


SIG = b"\x89PNG\r\n\x1a\n"
IDAT = chunk(b"IDAT", zlib.compress(b"\x00" * 52)) + chunk(b"IEND", b"")
CORRUPT = [
    ("bad-ihdr-crc", SIG + _ihdr(4, 4)[:-1] + b"\x00" + IDAT, "bad CRC"),
    ("bad-chunk-type", SIG + _ihdr(4, 4) + b"\x00\x00\x00\x00a b!" + IDAT, "invalid chunk type"),
    ("bad-depth", SIG + _ihdr(4, 4, depth=3) + IDAT, "bit depth 3"),
    ("zero-width", SIG + _ihdr(0, 4) + IDAT, "0x4"),
    ("filter-method", SIG + _ihdr(4, 4, filt=1) + IDAT, "filter"),
    ("no-ihdr", SIG + chunk(b"gAMA", b"\x00\x00\xb1\x8f") + IDAT, "no IHDR"),
    ("only-bad-ihdr", SIG + _ihdr(4, 4, depth=3) + _ihdr(4, 4, depth=5) + IDAT, "bit depth 5"),
    ("apple-cgbi", SIG + chunk(b"CgBI", b"\x50\x00\x20\x02") + _ihdr(4, 4)
     + chunk(b"IDAT", _raw_deflate(b"\x00" * 68)) + chunk(b"IEND", b""), "CgBI"),
    ("short-ihdr", SIG + chunk(b"IHDR", b"\x00" * 8) + IDAT, "IHDR"),
    ("short-trns", SIG + _ihdr(4, 4) + chunk(b"tRNS", b"\x00\x00") + IDAT, "tRNS"),
    ("short-chrm", SIG + _ihdr(4, 4) + chunk(b"cHRM", b"\x00" * 8) + IDAT, "cHRM"),
    ("ztxt-bomb", SIG + _ihdr(4, 4)
     + chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a" * 3_000_000)) + IDAT, "1 MiB"),
    ("ztxt-method", SIG + _ihdr(4, 4) + chunk(b"zTXt", b"Comment\x00\x05x") + IDAT, "zTXt"),
    ("iccp-method", SIG + _ihdr(4, 4) + chunk(b"iCCP", b"icc\x00\x05x") + IDAT, "iCCP"),
    ("fdat-first", SIG + _ihdr(4, 4) + chunk(b"fdAT", b"\x00\x00\x00\x01"), "sequence"),
    ("fctl-outside", SIG + _ihdr(4, 4) + chunk(b"acTL", b"\x00\x00\x00\x02\x00\x00\x00\x00")
     + chunk(b"fcTL", struct.pack(">5I", 0, 9, 4, 0, 0) + b"\x00" * 6) + IDAT, "outside"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "words"), [c[1:] for c in CORRUPT], ids=[c[0] for c in CORRUPT])
def test_headers_pillow_refuses_are_corrupt(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "bad.png"
    path.write_bytes(data)
    result = probe(probe_png, path)
    assert result is not None and result.problem is not None
    assert result.problem.kind is ProblemKind.CORRUPT
    assert words in result.problem.message
    with pytest.raises(Exception), Image.open(path) as image:  # noqa: B017 - any refusal
        image.load()


@pytest.mark.parametrize("data", [b"GIF89a", b"\x89PNX\r\n\x1a\n", b"plain text"])
def test_other_content_is_left_to_other_probers(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(data)
    assert probe(probe_png, path) is None


CHUNK_ORDER = [
    ("text-before-ihdr", (chunk(b"tEXt", b"k\x00v"),), (), Size(4, 3)),
    ("many-chunks", (), (chunk(b"teSt", b""),) * 1100, Size(4, 3)),
    ("eleven-ihdr", (_ihdr(0xFFFFFFFF, 32),) * 10, (), Size(4, 3)),
    ("bad-then-good-ihdr", (_ihdr(4, 3, depth=3),), (), Size(4, 3)),
    ("broken-ztxt", (), (chunk(b"zTXt", b"Comment\x00\x00not zlib"),), Size(4, 3)),
    ("idat-before-ihdr", (chunk(b"IDAT", b"x"),), (), Size(4, 3)),
]


@pytest.mark.parametrize(
    ("first", "more", "size"), [c[1:] for c in CHUNK_ORDER], ids=[c[0] for c in CHUNK_ORDER]
)
def test_chunks_are_read_in_the_order_and_number_pillow_reads_them(
    tmp_path: Path, first: tuple[bytes, ...], more: tuple[bytes, ...], size: Size
) -> None:
    """Pillow reads chunks in any order up to the image data: any number of them, IHDR
    anywhere (the last one wins), an IDAT before any IHDR skipped as unknown."""
    good = png(4, 3)
    path = tmp_path / "order.png"
    path.write_bytes(SIG + b"".join(first) + good[8:33] + b"".join(more) + good[33:])
    result = probe(probe_png, path)
    assert result is not None and result.header is not None, result
    assert result.header.size == size == Size(*pillow_view(path)["size"])  # type: ignore[misc]
    with Image.open(path) as image:
        image.load()


def test_a_flood_of_chunks_is_refused_before_it_reaches_pillow(tmp_path: Path) -> None:
    """Pillow would read each of millions of tiny chunks in Python; a real PNG has a dozen."""
    path = tmp_path / "flood.png"
    path.write_bytes(png(4, 4, before=(chunk(b"teSt", b""),) * 70_000))
    host = PluginHost(build_plugin_manager(autoload=False))
    result = host_probe(host, path)
    assert result is not None and result.problem is not None
    assert result.problem.kind is ProblemKind.CORRUPT
    assert "more than 65,536 chunks" in result.problem.message


@pytest.mark.parametrize(
    "signature",
    [
        b"\x89PNG\r\r\x1a\r",  # CR added
        b"\x89PNG\n\n\x1a\n",  # CR turned into LF
        b"\x09PNG\r\n\x1a\n",  # high bit lost in a 7-bit transfer
        b"\x89PNg\r\n\x1a\n",
    ],
)
def test_a_damaged_signature_is_named(tmp_path: Path, signature: bytes) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(signature + png(4, 4)[8:])
    result = probe(probe_png, path)
    assert result is not None and result.problem is not None
    assert (result.format, result.problem.kind) == ("PNG", ProblemKind.CORRUPT)
    assert "damaged signature" in result.problem.message
