"""The first-look prober: empty files, Git LFS pointers, formats sora-lint never opens."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from sora_lint_plugins.probes import basic as probe_basic

from sora_lint.types import ProblemKind
from tests.probe_support import probe_bytes

OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
LFS = f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 2345678\n".encode()


def test_empty_file(tmp_path: Path) -> None:
    result = probe_bytes(probe_basic, tmp_path / "x.png", b"")
    assert result is not None and result.problem is not None
    assert result.problem.kind is ProblemKind.EMPTY
    assert result.problem.message == "file is empty (0 bytes)"
    assert result.format is None


def test_lfs_pointer_names_oid_size_and_the_fix(tmp_path: Path) -> None:
    result = probe_bytes(probe_basic, tmp_path / "x.png", LFS)
    assert result is not None and result.problem is not None
    assert result.problem.kind is ProblemKind.LFS_POINTER
    message = result.problem.message
    assert "4d7a21461" in message and "2,345,678 bytes" in message and "git lfs pull" in message


def test_malformed_lfs_pointer_is_still_a_pointer(tmp_path: Path) -> None:
    data = b"version https://git-lfs.github.com/spec/v1\noid md5:abc\n"
    result = probe_bytes(probe_basic, tmp_path / "x.png", data)
    assert result is not None and result.problem is not None
    assert result.problem.kind is ProblemKind.LFS_POINTER
    assert "malformed" in result.problem.message


def test_a_large_file_starting_like_a_pointer_is_not_one(tmp_path: Path) -> None:
    assert probe_bytes(probe_basic, tmp_path / "x.txt", LFS + b"x" * 2000) is None


def _jxl_container() -> bytes:
    return b"\x00\x00\x00\x0cJXL \r\n\x87\n\x00\x00\x00\x14ftypjxl \x00\x00\x00\x00jxl "


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\x00\x00\x00\x08meta"


def _pillow_icon() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (16, 16)).save(out, "ICO")
    return out.getvalue()


NEVER_OPENED = [
    ("eps", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "EPS"),
    ("dos-eps", b"\xc5\xd0\xd3\xc6\x20\x00\x00\x00" + b"\x00" * 24, "EPS"),
    ("pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "SVG"),
    ("svg-xml", b'<?xml version="1.0"?>\n<!-- hi -->\n<svg viewBox="0 0 1 1"></svg>', "SVG"),
    ("svg-doctype", b'\xef\xbb\xbf  <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">\n<svg>', "SVG"),
    ("heic", _ftyp(b"heic", b"mif1", b"heic"), "HEIF"),
    ("heif-mif1", _ftyp(b"mif1", b"heic", b"miaf"), "HEIF"),
    ("jxl-codestream", b"\xff\x0a\xfa\x7f\x01\x90\x08", "JXL"),
    ("jxl-container", _jxl_container(), "JXL"),
    ("wmf", b"\xd7\xcd\xc6\x9a\x00\x00" + b"\x00" * 16, "WMF"),
    ("emf", b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" + b"\x00" * 8, "EMF"),
    ("mvg", b"push graphic-context\nviewbox 0 0 640 480\nfill 'url(http://x/)'\n", "MVG"),
    ("ppm", b"P6\n# made by hand\n4 4\n255\n" + b"\x00" * 48, "PPM"),
    ("mp4", _ftyp(b"isom", b"isom", b"avc1"), "MP4"),
    ("psb", b"8BPS\x00\x02" + b"\x00" * 20, "PSB"),
    ("ico", _pillow_icon(), "ICO"),
]


@pytest.mark.parametrize(
    ("data", "fmt"), [c[1:] for c in NEVER_OPENED], ids=[c[0] for c in NEVER_OPENED]
)
def test_formats_never_opened_are_named(tmp_path: Path, data: bytes, fmt: str) -> None:
    result = probe_bytes(probe_basic, tmp_path / "x.png", data)
    assert result is not None and result.problem is not None
    assert result.format == fmt
    assert result.problem.kind is ProblemKind.NOT_OPENED
    assert "not opened" in result.problem.message


def _pillow(fmt: str, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (4, 4)).save(out, fmt)
    return out.getvalue()


LEFT_TO_OTHERS = [
    ("text", b"just some notes about the picture\n"),
    ("xml-not-svg", b'<?xml version="1.0"?><project><name>x</name></project>'),
    ("binary", bytes(range(256)) * 4),
    ("icon-like-zeros", b"\x00\x00\x01\x00" + b"\x00" * 40),
    ("avif", _ftyp(b"avif", b"avif", b"mif1", b"miaf")),
    ("avif-compatible", _ftyp(b"mif1", b"avif", b"miaf")),
    ("png", _pillow("PNG")),
    ("jpeg", _pillow("JPEG")),
    ("gif", _pillow("GIF", "P")),
    ("webp", _pillow("WEBP")),
    ("tiff", _pillow("TIFF")),
]


@pytest.mark.parametrize("data", [c[1] for c in LEFT_TO_OTHERS], ids=[c[0] for c in LEFT_TO_OTHERS])
def test_images_and_unknown_content_are_left_to_other_probers(tmp_path: Path, data: bytes) -> None:
    assert probe_bytes(probe_basic, tmp_path / "x.bin", data) is None


def test_probers_import_no_pillow_until_the_fallback_runs() -> None:
    """A run that needs no fallback (or a cached run) never pays for importing Pillow."""
    code = (
        "import sys\n"
        "from sora_lint_plugins.probes import basic, jpeg, png, webp, pillow\n"
        "print('PIL' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
