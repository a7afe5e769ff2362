"""The HTML report's preview boxes (pure arithmetic) and its thumbnails (bounded decoding)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from sora_lint_plugins.reporters.html import previews as _previews
from sora_lint_plugins.reporters.html import thumbnail as _thumbnail

from sora_lint.types import (
    Applicability,
    Asset,
    Diagnostic,
    Fix,
    ImageHeader,
    Problem,
    ProblemKind,
    Severity,
    Size,
)

WIDE = Size(1280, 720)


def _sl001(*fixes: Fix, target: Size = WIDE) -> Diagnostic:
    return Diagnostic(
        "SL001", "size-mismatch", Severity.ERROR, "m", "a.png", target=target, fixes=fixes
    )


@pytest.mark.parametrize(
    ("shown", "target", "pad_box", "cover_box"),
    [
        (Size(1600, 900), Size(1280, 720), (0, 0, 1280, 720), (0, 0, 1600, 900)),
        (Size(1000, 1000), Size(1280, 720), (280, 0, 1000, 720), (0, 219, 1000, 782)),
        (Size(800, 1000), Size(720, 1280), (0, 190, 720, 1090), (119, 0, 682, 1000)),
        (Size(4000, 1000), Size(1280, 720), (0, 200, 1280, 520), (1111, 0, 2889, 1000)),
    ],
)
def test_boxes_computed_from_geometry(
    shown: Size, target: Size, pad_box: tuple[int, ...], cover_box: tuple[int, ...]
) -> None:
    p = _previews.previews(shown, target, [_sl001(target=target)], {})
    assert p.pad_box == pad_box
    assert p.cover_box == cover_box
    assert p.pad_fill == "black"
    assert p.crop_bounds["left_fraction"] == round(cover_box[0] / shown.width, 6)


def test_boxes_taken_from_the_proposed_fixes() -> None:
    pad = Fix("pad", Applicability.SAFE, "pad", data={"box": [10, 0, 1270, 720], "fill": "white"})
    cover = Fix("cover", Applicability.UNSAFE, "cover", data={"crop_box": [0, 0, 1000, 562]})
    bounds = Fix(
        "crop_bounds",
        Applicability.DISPLAY_ONLY,
        "cb",
        report_fields={"crop_bounds": {"left_fraction": 0.5, "top_fraction": "x"}},
    )
    p = _previews.previews(Size(1000, 1000), Size(1280, 720), [_sl001(pad, cover, bounds)], {})
    assert p.pad_box == (10, 0, 1270, 720)
    assert p.pad_fill == "white"
    assert p.cover_box == (0, 0, 1000, 562)
    assert p.crop_bounds == {"left_fraction": 0.5}  # a non-number is dropped


@pytest.mark.parametrize(
    "bad_box", [[0, 0, 2000, 720], [5, 5, 5, 5], "junk", {"left": 0}, [-1, 0, 10, 10]]
)
def test_bad_fix_boxes_fall_back_to_geometry(bad_box: object) -> None:
    pad = Fix("pad", Applicability.SAFE, "pad", data={"box": bad_box})
    p = _previews.previews(Size(1000, 1000), Size(1280, 720), [_sl001(pad)], {})
    assert p.pad_box == (280, 0, 1000, 720)


@pytest.mark.parametrize(
    ("raw", "css"),
    [
        ("white", "white"),
        ("#FFaa00", "#ffaa00"),
        ("blur", "blur"),
        ("rgb(1, 2, 3)", "rgb(1, 2, 3)"),
        ("red;background:url(x)", "black"),
        ('"><script>', "black"),
        (None, "black"),
    ],
)
def test_fill_colours_are_sanitised(raw: object, css: str) -> None:
    assert _previews.css_colour(raw) == css


def _asset(path: Path, fmt: str | None, size: Size, orientation: int = 1, **extra: object) -> Asset:
    header = ImageHeader(size, "RGB", orientation=orientation)
    return Asset(path, path.name, path.stat().st_size if path.exists() else 0, fmt, header, **extra)  # type: ignore[arg-type]


def test_thumbnail_is_bounded_upright_and_decodable(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (3000, 1000), "green").save(path)
    thumb = _thumbnail.make_thumbnail(_asset(path, "JPEG", Size(3000, 1000), orientation=6), 10**9)
    assert thumb.uri is not None and thumb.uri.startswith("data:image/jpeg;base64,")
    assert (thumb.width, thumb.height) == (107, 320)  # rotated upright, longer side 320


def test_alpha_thumbnail_is_png(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    Image.new("RGBA", (50, 40), (1, 2, 3, 4)).save(path)
    thumb = _thumbnail.make_thumbnail(_asset(path, "PNG", Size(50, 40)), 10**9)
    assert thumb.uri is not None and thumb.uri.startswith("data:image/png;base64,")
    assert (thumb.width, thumb.height) == (50, 40)


@pytest.mark.parametrize(
    ("fmt", "size", "max_pixels", "problem", "reason"),
    [
        ("PNG", Size(64, 64), 64 * 64 - 1, False, "over the limit"),
        ("PNG", Size(64, 64), 10**9, True, "could not be read"),
        ("TIFF", Size(64, 64), 10**9, False, "TIFF images are not decoded"),
        (None, Size(64, 64), 10**9, False, "unknown images are not decoded"),
        ("PNG", Size(8000, 6000), 10**9, False, "too large to decode"),
    ],
)
def test_thumbnail_refused_without_decoding(
    tmp_path: Path, fmt: str | None, size: Size, max_pixels: int, problem: bool, reason: str
) -> None:
    path = tmp_path / "x.png"
    Image.new("RGB", (64, 64)).save(path)
    extra = {"problem": Problem(ProblemKind.CORRUPT, "bad")} if problem else {}
    thumb = _thumbnail.make_thumbnail(_asset(path, fmt, size, **extra), max_pixels)
    assert thumb.uri is None and reason in thumb.reason


def test_thumbnail_of_a_lying_header_is_refused(tmp_path: Path) -> None:
    """The probe said 10x10 but the file is bigger than the limit: checked again on open."""
    path = tmp_path / "liar.png"
    Image.new("RGB", (200, 200)).save(path)
    thumb = _thumbnail.make_thumbnail(_asset(path, "PNG", Size(10, 10)), 1000)
    assert thumb.uri is None and "over the pixel limit" in thumb.reason


def test_thumbnail_of_a_corrupt_file_is_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "c.png"
    data = bytearray()
    Image.new("RGB", (64, 64), "red").save(path)
    data = bytearray(path.read_bytes())
    path.write_bytes(bytes(data[: len(data) // 2]))
    thumb = _thumbnail.make_thumbnail(_asset(path, "PNG", Size(64, 64)), 10**9)
    assert thumb.uri is None and thumb.reason.startswith("not previewed:")
