"""The answer never depends on how much of the file the core read up front.

The core hands each prober a short head; the probers read on through the ``ProbeReader`` the
hook passes them, whose first 64 KiB are free, and the basic prober sniffs over 64 KiB. So a
prober given 16 bytes, the core's head or 64 KiB answers the same, down to the read budget
and the PNG rule that metadata after the image data counts only in a file of at most 64 KiB.
"""

from __future__ import annotations

import io
import os
import random
import struct
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image
from sora_lint_plugins.probes import basic as probe_basic
from sora_lint_plugins.probes import jpeg as probe_jpeg
from sora_lint_plugins.probes import png as probe_png
from sora_lint_plugins.probes import webp as probe_webp

from sora_lint.hookspecs import hookimpl
from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.probe_reader import ProbeReader
from sora_lint.run.probing import HEAD_BYTES, _read_on, probe_file
from sora_lint.types import ProbeResult
from tests.probe_support import chunk, exif_bytes, png, probe, xmp_packet

LONG_HEAD = 64 * 1024
EXIF = b"Exif\x00\x00" + exif_bytes(6)


def _saved(fmt: str, size: tuple[int, int] = (32, 24), noise: bool = False, **save: Any) -> bytes:
    if noise:
        pixels = random.Random(size[0]).randbytes(size[0] * size[1] * 3)
        image = Image.frombytes("RGB", size, pixels)
    else:
        image = Image.new("RGB", size, (200, 100, 50))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def _jpeg_segments(count: int, size: int) -> bytes:
    data = _saved("JPEG")
    segment = struct.pack(">BBH", 0xFF, 0xFE, size + 2) + b"c" * size
    return data[:2] + segment * count + data[2:]


def _idat(n: int) -> bytes:
    return random.Random(n).randbytes(n)


XMP_AFTER = chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp_packet(6))
TEXT_9K = chunk(b"tEXt", b"k\x00" + b"x" * 9000)


def _case(name: str, module: ModuleType, make: Callable[[], bytes], expected: str | None) -> Any:
    """A file, its prober, and a fragment of the answer a 64 KiB head gets (``None``: none)."""
    return pytest.param(module, make, expected, id=name)


CASES = [
    _case(
        "jpeg-comment-over-the-head",
        probe_jpeg,
        lambda: _saved("JPEG", comment=b"c" * 5000, exif=EXIF),
        "orientation=6",
    ),
    _case(
        "jpeg-icc-past-64k",
        probe_jpeg,
        lambda: _saved("JPEG", icc_profile=b"\x01" * 100_000, exif=EXIF),
        "orientation=6",
    ),
    _case(
        "jpeg-exif-over-the-head",
        probe_jpeg,
        lambda: _saved("JPEG", exif=EXIF + b"\x00" * 20_000),
        "orientation=6",
    ),
    _case("jpeg-many-segments", probe_jpeg, lambda: _jpeg_segments(300, 1000), "width=32"),
    _case("jpeg-past-the-budget", probe_jpeg, lambda: _jpeg_segments(400, 5000), None),
    _case(
        "png-text-over-the-head",
        probe_png,
        lambda: png(8, 8, before=(TEXT_9K, chunk(b"eXIf", exif_bytes(3)))),
        "orientation=3",
    ),
    _case(
        "png-bad-crc-past-the-head",
        probe_png,
        lambda: png(8, 8, before=(TEXT_9K[:-1] + b"\x00",)),
        "bad CRC",
    ),
    _case(
        "png-xmp-after-data-small-file",
        probe_png,
        lambda: png(8, 8, idat=_idat(20_000), after=(XMP_AFTER,)),
        "orientation=6",
    ),
    _case(
        "png-xmp-after-data-large-file",
        probe_png,
        lambda: png(8, 8, idat=_idat(70_000), after=(XMP_AFTER,)),
        "orientation=1",
    ),
    _case(
        "png-exif-in-the-tail",
        probe_png,
        lambda: png(8, 8, idat=_idat(90_000), after=(chunk(b"eXIf", exif_bytes(8)),)),
        "orientation=8",
    ),
    _case(
        "webp-exif-after-bitstream",
        probe_webp,
        lambda: _saved("WEBP", (120, 120), noise=True, exif=EXIF),
        "orientation=6",
    ),
    _case(
        "webp-exif-past-64k",
        probe_webp,
        lambda: _saved("WEBP", (300, 300), noise=True, quality=100, exif=EXIF),
        "orientation=6",
    ),
    _case(
        "pnm-long-comment",
        probe_basic,
        lambda: b"P6\n# " + b"x" * 9000 + b"\n3 2\n255\n" + bytes(18),
        "PPM",
    ),
    _case(
        "mvg-long-whitespace",
        probe_basic,
        lambda: b" " * 9000 + b"push graphic-context\n",
        "MVG",
    ),
]


def _answer(module: ModuleType, path: Path, head_bytes: int) -> ProbeResult | None:
    return probe(module, path, head_bytes)


@pytest.mark.parametrize(("module", "make", "expected"), CASES)
@pytest.mark.parametrize("head_bytes", [16, 1000, HEAD_BYTES, 20_000])
def test_a_short_head_gives_the_answer_of_a_long_one(
    tmp_path: Path,
    module: ModuleType,
    make: Callable[[], bytes],
    expected: str | None,
    head_bytes: int,
) -> None:
    path = tmp_path / "x.img"
    path.write_bytes(make())
    reference = _answer(module, path, LONG_HEAD)
    if expected is None:
        assert reference is None
    else:
        assert expected in repr(reference)
    assert _answer(module, path, head_bytes) == reference


def test_the_core_head_holds_every_signature_the_sniffs_need() -> None:
    """The SVG sniff and the ISO-BMFF brand list read 4 KiB; the core must hand over as much."""
    assert HEAD_BYTES >= probe_basic.SVG_SNIFF_BYTES


def test_probers_read_past_the_head_through_the_reader_they_are_given(tmp_path: Path) -> None:
    """The hook hands every prober one reader over the core's descriptor: the first prober
    removes the file, and every later one (the bundled Pillow fallback too) still reads it,
    so none opens it again by name. A plugin may take only some of the arguments."""
    seen: list[object] = []
    data = bytes(range(256)) * 64
    path = tmp_path / "x.bin"
    path.write_bytes(data)

    class First:
        @staticmethod
        @hookimpl(tryfirst=True)
        def sora_lint_probe(path: Path, reader: ProbeReader) -> ProbeResult | None:
            path.unlink()
            seen.append(reader)
            return None

    class Late:
        @staticmethod
        @hookimpl
        def sora_lint_probe(reader: ProbeReader) -> ProbeResult | None:
            seen.extend([reader, reader.read(HEAD_BYTES, 10), reader.tail(3)])
            with reader.stream() as stream:
                stream.seek(-2, os.SEEK_END)
                seen.append(stream.read())
            return None

    host = PluginHost(build_plugin_manager(plugins=[First, Late], autoload=False))
    asset = probe_file(path, "x.bin", host, [tmp_path])
    assert not path.exists()
    assert asset.problem is not None
    assert asset.problem.message == "not an image: the content matches no known image format"
    assert seen[0] is seen[1]
    assert seen[2:] == [data[HEAD_BYTES : HEAD_BYTES + 10], data[-3:], data[-2:]]


def test_a_short_read_is_read_on_to_the_end(tmp_path: Path) -> None:
    """A network file system may return less than asked; the core reads on (a pipe does too)."""
    read, write = os.pipe()
    try:
        os.write(write, b"defgh")
        os.close(write)
        assert _read_on(read, b"abc", 6) == b"abcdef"
        assert _read_on(read, b"abc", 10) == b"abcgh"
    finally:
        os.close(read)
