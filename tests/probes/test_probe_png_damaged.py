"""The fast PNG prober against Pillow on damaged and odd PNGs: truncated or corrupt headers,
damaged signatures, floods of chunks, chunks in the order and number Pillow reads them, and
content that is not a PNG left to other probers."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sora_lint_plugins.probes import png as probe_png

from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.types import ProblemKind, Size
from tests.probe_support import chunk, host_probe, pillow_view, png, probe
from tests.probes.png_support import save_blank


def _exif_png(tmp_path: Path) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    path = save_blank(tmp_path / "src.png", "RGB", exif=exif)
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
