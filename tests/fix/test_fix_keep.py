"""What a fix keeps: format, quality, ICC profile, EXIF (orientation 1), permissions; and
what it converts (CMYK, 16-bit, palette) or flattens only when asked."""

from __future__ import annotations

import io
import os
import stat
import struct
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from sora_lint.fix import reencode as encoding
from sora_lint.types import Size
from tests import fix_support as fs

TARGET = Size(1280, 720)


def quantization_at(quality: int, subsampling: int = 2) -> dict[int, list[int]]:
    buffer = io.BytesIO()
    fs.picture((64, 64)).save(buffer, "JPEG", quality=quality, subsampling=subsampling)
    with Image.open(buffer) as image:
        tables: dict[int, list[int]] = dict(image.quantization)
        return tables


@pytest.mark.parametrize(("quality", "option"), [(95, None), (80, 80)])
def test_jpeg_stays_jpeg_at_the_configured_quality(
    tmp_path: Path, quality: int, option: int | None
) -> None:
    path = fs.write_picture(tmp_path / "photo.jpg", (800, 600), quality=70)
    extra = {"jpeg_quality": option} if option else {}
    assert fs.fix(path, TARGET, fix=True, **extra).result is not None
    with Image.open(path) as fixed:
        assert fixed.format == "JPEG"
        assert dict(fixed.quantization) == quantization_at(quality)


@pytest.mark.parametrize(
    ("subsampling", "orientation", "layer"),
    [(0, 1, (1, 1)), (2, 1, (2, 2)), (0, 6, (1, 1)), (1, 8, (2, 1))],  # turned ones too
)
def test_jpeg_keeps_its_chroma_subsampling(
    tmp_path: Path, subsampling: int, orientation: int, layer: tuple[int, int]
) -> None:
    path = fs.write_picture(
        tmp_path / "s.jpg", (800, 600), subsampling=subsampling, orientation=orientation
    )
    fs.fix(path, TARGET, fix=True)
    with Image.open(path) as fixed:
        assert fixed.layer[0][1:3] == layer  # type: ignore[attr-defined]


def test_icc_exif_and_xmp_are_kept_with_orientation_1(tmp_path: Path) -> None:
    icc = fs.srgb_icc()
    tags = {0x010F: "Acme", 0x0110: "Phone 9", 0x0131: "camera-app"}
    path = fs.write_picture(tmp_path / "p.jpg", (600, 800), orientation=6, exif_tags=tags,
                            icc_profile=icc)  # fmt: skip
    fs.fix(path, TARGET, fix=True)
    with Image.open(path) as fixed:
        exif = fixed.getexif()
        assert exif.get(0x0112) == 1
        for tag, value in tags.items():
            assert exif.get(tag) == value
        assert fixed.info.get("icc_profile") == icc


def test_exif_pixel_dimensions_follow_the_new_size(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769).update({0xA002: 800, 0xA003: 600})
    path = tmp_path / "dims.jpg"
    fs.picture((800, 600)).save(path, exif=exif.tobytes())
    fs.fix(path, TARGET, fix=True)
    with Image.open(path) as fixed:
        sub = fixed.getexif().get_ifd(0x8769)
        assert (sub[0xA002], sub[0xA003]) == (1280, 720)


def test_png_stays_lossless_png(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "a.png", (640, 360), fmt="PNG")
    fs.fix(path, TARGET, fix=True, fix_mode="stretch")  # same aspect: a plain resize
    with Image.open(path) as fixed:
        assert fixed.format == "PNG"
        expected = fs.picture((640, 360)).resize((1280, 720), Image.Resampling.LANCZOS)
        assert fixed.convert("RGB").tobytes() == expected.tobytes()


@pytest.mark.parametrize(("lossless", "chunk"), [(True, b"VP8L"), (False, b"VP8 ")])
def test_webp_keeps_lossless_or_lossy(tmp_path: Path, lossless: bool, chunk: bytes) -> None:
    path = fs.write_picture(tmp_path / "w.webp", (800, 600), fmt="WEBP", lossless=lossless)
    assert encoding.webp_is_lossless(path.read_bytes()) is lossless
    fs.fix(path, TARGET, fix=True)
    data = path.read_bytes()
    assert data[12:16] == chunk
    assert encoding.webp_is_lossless(data) is lossless


def test_permissions_are_kept(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "perm.jpg", (800, 600))
    os.chmod(path, 0o640)
    fs.fix(path, TARGET, fix=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_cmyk_becomes_srgb_through_its_profile(tmp_path: Path) -> None:
    path = tmp_path / "print.jpg"
    fs.picture((1280, 720)).convert("CMYK").save(path, "JPEG", quality=95)
    outcome = fs.fix(path, TARGET, fix=True)
    assert outcome.result is not None and outcome.result.fixers == ("convert",)
    with Image.open(path) as fixed:
        assert fixed.mode == "RGB" and fixed.size == (1280, 720)
        assert fs.near(fs.pixel(fixed, (5, 5)), fs.MARK, 60)


def test_cmyk_never_keeps_a_profile_of_another_space(tmp_path: Path) -> None:
    # No CMYK profile ships with Pillow or LittleCMS to build a managed case here; what must
    # hold anyway: the RGB result never carries a profile describing another colour space.
    path = tmp_path / "print-icc.jpg"
    fs.picture((1280, 720)).convert("CMYK").save(path, "JPEG", icc_profile=fs.srgb_icc())
    fs.fix(path, TARGET, fix=True)
    with Image.open(path) as fixed:
        assert fixed.mode == "RGB"
        icc = fixed.info.get("icc_profile")
        if icc:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            assert profile.profile.xcolor_space.strip() == "RGB"


def test_16_bit_grey_is_scaled_not_clipped(tmp_path: Path) -> None:
    path = tmp_path / "deep.png"
    Image.new("I;16", (1280, 720), 32896).save(path)  # 32896 / 257 = 128
    fs.fix(path, TARGET, fix=True)
    with Image.open(path) as fixed:
        assert fixed.mode == "L"
        assert fixed.getpixel((10, 10)) == 128


def test_palette_becomes_rgb(tmp_path: Path) -> None:
    path = tmp_path / "pal.png"
    fs.picture((1280, 720)).convert("P").save(path)
    fs.fix(path, TARGET, fix=True)
    with Image.open(path) as fixed:
        assert fixed.mode == "RGB"


def test_transparency_is_kept_unless_flatten(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    Image.new("RGBA", (1000, 1000), (255, 0, 0, 0)).save(path)
    outcome = fs.fix(path, TARGET, fix=True)
    assert outcome.held_back == 1 and outcome.held_back_by == ("--flatten",)
    with Image.open(path) as fixed:
        assert fixed.mode == "RGBA" and fixed.size == (1280, 720)
        assert fixed.getpixel((640, 360))[3] == 0  # type: ignore[index]
    flat = fs.fix(path, TARGET, fix=True, flatten=True, pad_color="white")
    assert flat.result is not None and flat.result.fixers == ("flatten",)
    with Image.open(path) as fixed:
        assert fixed.mode == "RGB"
        assert fixed.getpixel((640, 360)) == (255, 255, 255)


@pytest.mark.parametrize(("colour", "expected"), [("black", (0, 0, 0)), ("#00ff00", (0, 255, 0)),
                                                  ("white", (255, 255, 255))])  # fmt: skip
def test_pad_colour(tmp_path: Path, colour: str, expected: tuple[int, int, int]) -> None:
    path = fs.write_picture(tmp_path / "sq.png", (720, 720), fmt="PNG")
    fs.fix(path, TARGET, fix=True, pad_color=colour)
    with Image.open(path) as fixed:
        assert fixed.getpixel((10, 360)) == expected
        assert fixed.getpixel((1270, 360)) == expected


def test_pad_blur_fills_with_the_picture(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "sq.png", (720, 720), fmt="PNG")
    fs.fix(path, TARGET, fix=True, pad_color="blur")
    with Image.open(path) as fixed:
        left_bar = fixed.crop((0, 0, 280, 720)).convert("L")
        assert left_bar.getextrema()[1] > 30  # not a flat black bar


def _tiff_ifd(*entries: tuple[int, int, int, bytes]) -> bytes:
    body = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        body += struct.pack("<HHI4s", tag, kind, count, value)
    return b"II*\x00" + struct.pack("<I", 8) + body + struct.pack("<I", 0)


def test_exif_pillow_cannot_write_back_keeps_the_rest(tmp_path: Path) -> None:
    # XResolution stored as text (as in a real camera file): Pillow reads it, cannot write it.
    exif = b"Exif\x00\x00" + _tiff_ifd((0x011A, 2, 4, b"abc\x00"), (0x010F, 2, 4, b"Acm\x00"))
    path = tmp_path / "odd-exif.jpg"
    fs.picture((800, 600)).save(path, exif=exif)
    outcome = fs.fix(path, TARGET, fix=True)
    assert outcome.error is None
    with Image.open(path) as fixed:
        assert fixed.size == (1280, 720)
        assert fixed.getexif().get(0x010F) == "Acm"
        assert 0x011A not in fixed.getexif()


def test_unparseable_exif_is_dropped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "lorem.png"
    fs.picture((800, 600)).save(path, exif=b"LoremIpsum dolor sit amet")
    outcome = fs.fix(path, TARGET, fix=True)
    assert outcome.error is None
    with Image.open(path) as fixed:
        assert fixed.size == (1280, 720)
        assert "exif" not in fixed.info


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'tiff:Orientation="6" dc:format="image/jpeg"/></rdf:RDF></x:xmpmeta>'
)


def test_xmp_is_kept_without_its_orientation(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "x.jpg", (600, 800), orientation=6, xmp=XMP)
    fs.fix(path, TARGET, fix=True)
    with Image.open(path) as fixed:
        xmp = fixed.info.get("xmp", b"")
        assert b"dc:format" in xmp
        assert b'tiff:Orientation="6"' not in xmp
        assert fixed.getexif().get(0x0112) == 1


@pytest.mark.parametrize(
    ("mode", "fmt", "expected_mode"),
    [
        ("L", "JPEG", "L"),
        ("L", "PNG", "L"),
        ("LA", "PNG", "RGBA"),
        ("RGBA", "WEBP", "RGBA"),
        ("RGBA", "PNG", "RGBA"),
        ("P", "PNG", "RGB"),
        ("1", "PNG", "L"),
    ],
)
@pytest.mark.parametrize("fill", ["black", "blur", "#336699"])
def test_modes_survive_every_pad_fill(
    tmp_path: Path, mode: str, fmt: str, expected_mode: str, fill: str
) -> None:
    path = tmp_path / f"m.{fmt.lower()}"
    picture = fs.picture((700, 700)).convert(mode)
    if mode in ("LA", "RGBA"):
        picture.putalpha(128)  # real transparency: an opaque alpha may be dropped by encoders
    picture.save(path, fmt)
    outcome = fs.fix(path, TARGET, fix=True, pad_color=fill)
    assert outcome.error is None
    with Image.open(path) as fixed:
        assert fixed.size == (1280, 720)
        assert fixed.mode == expected_mode


@pytest.mark.parametrize(
    ("key", "ok"),
    [("Comment", True), ("XML:com.adobe.xmp", True), ("", False), ("k" * 80, False),
     ("snow☃", False), (("tuple", 1), False)],
)  # fmt: skip
def test_png_text_keys_that_png_can_write(key: object, ok: bool) -> None:
    assert encoding._png_keyword(key) is ok


@pytest.mark.parametrize(
    ("raw", "expected"),
    [((72, 72), (72.0, 72.0)), ((300.5, 300), (300.5, 300.0)), ((0, 72), None),
     ((float("nan"), 72), None), (("a", "b"), None), ((72,), None), (None, None)],
)  # fmt: skip
def test_resolutions_worth_writing_back(raw: object, expected: object) -> None:
    assert encoding._dpi(raw) == expected
