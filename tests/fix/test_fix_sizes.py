"""Every size fix gives exactly the target, upright, in every EXIF orientation and mode."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from sora_lint.types import Size
from tests import fix_support as fs

MODES = ("pad", "cover", "stretch")
ORIENTATIONS = range(1, 9)


@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("fmt", "upright", "target"),
    [
        ("JPEG", (640, 480), Size(1280, 720)),  # 4:3 up to 16:9
        ("PNG", (300, 500), Size(720, 1280)),  # 3:5 portrait to 9:16
        ("WEBP", (999, 333), Size(1024, 1792)),  # 3:1 into a tall target: extreme
    ],
)
def test_exact_size_and_upright(
    tmp_path: Path, mode: str, orientation: int, fmt: str, upright: tuple[int, int], target: Size
) -> None:
    path = fs.write_picture(tmp_path / f"img.{fmt.lower()}", upright, orientation=orientation,
                            fmt=fmt, **({"quality": 95} if fmt != "PNG" else {}))  # fmt: skip
    outcome = fs.fix(path, target, fix=True, fix_mode=mode)
    assert outcome.error is None
    assert outcome.result is not None and outcome.result.new_size == target
    assert outcome.result.fixers[-1] == mode
    with Image.open(path) as fixed:
        assert fixed.format == fmt
        assert fixed.size == (target.width, target.height)
        assert fixed.getexif().get(0x0112, 1) == 1
        # The red mark of the upright picture's top-left corner is still top-left.
        if mode == "pad":
            left, top = outcome.result.details["pad_box"][:2]
            probe = (left + 2, top + 2)
        elif mode == "cover":
            box = outcome.result.details["crop_box"]
            scale = target.width / (box[2] - box[0])
            # Where the source's (upright) red block lands, if the crop kept it.
            probe = (max(0, int(-box[0] * scale)) + 2, max(0, int(-box[1] * scale)) + 2)
            if box[0] > upright[0] // 6 or box[1] > upright[1] // 6:
                return  # the crop cut the mark away: exact size and format are checked above
        else:
            probe = (2, 2)
        assert fs.near(fs.pixel(fixed, probe), fs.MARK, 60), fs.pixel(fixed, probe)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("upright", "target"),
    [
        ((1, 1), Size(1280, 720)),
        ((1, 2000), Size(1280, 720)),
        ((2000, 1), Size(720, 1280)),
        ((1281, 721), Size(1280, 720)),
        ((641, 359), Size(1280, 720)),
    ],
)
def test_odd_and_tiny_sources(
    tmp_path: Path, mode: str, upright: tuple[int, int], target: Size
) -> None:
    path = fs.write_picture(tmp_path / "odd.png", upright, fmt="PNG")
    outcome = fs.fix(path, target, fix=True, fix_mode=mode)
    assert outcome.error is None
    with Image.open(path) as fixed:
        assert fixed.size == (target.width, target.height)


@pytest.mark.parametrize("mode", MODES)
def test_same_aspect_is_a_safe_plain_resize(tmp_path: Path, mode: str) -> None:
    path = fs.write_picture(tmp_path / "wide.jpg", (2560, 1440))
    outcome = fs.fix(path, Size(1280, 720), fix=True, fix_mode=mode)
    assert outcome.result is not None
    assert "same aspect" in outcome.result.details["fixes"][0]
    with Image.open(path) as fixed:
        assert fixed.size == (1280, 720)
        assert fs.near(fs.pixel(fixed, (3, 3)), fs.MARK, 60)  # no bar, nothing cropped


def test_orientation_alone_bakes_rotation_without_resizing(tmp_path: Path) -> None:
    # Stored 720x1280 under orientation 6: upright it is exactly the 1280x720 target.
    path = fs.write_picture(tmp_path / "turned.png", (1280, 720), orientation=6, fmt="PNG")
    outcome = fs.fix(path, Size(1280, 720), fix=True)
    assert outcome.result is not None
    assert outcome.result.old_size == Size(720, 1280)
    assert outcome.result.new_size == Size(1280, 720)
    with Image.open(path) as fixed:
        assert fixed.getexif().get(0x0112, 1) == 1
        assert fixed.tobytes() == fs.picture((1280, 720)).tobytes()  # PNG: lossless, exact


def test_orientation_that_breaks_the_size_is_resized_too(tmp_path: Path) -> None:
    # Stored 1280x720 (the target) but shown as 720x1280: baking the rotation must not leave
    # a wrong size behind, so the pad fixer comes with it.
    path = fs.write_picture(tmp_path / "shown-tall.png", (720, 1280), orientation=8, fmt="PNG")
    outcome = fs.fix(path, Size(1280, 720), fix=True)
    assert outcome.result is not None and outcome.result.fixers == ("pad",)
    with Image.open(path) as fixed:
        assert fixed.size == (1280, 720)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 90),
    st.integers(1, 90),
    st.sampled_from(MODES),
    st.sampled_from(list(ORIENTATIONS)),
    st.sampled_from(["JPEG", "PNG", "WEBP"]),
)
def test_any_size_any_orientation_lands_exactly(
    width: int, height: int, mode: str, orientation: int, fmt: str
) -> None:
    target = Size(64, 36)
    with tempfile.TemporaryDirectory() as folder:
        path = fs.write_picture(Path(folder) / f"x.{fmt.lower()}", (width, height),
                                orientation=orientation, fmt=fmt)  # fmt: skip
        outcome = fs.fix(path, target, fix=True, fix_mode=mode)
        assert outcome.error is None
        with Image.open(path) as fixed:
            assert fixed.size == (64, 36)
            assert fixed.format == fmt
            assert fixed.getexif().get(0x0112, 1) == 1
        second = fs.fix(path, target, fix=True, fix_mode=mode)
        assert second.result is None  # idempotent
