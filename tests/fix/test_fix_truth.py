"""One truth per fix: what a finding's fix states is what ``--fix`` writes.

For a table of images × profiles (exact sizes, declared sizes, aspect ranges with side
limits, a profile declared in config; tiny misses, enlargements, an EXIF-rotated photo),
every fix of every finding
is applied with the ``--fix-mode`` that chooses it, and the written image is compared with
the fix's ``result_size``, ``crop_box`` and ``pad_box`` and its description. The pictures
encode their own coordinates (red = x, green = y of the upright image), so a sampled pixel
of the result says which source pixel it came from.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar, TextIO

import pytest
from PIL import Image, ImageChops

from sora_lint.hookspecs import hookimpl
from sora_lint.types import Diagnostic, Fix, Reporter, RunReport
from tests.conftest import CliResult

#: ``--fix-mode`` that applies each fixer (trim is the default for a tiny miss in any mode).
MODE = {"pad": "pad", "cover": "cover", "stretch": "stretch", "trim": "pad"}


class Capture:
    """A reporter that keeps the findings, with their fixes as the fixers made them."""

    found: ClassVar[list[Diagnostic]] = []

    @staticmethod
    @hookimpl
    def sora_lint_register_reporters() -> Iterable[Reporter]:
        def write(report: RunReport, out: TextIO) -> None:
            Capture.found[:] = report.diagnostics

        return [Reporter("capture", "keeps the findings for the test", write)]


def coordinates(size: tuple[int, int]) -> Image.Image:
    """An upright picture whose red channel is x and green channel y, scaled to 0-255."""
    red = Image.linear_gradient("L").rotate(90).resize(size, Image.Resampling.BILINEAR)
    green = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.merge("RGB", (red, green, Image.new("L", size, 128)))


def write(path: Path, upright: tuple[int, int], orientation: int = 1) -> Path:
    picture = coordinates(upright)
    exif = Image.Exif()
    if orientation == 6:  # stored turned back, so that a viewer turns it upright again
        picture = picture.transpose(Image.Transpose.ROTATE_90)
        exif[0x0112] = 6
    picture.save(path, "PNG", exif=exif)
    return path


CASES = [
    # (name, upright size, orientation, arguments)
    ("wide-pano-runway", (3000, 1000), 1, ["--model", "runway-gen4"]),
    ("one-column-too-wide", (1281, 720), 1, ["--target", "1280x720"]),
    ("one-row-too-tall", (1280, 721), 1, ["--target", "1280x720"]),
    ("two-columns-and-twice-as-large", (2562, 1440), 1, ["--target", "1280x720"]),
    ("sixteen-tenths", (1920, 1200), 1, ["--target", "1280x720"]),
    ("thumbnail", (64, 36), 1, ["--target", "1280x720"]),
    ("rotated-photo", (700, 1000), 6, ["--target", "1280x720"]),
    ("kling-small", (200, 400), 1, ["--model", "kling"]),
    ("kling-strip", (1300, 500), 1, ["--model", "kling"]),
    ("declared-profile-side-too-long", (1500, 1000), 1, ["--model", "small-screen"]),
    ("declared-profile-tiny-and-too-long", (1201, 600), 1, ["--model", "small-screen"]),
    ("runway-one-column", (2001, 1000), 1, ["--model", "runway-gen4"]),
]


#: A profile a project declares: a range of aspect ratios and a longest side.
DECLARED = """[tool.sora-lint.profiles.small-screen]
aspect-range = ["1:2", "2:1"]
max-side = 1000
"""


def _findings(cli: Callable[..., CliResult], folder: Path, args: list[str]) -> list[Diagnostic]:
    result = cli(*args, "--output-format", "capture", "src.png", cwd=folder, plugins=(Capture,))
    assert result.code in (0, 1), result.err
    return list(Capture.found)


def _source_xy(pixel: tuple[int, ...], upright: tuple[int, int]) -> tuple[float, float]:
    """The upright source coordinates a result pixel came from."""
    return pixel[0] / 255 * (upright[0] - 1), pixel[1] / 255 * (upright[1] - 1)


def _check_geometry(fix: Fix, fixed: Image.Image, upright: tuple[int, int]) -> None:
    """The written picture's corners came from the corners of the stated crop box, placed
    at the stated pad box (within a source pixel or two, as resampling blurs edges)."""
    width, height = fixed.size
    left, top, right, bottom = fix.pad_box or (0, 0, width, height)
    crop = fix.crop_box or (0, 0, *upright)
    # Within two result pixels, and the gradient's own steps (255 levels over a side).
    tolerance_x = (crop[2] - crop[0]) / (right - left) * 2 + upright[0] / 255 * 1.5 + 1
    tolerance_y = (crop[3] - crop[1]) / (bottom - top) * 2 + upright[1] / 255 * 1.5 + 1
    first = _source_xy(fixed.getpixel((left + 1, top + 1)), upright)  # type: ignore[arg-type]
    last = _source_xy(fixed.getpixel((right - 2, bottom - 2)), upright)  # type: ignore[arg-type]
    assert abs(first[0] - crop[0]) <= tolerance_x, (fix.description, first, crop)
    assert abs(first[1] - crop[1]) <= tolerance_y, (fix.description, first, crop)
    assert abs(last[0] - (crop[2] - 1)) <= tolerance_x, (fix.description, last, crop)
    assert abs(last[1] - (crop[3] - 1)) <= tolerance_y, (fix.description, last, crop)
    if fix.pad_box is not None and (left, top) != (0, 0):
        assert fixed.getpixel((0, 0)) == (0, 0, 0), fix.description  # a black bar


def _applied(
    cli: Callable[..., CliResult], tmp_path: Path, args: list[str], mode: str, name: str
) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(tmp_path / "src.png", folder / "src.png")
    shutil.copy(tmp_path / "pyproject.toml", folder / "pyproject.toml")
    result = cli(*args, "--fix", "--fix-mode", mode, "--no-cache", "src.png", cwd=folder)
    assert result.code in (0, 1), result.err
    return folder / "src.png"


@pytest.mark.parametrize(
    ("upright", "orientation", "args"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_what_a_fix_states_is_what_fix_writes(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    upright: tuple[int, int],
    orientation: int,
    args: list[str],
) -> None:
    write(tmp_path / "src.png", upright, orientation)
    (tmp_path / "pyproject.toml").write_text(DECLARED, encoding="utf-8")
    findings = _findings(cli, tmp_path, [*args, "--no-cache"])
    fixes = [(d, f) for d in findings for f in d.fixes if f.result_size is not None]
    assert fixes, [d.code for d in findings]
    written: dict[str, Image.Image] = {}
    for index, (diagnostic, fix) in enumerate(fixes):
        fixer = "cover" if fix.fixer == "crop_bounds" else fix.fixer
        mode = MODE[fixer]
        if mode not in written:
            path = _applied(cli, tmp_path, [*args], mode, f"{index}-{mode}")
            with Image.open(path) as image:
                written[mode] = image.convert("RGB")
        fixed = written[mode]
        size = fix.result_size
        assert size is not None
        assert fixed.size == (size.width, size.height), (diagnostic.code, fix.description)
        assert str(size) in fix.description, fix.description
        if fix.crop_box is not None and fixed.size != _kept(fix):
            assert "resize to" in fix.description or "scale to" in fix.description
        _check_geometry(fix, fixed, upright)


def _kept(fix: Fix) -> tuple[int, int]:
    assert fix.crop_box is not None
    return fix.crop_box[2] - fix.crop_box[0], fix.crop_box[3] - fix.crop_box[1]


@pytest.mark.parametrize(
    ("upright", "target"), [((1281, 720), "1280x720"), ((1280, 721), "1280x720")]
)
def test_a_tiny_miss_is_trimmed_without_resampling_or_padding(
    tmp_path: Path, cli: Callable[..., CliResult], upright: tuple[int, int], target: str
) -> None:
    """The default fix crops the extra pixel; every other pixel is the source's own."""
    source = write(tmp_path / "src.png", upright)
    with Image.open(source) as image:
        original = image.convert("RGB")
    findings = _findings(cli, tmp_path, ["--target", target, "--no-cache"])
    (sl001,) = [d for d in findings if d.code == "SL001"]
    assert [f.fixer for f in sl001.fixes if f.applicability.value == "safe"] == ["trim"]
    trim = next(f for f in sl001.fixes if f.fixer == "trim")
    assert "no resampling" in trim.description and trim.scale == 1
    result = cli("--target", target, "--fix", "src.png", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert "(trim)" in result.out
    with Image.open(source) as image:
        fixed = image.convert("RGB")
    assert trim.crop_box is not None
    expected = original.crop(trim.crop_box)
    assert ImageChops.difference(fixed, expected).getbbox() is None  # pixel for pixel


def test_an_enlarging_fix_says_so_and_warns(
    tmp_path: Path, cli: Callable[..., CliResult], image: Any
) -> None:
    image(tmp_path / "thumb.png", size=(64, 36))
    result = cli("--target", "1280x720", "--output-format", "json", "thumb.png", cwd=tmp_path)
    codes = {d["code"]: d for d in result.json}
    assert codes["SL024"]["severity"] == "warning"
    assert "enlarges the picture 20x" in codes["SL024"]["message"]
    assert all("enlarging it 20x" in f["description"] for f in codes["SL001"]["fixes"])
    fixed = cli("--target", "1280x720", "--fix", "thumb.png", cwd=tmp_path)
    assert "Fixed thumb.png: 64x36 -> 1280x720 (pad); enlarged 20x (SL024)" in fixed.out
    image(tmp_path / "thumb.png", size=(64, 36))
    quiet = cli("--target", "1280x720", "--ignore", "SL024", "thumb.png", cwd=tmp_path)
    assert "SL001" in quiet.out and "SL024" not in quiet.out
    image(tmp_path / "half.png", size=(640, 360))  # enlarged exactly twice: no warning
    modest = cli("--target", "1280x720", "--output-format", "json", "half.png", cwd=tmp_path)
    assert [d["code"] for d in modest.json] == ["SL001"]


def test_a_fix_from_the_cache_states_the_same(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    """The cache keeps a fix's data; its public geometry comes back from it."""
    source = write(tmp_path / "src.png", (1920, 1200))
    os.utime(source, (1_600_000_000, 1_600_000_000))  # old enough for the cache to keep
    first = _findings(cli, tmp_path, ["--target", "1280x720"])
    again = _findings(cli, tmp_path, ["--target", "1280x720"])
    assert (tmp_path / ".sora-lint-cache").is_dir()
    assert [f for d in again for f in d.fixes] == [f for d in first for f in d.fixes]
    assert all(f.result_size is not None for d in again for f in d.fixes)
