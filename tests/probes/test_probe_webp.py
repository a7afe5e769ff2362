"""The fast WebP prober against Pillow (libwebp), on real Pillow-made WebPs and edited copies."""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sora_lint_plugins.probes import webp as probe_webp

from sora_lint.types import ProblemKind, Size
from tests.probe_support import exif_bytes, pillow_view, probe


def webp(mode: str = "RGB", size: tuple[int, int] = (30, 20), **save: Any) -> bytes:
    colour = {"RGBA": (10, 20, 30, 128), "LA": (10, 128)}.get(mode, 0)
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "WEBP", **save)
    return out.getvalue()


def animated(mode: str = "RGBA", frames: int = 3, **save: Any) -> bytes:
    alpha = 128 if mode == "RGBA" else 255
    images = [
        Image.new("RGBA", (16, 12), (50 * i, 0, 0, alpha)).convert(mode) for i in range(frames)
    ]
    out = io.BytesIO()
    images[0].save(out, "WEBP", save_all=True, append_images=images[1:], **save)
    return out.getvalue()


def riff(*chunks: bytes) -> bytes:
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")


def chunks_of(data: bytes) -> dict[bytes, bytes]:
    found: dict[bytes, bytes] = {}
    pos = 12
    while pos + 8 <= len(data):
        fourcc, length = struct.unpack_from("<4sI", data, pos)
        found.setdefault(fourcc, data[pos + 8 : pos + 8 + length])
        pos += 8 + length + (length & 1)
    return found


def vp8x(flags: int, width: int, height: int) -> bytes:
    dims = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return chunk(b"VP8X", bytes([flags, 0, 0, 0]) + dims)


def write(tmp_path: Path, data: bytes, name: str = "x.webp") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


SIMPLE = [
    ("lossy-rgb", lambda: webp("RGB"), "RGB"),
    ("lossy-gray", lambda: webp("L"), "RGB"),
    ("lossy-alpha", lambda: webp("RGBA"), "RGBA"),
    ("lossless-rgb", lambda: webp("RGB", lossless=True), "RGB"),
    ("lossless-alpha", lambda: webp("RGBA", lossless=True), "RGBA"),
    ("lossless-opaque-rgba", lambda: _opaque_rgba_lossless(), "RGB"),
    ("lossy-exif", lambda: webp("RGB", exif=b"Exif\x00\x00" + exif_bytes(6)), "RGB"),
    ("animated-alpha", lambda: animated("RGBA"), "RGBA"),
    ("animated-opaque", lambda: animated("RGB"), "RGB"),
    ("animated-lossless", lambda: animated("RGB", lossless=True), "RGB"),
]  # fmt: skip


def _opaque_rgba_lossless() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (1, 2, 3, 255)).save(out, "WEBP", lossless=True)
    return out.getvalue()


@pytest.mark.parametrize(("make", "mode"), [c[1:] for c in SIMPLE], ids=[c[0] for c in SIMPLE])
def test_pillow_made_webps_agree_with_pillow(
    tmp_path: Path, make: Callable[[], bytes], mode: str
) -> None:
    path = write(tmp_path, make())
    result = probe(probe_webp, path)
    assert result is not None and result.header is not None
    view = pillow_view(path)
    h = result.header
    assert (result.format, h.size, h.mode) == (view["format"], Size(*view["size"]), view["mode"])  # type: ignore[misc]
    assert h.mode == mode
    assert (h.n_frames, h.orientation, h.has_alpha) == (
        view["frames"],
        view["orientation"],
        view["alpha"],
    )


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation(tmp_path: Path, orientation: int) -> None:
    path = write(tmp_path, webp(exif=b"Exif\x00\x00" + exif_bytes(orientation, big_endian=True)))
    result = probe(probe_webp, path)
    assert result is not None and result.header is not None
    assert result.header.orientation == orientation == pillow_view(path)["orientation"]


def test_exif_chunk_past_the_head(tmp_path: Path) -> None:
    noise = Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3))
    out = io.BytesIO()
    noise.save(out, "WEBP", quality=100, exif=b"Exif\x00\x00" + exif_bytes(8))
    data = out.getvalue()
    assert data.index(b"EXIF") > 64 * 1024
    result = probe(probe_webp, write(tmp_path, data))
    assert result is not None and result.header is not None
    assert (result.header.size, result.header.orientation) == (Size(400, 400), 8)


def test_animation_frame_count(tmp_path: Path) -> None:
    path = write(tmp_path, animated(frames=5))
    result = probe(probe_webp, path)
    assert result is not None and result.header is not None
    assert result.header.n_frames == 5 == pillow_view(path)["frames"]


def _lossless_payload(alpha: bool) -> bytes:
    return chunks_of(webp("RGBA" if alpha else "RGB", lossless=True))[b"VP8L"]


def _lossy_payload() -> bytes:
    return chunks_of(webp("RGB"))[b"VP8 "]


ALPHA_RULES = [
    # libwebp's WebPGetFeatures: the VP8L alpha bit replaces the VP8X flag ...
    ("flag-on-vp8l-opaque",
     riff(vp8x(0x10, 30, 20), chunk(b"VP8L", _lossless_payload(False))), "RGB"),
    ("flag-off-vp8l-alpha",
     riff(vp8x(0x00, 30, 20), chunk(b"VP8L", _lossless_payload(True))), "RGBA"),
    # ... while for lossy data the flag counts, and so does an ALPH chunk.
    ("flag-on-vp8", riff(vp8x(0x10, 30, 20), chunk(b"VP8 ", _lossy_payload())), "RGBA"),
    ("alph-no-flag", riff(vp8x(0x00, 30, 20), chunk(b"ALPH", b"\x00" + b"\xff" * 600),
                          chunk(b"VP8 ", _lossy_payload())), "RGBA"),
    ("plain-vp8x", riff(vp8x(0x00, 30, 20), chunk(b"VP8 ", _lossy_payload())), "RGB"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "mode"), [c[1:] for c in ALPHA_RULES], ids=[c[0] for c in ALPHA_RULES]
)
def test_alpha_follows_libwebp(tmp_path: Path, data: bytes, mode: str) -> None:
    path = write(tmp_path, data)
    result = probe(probe_webp, path)
    assert result is not None and result.header is not None
    assert result.header.mode == mode == pillow_view(path)["mode"]


def test_truncated_at_every_early_offset(tmp_path: Path) -> None:
    data = webp("RGBA", exif=b"Exif\x00\x00" + exif_bytes(3))
    for cut in [12, 13, 16, 20, 21, 30, 40, len(data) // 2, len(data) - 1]:
        result = probe(probe_webp, write(tmp_path, data[:cut], f"cut{cut}.webp"))
        assert result is not None and result.problem is not None, cut
        assert result.problem.kind is ProblemKind.TRUNCATED, (cut, result.problem.message)


def webp_riffed(body: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def _anmf() -> bytes:
    """An animation frame of a 16x12 animation, taken from one Pillow wrote."""
    whole = animated("RGB")
    at = whole.index(b"ANMF")
    (length,) = struct.unpack_from("<I", whole, at + 4)
    return whole[at : at + 8 + length + (length & 1)]


CORRUPT = [
    ("unknown-first-chunk", riff(chunk(b"ABCD", b"\x00" * 10)), "first chunk"),
    ("bad-start-code", riff(chunk(b"VP8 ", b"\x10\x02\x00" + b"\x00" * 7)), "start code"),
    ("bad-vp8l-signature", riff(chunk(b"VP8L", b"\x00" * 5)), "signature"),
    ("canvas-mismatch", riff(vp8x(0, 31, 20), chunk(b"VP8 ", _lossy_payload())), "differs"),
    ("animation-without-frames", riff(vp8x(0x02, 8, 8), chunk(b"ANIM", b"\x00" * 6)), "frames"),
    ("no-image", riff(vp8x(0, 8, 8), chunk(b"ICCP", b"\x00" * 4)), "no image data"),
    # What libwebp's demuxer refuses, and Pillow with it:
    ("trailing-chunk-0xffffff00", webp_riffed(chunk(b"VP8 ", _lossy_payload())
     + b"ZZZZ" + struct.pack("<I", 0xFFFFFF00)), "needs 4,294,967,040 bytes"),
    ("second-vp8x", riff(vp8x(0, 30, 20), vp8x(0, 30, 20), chunk(b"VP8 ", _lossy_payload())),
     "second VP8X"),
    ("frame-before-anim", riff(vp8x(0x02, 16, 12), _anmf(), chunk(b"ANIM", b"\x00" * 6)),
     "before the ANIM"),
    ("image-in-animation", riff(vp8x(0x02, 30, 20), chunk(b"ANIM", b"\x00" * 6),
                                chunk(b"VP8 ", _lossy_payload())), "outside any frame"),
    ("second-image", riff(vp8x(0, 30, 20), chunk(b"VP8 ", _lossy_payload()),
                          chunk(b"VP8 ", _lossy_payload())), "second image"),
    ("unknown-flag", riff(vp8x(0x01, 30, 20), chunk(b"VP8 ", _lossy_payload())), "flags"),
    ("stray-bytes", webp_riffed(chunk(b"VP8 ", _lossy_payload()) + b"abc"), "stray bytes"),
    ("alph-before-vp8l", riff(vp8x(0x10, 30, 20), chunk(b"ALPH", b"\x00" * 10),
                              chunk(b"VP8L", _lossless_payload(True))), "ALPH chunk before"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "words"), [c[1:] for c in CORRUPT], ids=[c[0] for c in CORRUPT])
def test_headers_libwebp_refuses_are_corrupt(tmp_path: Path, data: bytes, words: str) -> None:
    path = write(tmp_path, data)
    result = probe(probe_webp, path)
    assert result is not None and result.problem is not None
    assert result.problem.kind is ProblemKind.CORRUPT
    assert words in result.problem.message
    with pytest.raises(Exception):  # noqa: B017 - Pillow refuses with several kinds
        Image.open(path).load()


@pytest.mark.parametrize("data", [b"RIFF\x00\x00\x00\x00WAVEfmt ", b"GIF89a", b""])
def test_other_content_is_left_to_other_probers(tmp_path: Path, data: bytes) -> None:
    assert probe(probe_webp, write(tmp_path, data)) is None
