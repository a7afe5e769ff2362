"""End-of-file integrity: a cut JPEG, PNG, GIF or WebP is SL004 "truncated" in check mode.

Each file here has an intact header, so Pillow opens it; its decode (what ``--fix`` does)
fails. A whole file with data appended after its end marker is not a cut. The check costs at
most one read past the head.
"""

from __future__ import annotations

import io
import os
import random
import struct
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image
from sora_lint_plugins.probes import jpeg as probe_jpeg
from sora_lint_plugins.probes import pillow as probe_pillow
from sora_lint_plugins.probes import png as probe_png
from sora_lint_plugins.probes import webp as probe_webp

from sora_lint.run.probe_reader import ZONE, open_reader
from sora_lint.types import ProbeResult, ProblemKind
from tests.probe_support import chunk, exif_bytes, probe


def _noise(size: tuple[int, int] = (160, 120)) -> Image.Image:
    return Image.effect_noise(size, 60).convert("RGB")


def _saved(image: Image.Image, fmt: str, **save: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **save)  # type: ignore[arg-type]
    return out.getvalue()


def _jpeg() -> bytes:
    """A JPEG whose scan data is most of the file, as in a photo."""
    return _saved(_noise(), "JPEG", quality=90, exif=b"Exif\x00\x00" + exif_bytes(6))


def _rechunked(data: bytes, chunk_size: int) -> bytes:
    """``data`` (a PNG) with its image data in chunks of ``chunk_size`` bytes, as encoders
    other than Pillow write it."""
    pos, head, stream = 8, b"", b""
    while pos < len(data):
        length, cid = struct.unpack_from(">I4s", data, pos)
        if cid == b"IDAT":
            stream += data[pos + 8 : pos + 8 + length]
        elif cid != b"IEND":
            head += data[pos : pos + 12 + length]
        pos += 12 + length
    parts = [stream[i : i + chunk_size] for i in range(0, len(stream), chunk_size)]
    idats = b"".join(chunk(b"IDAT", part) for part in parts)
    return data[:8] + head + idats + chunk(b"IEND", b"")


def _png() -> bytes:
    """A PNG whose image data is most of the file, in several IDAT chunks."""
    return _rechunked(_saved(_noise(), "PNG"), 4096)


def _gif() -> bytes:
    frames = [_noise((60, 40)).convert("P") for _ in range(3)]
    return _saved(frames[0], "GIF", save_all=True, append_images=frames[1:])


def _answer(module: ModuleType, tmp_path: Path, data: bytes, name: str = "x.img") -> ProbeResult:
    path = tmp_path / name
    path.write_bytes(data)
    result = probe(module, path)
    assert result is not None
    return result


def _pillow_decodes(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except OSError:
        return False
    return True


CUTS = [
    ("jpeg-99", probe_jpeg, _jpeg, 0.99, "no end-of-image marker"),
    ("jpeg-60", probe_jpeg, _jpeg, 0.6, "no end-of-image marker"),
    ("jpeg-40", probe_jpeg, _jpeg, 0.4, "no end-of-image marker"),
    ("progressive-jpeg", probe_jpeg, lambda: _saved(_noise(), "JPEG", progressive=True), 0.5,
     "no end-of-image marker"),
    ("png-99", probe_png, _png, 0.99, "truncated PNG"),
    ("png-60", probe_png, _png, 0.6, "truncated PNG"),
    ("png-40", probe_png, _png, 0.4, "truncated PNG"),
    ("gif-first-frame", probe_pillow, _gif, 0.2, "truncated GIF"),
    ("webp", probe_webp, lambda: _saved(_noise(), "WEBP"), 0.7, "RIFF header declares"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("module", "make", "keep", "words"), [c[1:] for c in CUTS], ids=[c[0] for c in CUTS]
)
def test_a_file_cut_inside_its_image_data_is_truncated(
    tmp_path: Path, module: ModuleType, make: object, keep: float, words: str
) -> None:
    data = make()  # type: ignore[operator]
    cut = data[: int(len(data) * keep)]
    result = _answer(module, tmp_path, cut)
    assert result.problem is not None, result
    assert result.problem.kind is ProblemKind.TRUNCATED
    assert words in result.problem.message
    assert not _pillow_decodes(cut)


APPENDED = [
    ("jpeg-video", probe_jpeg, _jpeg,
     b"\x00\x00\x00\x18ftypmp42" + random.Random(1).randbytes(300_000)),
    ("jpeg-zero-padding", probe_jpeg, _jpeg, b"\x00" * 9000),
    ("jpeg-text", probe_jpeg, _jpeg, b"metadata written after the image by some tool\n" * 200),
    ("jpeg-vendor-trailer", probe_jpeg, _jpeg, b"SEFH" + random.Random(2).randbytes(9000)
     + b"SEFT"),
    ("png-data", probe_png, _png, os.urandom(20_000)),
    ("png-zero-padding", probe_png, _png, b"\x00" * 3_000_000),
    ("gif-junk", probe_pillow, _gif, b"\x00" * 100),
    ("webp-after-riff", probe_webp, lambda: _saved(_noise(), "WEBP"), b"junk" * 100),
]  # fmt: skip


@pytest.mark.parametrize(
    ("module", "make", "trailer"), [c[1:] for c in APPENDED], ids=[c[0] for c in APPENDED]
)
def test_data_appended_after_the_end_is_not_a_cut(
    tmp_path: Path, module: ModuleType, make: object, trailer: bytes
) -> None:
    """A motion photo's video, padding or a vendor trailer after a whole image."""
    data = make() + trailer  # type: ignore[operator]
    result = _answer(module, tmp_path, data)
    assert result.header is not None, result
    assert _pillow_decodes(data)


def test_a_cut_after_the_first_gif_frame_is_truncated_though_pillow_decodes_it(
    tmp_path: Path,
) -> None:
    """The later frames are lost; Pillow's decode of the first frame never reads on (a
    difference the agreement test lists)."""
    data = _gif()
    second = data.index(b"\x21\xf9\x04", data.index(b"\x2c") + 1)
    result = _answer(probe_pillow, tmp_path, data[: second + 20])
    assert result.problem is not None and result.problem.kind is ProblemKind.TRUNCATED
    assert _pillow_decodes(data[: second + 20])


@pytest.mark.parametrize("chunk_size", [8192, 65536, 10_000_000])
def test_a_large_png_cut_inside_its_image_data_is_truncated(
    tmp_path: Path, chunk_size: int
) -> None:
    """Past the read budget too: libpng writes 8 KiB image data chunks, Pillow 64 KiB, some
    tools a single one; the cut one is found at the end of the file."""
    data = _rechunked(_saved(_noise((1400, 1000)), "PNG"), chunk_size)
    assert len(data) > 3_000_000
    result = _answer(probe_png, tmp_path, data[: len(data) // 2])
    assert result.problem is not None and result.problem.kind is ProblemKind.TRUNCATED, result


def test_a_png_without_iend_is_truncated(tmp_path: Path) -> None:
    result = _answer(probe_png, tmp_path, _png()[:-12])
    assert result.problem is not None and result.problem.kind is ProblemKind.TRUNCATED
    assert "no IEND chunk" in result.problem.message


def test_an_mpo_whose_second_picture_is_cut_keeps_its_first(tmp_path: Path) -> None:
    """Decoders (and ``--fix``) read the first picture, which ends before the cut."""
    photo = _noise()
    data = _saved(photo, "MPO", save_all=True, append_images=[photo.rotate(90)])
    cut = data[: len(data) - 3000]
    result = _answer(probe_jpeg, tmp_path, cut)
    assert result.header is not None, result
    assert _pillow_decodes(cut)
    first_cut = data[: len(data) // 4]
    result = _answer(probe_jpeg, tmp_path, first_cut)
    assert result.problem is not None and result.problem.kind is ProblemKind.TRUNCATED


@pytest.mark.parametrize(("module", "fmt"), [(probe_jpeg, "JPEG"), (probe_png, "PNG")])
def test_the_end_check_costs_one_read(tmp_path: Path, module: ModuleType, fmt: str) -> None:
    """On a file larger than the free zone whose header lies in the head: exactly one read
    beyond the zone, at the end of the file."""
    path = tmp_path / "big.img"
    path.write_bytes(_saved(_noise((1200, 900)), fmt))
    assert path.stat().st_size > 2 * ZONE
    with open_reader(path, 4096) as reader:
        result = module.sora_lint_probe(head=reader.head, reader=reader)
        assert result is not None and result.header is not None
        assert reader.reads == 1
