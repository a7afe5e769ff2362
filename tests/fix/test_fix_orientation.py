"""One orientation reader for check and fix: the fix turns a picture exactly as the probe's
``header.orientation`` says, never as Pillow's own EXIF reading does, and writes orientation
1 in EXIF and XMP, so a second ``--fix`` changes nothing (issue #11, item 11)."""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from sora_lint_plugins.probes import orient

from sora_lint.fix import reencode
from tests import fix_support as fs
from tests.conftest import CliResult
from tests.fix.test_fix_cli import snapshot

Cli = Callable[..., CliResult]
BLUE = (0, 0, 255)
XMP_HEAD = b"http://ns.adobe.com/xap/1.0/\x00"
#: The XMP forms the probe reads: attribute, element, element with text after the digit.
XMP_FORMS = (
    b'tiff:Orientation="6"',
    b"<tiff:Orientation>6</tiff:Orientation>",
    b"<tiff:Orientation>6 </tiff:Orientation>",
)


def _packet(form: bytes) -> bytes:
    inside = form if form.startswith(b"tiff") else b">" + form + b"</rdf:Description"
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
        + inside
        + (b"/>" if form.startswith(b"tiff") else b">")
        + b"</rdf:RDF></x:xmpmeta>"
    )


def _app1(payload: bytes) -> bytes:
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _jpeg(picture: Image.Image, *segments: bytes) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[:2] + b"".join(segments) + data[2:]  # right after SOI


#: EXIF whose Orientation is a SHORT with a count of 2 (6, 0): the probe takes it as no
#: orientation; Pillow read 6 and the old fix turned (and then squeezed) the picture.
SHORT_TWO = b"Exif\x00\x00II*\x00" + struct.pack("<IHHHIHHI", 8, 1, 0x0112, 3, 2, 6, 0, 0)
#: An EXIF block Pillow cannot parse (no valid TIFF byte order): the probe falls back to the
#: XMP orientation; the old fix saw none, squeezed the picture and left the XMP saying 6.
CORRUPT = b"Exif\x00\x00IX*\x00" + struct.pack("<I", 8) + bytes(8)


def _make(folder: Path) -> dict[str, tuple[int, int]]:
    """Files whose upright picture is ``fs.picture`` of the given size, stored turned."""
    folder.mkdir()
    upright = {"short-two.jpg": (720, 1280)}
    (folder / "short-two.jpg").write_bytes(_jpeg(fs.picture((720, 1280)), _app1(SHORT_TWO)))
    stored = fs.picture((1600, 900)).transpose(fs.STORE[6])
    for n, form in enumerate(XMP_FORMS):
        name = f"corrupt-exif-xmp-{n}.jpg"
        (folder / name).write_bytes(_jpeg(stored, _app1(CORRUPT), _app1(XMP_HEAD + _packet(form))))
        upright[name] = (1600, 900)
    png_xmp = {"xmp": _packet(XMP_FORMS[1])}
    stored.save(folder / "xmp.png", pnginfo=_png_text(_packet(XMP_FORMS[0])))
    stored.save(folder / "xmp.webp", lossless=True, **png_xmp)
    upright.update({"xmp.png": (1600, 900), "xmp.webp": (1600, 900)})
    return upright


def _png_text(xmp: bytes) -> object:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp.decode())
    return info


def _shown(image: Image.Image, box: tuple[int, int, int, int]) -> dict[str, tuple[int, ...]]:
    """The colours near the corners of ``box`` (where the picture sits in the output)."""
    left, top, right, bottom = box
    return {
        "top-left": fs.pixel(image, (left + 8, top + 8)),
        "bottom-right": fs.pixel(image, (right - 9, bottom - 9)),
    }


def test_fix_turns_as_the_check_read_and_a_second_run_changes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "assets"
    upright = _make(folder)
    argv = ("--fix", "--jobs", "1", "--no-cache", "--target", "1280x720", "assets")
    first = cli(*argv, cwd=tmp_path)
    assert first.code == 0, first.out + first.err
    assert first.err == ""  # no Pillow warning about the odd EXIF reaches the user
    for name, size in upright.items():
        with Image.open(folder / name) as image:
            image.load()
            assert image.size == (1280, 720), name
            # pad letterboxes a portrait picture; a 16:9 one fills the frame
            box = (437, 0, 842, 720) if size == (720, 1280) else (0, 0, 1280, 720)
            colours = _shown(image, box)
            assert fs.near(colours["top-left"], fs.MARK), (name, colours)
            assert fs.near(colours["bottom-right"], BLUE), (name, colours)
            assert image.getexif().get(0x0112, 1) == 1, name
            xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
            if xmp:
                assert orient.xmp_orientation(xmp) == 1, (name, xmp)
            assert fs.header_of(folder / name)[1].orientation == 1, name
    before = snapshot(folder)
    second = cli(*argv, cwd=tmp_path)
    assert second.code == 0, second.out
    assert "Fixed" not in second.out
    assert snapshot(folder) == before  # not a byte, not an mtime


@pytest.mark.parametrize("form", [*XMP_FORMS, b"tiff:Orientation=\"8\" tiff:Orientation='3'"])
@pytest.mark.parametrize("kind", [bytes, str])
def test_written_xmp_reads_as_orientation_1(form: bytes, kind: type) -> None:
    packet = _packet(form)
    value = packet if kind is bytes else packet.decode()
    written = reencode.upright_xmp(value)
    assert type(written) is kind and len(written) == len(value)
    assert orient.xmp_orientation(written) == 1
    assert orient.xmp_orientation(value) in (6, 8)
