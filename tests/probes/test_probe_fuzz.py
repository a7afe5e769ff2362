"""Hostile bytes: mutated and truncated real headers never make a prober raise.

Hypothesis cuts, flips, inserts and overwrites length fields in real Pillow-made headers and
hands the result to the basic prober and each fast prober. Every answer must be a value:
``None``, or a ``ProbeResult`` with a header or a problem. Bounded work is checked without
timing: the read budget raises inside the prober, which must turn it into ``None``.
"""

from __future__ import annotations

import io
import struct
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from sora_lint_plugins.probes import basic as probe_basic
from sora_lint_plugins.probes import jpeg as probe_jpeg
from sora_lint_plugins.probes import png as probe_png
from sora_lint_plugins.probes import webp as probe_webp

from sora_lint.types import ProbeResult
from tests.probe_support import chunk, exif_bytes, png, probe, xmp_packet

PROBERS = (probe_basic, probe_jpeg, probe_png, probe_webp)


def _saved(image: Image.Image, fmt: str, **save: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def _seeds() -> list[bytes]:
    rgb = Image.linear_gradient("L").resize((24, 16)).convert("RGB")
    exif = b"Exif\x00\x00" + exif_bytes(6, big_endian=True, other_tags=3)
    frames = [rgb, rgb.rotate(180)]
    return [
        _saved(rgb, "JPEG", exif=exif, icc_profile=b"\x01" * 700, progressive=True),
        _saved(rgb.convert("CMYK"), "JPEG", xmp=xmp_packet(3)),
        _saved(rgb, "MPO", save_all=True, append_images=[rgb]),
        _saved(rgb.convert("RGBA"), "PNG", exif=exif),
        _saved(rgb.convert("P"), "PNG", transparency=0),
        _saved(rgb, "PNG", save_all=True, append_images=frames),
        png(5, 4, before=(chunk(b"zTXt", b"Raw profile type exif\x00\x00" + b"x\x9c\x03\x00"),)),
        _saved(rgb, "WEBP", exif=exif),
        _saved(rgb.convert("RGBA"), "WEBP", lossless=True),
        _saved(rgb.convert("RGBA"), "WEBP", save_all=True, append_images=frames),
        b"%!PS-Adobe-3.0 EPSF-3.0\n",
        b'<?xml version="1.0"?><svg width="1"/>',
        b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 9\n",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
    ]


SEEDS = _seeds()
EXTREMES = [0, 1, 2, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF]


@st.composite
def hostile(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "length", "cut"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "length" and at + 4 <= len(data):
            value = draw(st.sampled_from(EXTREMES))
            data[at : at + 4] = struct.pack(draw(st.sampled_from([">I", "<I"])), value)
        elif kind == "cut":
            del data[at:]
    return bytes(data)


def _check(result: ProbeResult | None) -> None:
    if result is None:
        return
    assert isinstance(result, ProbeResult)
    assert (result.header is None) != (result.problem is None)
    if result.header is not None:
        assert result.header.size.width > 0 and result.header.size.height > 0
        assert 1 <= result.header.orientation <= 8
        assert result.header.n_frames >= 1


@settings(max_examples=200, deadline=None)
@given(data=hostile())
def test_mutated_headers_never_raise(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.img"
        path.write_bytes(data)
        for module in PROBERS:
            _check(probe(module, path))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=512), prefix=st.sampled_from([b"", *(s[:16] for s in SEEDS)]))
def test_random_bytes_behind_a_real_signature_never_raise(data: bytes, prefix: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.img"
        path.write_bytes(prefix + data)
        for module in PROBERS:
            _check(probe(module, path))
