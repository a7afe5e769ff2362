"""The fixers' pure geometry: exact sizes, centred boxes, the target's aspect, anchors."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sora_lint.geometry import boxes as g

sides = st.integers(min_value=1, max_value=20_000)
dims = st.tuples(sides, sides)
targets = st.sampled_from([(1280, 720), (720, 1280), (1792, 1024), (1024, 1792), (1, 1), (7, 3)])
anchors = st.tuples(
    st.fractions(min_value=0, max_value=1, max_denominator=100),
    st.fractions(min_value=0, max_value=1, max_denominator=100),
)


@pytest.mark.parametrize(
    ("src", "box", "expected"),
    [
        ((4032, 3024), (1280, 720), (960, 720)),
        ((3024, 4032), (1280, 720), (540, 720)),
        ((2560, 1440), (1280, 720), (1280, 720)),
        ((640, 360), (1280, 720), (1280, 720)),  # upscale too
        ((1, 1), (1280, 720), (720, 720)),
        ((10_000, 1), (1280, 720), (1280, 1)),  # clamped to one pixel, never zero
        ((1, 10_000), (1280, 720), (1, 720)),
        ((1281, 721), (1280, 720), (1279, 720)),  # height limits: 1279.2 rounds down
        ((999, 333), (1024, 1792), (1024, 341)),
    ],
)
def test_fit_size(src: g.Dim, box: g.Dim, expected: g.Dim) -> None:
    assert g.fit_size(src, box) == expected


@pytest.mark.parametrize(
    ("src", "target", "expected"),
    [
        ((4032, 3024), (1280, 720), (160, 0, 1120, 720)),
        ((3024, 4032), (1280, 720), (370, 0, 910, 720)),
        ((1000, 1000), (1280, 720), (280, 0, 1000, 720)),
        ((1280, 500), (1280, 720), (0, 110, 1280, 610)),
        ((1280, 501), (1280, 720), (0, 109, 1280, 610)),  # odd leftover: extra row at bottom
        ((1, 1), (1, 1), (0, 0, 1, 1)),
    ],
)
def test_letterbox(src: g.Dim, target: g.Dim, expected: g.Box) -> None:
    assert g.letterbox(src, target) == expected


@pytest.mark.parametrize(
    ("src", "target", "same"),
    [
        ((2560, 1440), (1280, 720), True),
        ((1920, 1080), (1280, 720), True),
        ((3840, 2161), (1280, 720), True),  # off by less than a target pixel
        ((1280, 720), (1280, 720), True),
        ((4032, 3024), (1280, 720), False),
        ((720, 1280), (1280, 720), False),
        ((1792, 1024), (1280, 720), False),  # 7:4 is not 16:9
        ((1, 1), (1, 1), True),
        ((1, 2), (1, 1), False),
    ],
)
def test_same_aspect(src: g.Dim, target: g.Dim, same: bool) -> None:
    assert g.same_aspect(src, target) is same


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("centre", (Fraction(1, 2), Fraction(1, 2))),
        ("Center", (Fraction(1, 2), Fraction(1, 2))),
        ("top", (Fraction(1, 2), Fraction(0))),
        ("bottom", (Fraction(1, 2), Fraction(1))),
        ("left", (Fraction(0), Fraction(1, 2))),
        ("right", (Fraction(1), Fraction(1, 2))),
        ("bottom-left", (Fraction(0), Fraction(1))),
        ("left-bottom", (Fraction(0), Fraction(1))),
        ("top_right", (Fraction(1), Fraction(0))),
        ("0.3,0.5", (Fraction(3, 10), Fraction(1, 2))),
        ("0, 1", (Fraction(0), Fraction(1))),
    ],
)
def test_parse_anchor(text: str, expected: g.Anchor) -> None:
    assert g.parse_anchor(text) == expected


@pytest.mark.parametrize(
    "text", ["", "up", "top-bottom", "left-left", "1.2,0.5", "0.5", "a,b", "0.1,0.2,0.3", "smart"]
)
def test_parse_anchor_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not an anchor"):
        g.parse_anchor(text)


@pytest.mark.parametrize(
    ("src", "target", "anchor", "box"),
    [
        ((4032, 3024), (1280, 720), "centre", (0, 378, 4032, 2646)),
        ((4032, 3024), (1280, 720), "top", (0, 0, 4032, 2268)),
        ((4032, 3024), (1280, 720), "bottom", (0, 756, 4032, 3024)),
        ((3024, 4032), (720, 1280), "centre", (378, 0, 2646, 4032)),  # 3:4 vs 9:16: crop width
        ((1000, 1000), (1280, 720), "centre", (0, 219, 1000, 782)),  # 562.5 rounds up
        ((1000, 1000), (720, 1280), "left", (0, 0, 563, 1000)),
        ((1000, 1000), (720, 1280), "right", (437, 0, 1000, 1000)),
        ((1, 1), (1280, 720), "centre", (0, 0, 1, 1)),
        ((2560, 1440), (1280, 720), "centre", (0, 0, 2560, 1440)),
    ],
)
def test_crop_box(src: g.Dim, target: g.Dim, anchor: str, box: g.Box) -> None:
    assert g.crop_box(src, target, g.parse_anchor(anchor)) == box


def test_crop_bounds_fractions_and_resize_flag() -> None:
    bounds = g.crop_bounds((4032, 3024), (1280, 720))
    assert bounds.fractions() == {
        "left_fraction": 0.0,
        "top_fraction": 0.125,
        "right_fraction": 1.0,
        "bottom_fraction": 0.875,
    }
    assert bounds.box == (0, 378, 4032, 2646)
    assert bounds.resize_after_crop is True
    exact = g.crop_bounds((1280, 1000), (1280, 720))
    assert exact.box == (0, 140, 1280, 860)
    assert exact.resize_after_crop is False


@given(dims, targets, anchors)
def test_crop_box_invariants(src: g.Dim, target: g.Dim, anchor: g.Anchor) -> None:
    left, top, right, bottom = g.crop_box(src, target, anchor)
    width, height = right - left, bottom - top
    assert 0 <= left < right <= src[0] and 0 <= top < bottom <= src[1]
    # One side is kept whole; the other is as near the target's aspect as pixels allow.
    assert width == src[0] or height == src[1]
    ideal = Fraction(target[0], target[1])
    if width == src[0] and height != src[1]:
        assert abs(height - src[0] / ideal) <= Fraction(1, 2) or height == 1
    if height == src[1] and width != src[0]:
        assert abs(width - src[1] * ideal) <= Fraction(1, 2) or width == 1
    if min(width, height) >= 200:
        assert abs(Fraction(width, height) / ideal - 1) <= Fraction(5, 1000)


@given(dims, targets)
def test_centred_crop_is_centred(src: g.Dim, target: g.Dim) -> None:
    left, top, right, bottom = g.crop_box(src, target)
    assert abs(left - (src[0] - right)) <= 1
    assert abs(top - (src[1] - bottom)) <= 1
    bounds = g.crop_bounds(src, target)
    assert abs(bounds.left_fraction - (1 - bounds.right_fraction)) <= 1 / src[0] + 1e-6
    assert abs(bounds.top_fraction - (1 - bounds.bottom_fraction)) <= 1 / src[1] + 1e-6
    assert set(bounds.fractions()) == {
        "left_fraction",
        "top_fraction",
        "right_fraction",
        "bottom_fraction",
    }


@given(dims, targets)
def test_fit_and_letterbox_invariants(src: g.Dim, target: g.Dim) -> None:
    width, height = g.fit_size(src, target)
    assert 1 <= width <= target[0] and 1 <= height <= target[1]
    assert width == target[0] or height == target[1]
    left, top, right, bottom = g.letterbox(src, target)
    assert (right - left, bottom - top) == (width, height)
    assert 0 <= left <= right <= target[0] and 0 <= top <= bottom <= target[1]
    assert 0 <= (target[0] - right) - left <= 1 and 0 <= (target[1] - bottom) - top <= 1
    if min(width, height) >= 200:
        assert abs(Fraction(width * src[1], height * src[0]) - 1) <= Fraction(5, 1000)


@given(dims, targets, anchors)
def test_crop_region_has_exact_aspect(src: g.Dim, target: g.Dim, anchor: g.Anchor) -> None:
    left, top, right, bottom = g.crop_region(src, target, anchor)
    assert 0 <= left <= right <= src[0] and 0 <= top <= bottom <= src[1]
    assert (right - left) * target[1] == (bottom - top) * target[0]
    assert right - left == src[0] or bottom - top == src[1]


@given(dims, targets)
def test_same_aspect_means_tiny_bars(src: g.Dim, target: g.Dim) -> None:
    if g.same_aspect(src, target):
        width, height = g.fit_size(src, target)
        assert target[0] - width <= 1 and target[1] - height <= 1


@pytest.mark.parametrize(
    ("profile", "window", "start"),
    [
        ([0, 0, 9, 9, 0, 0], 2, 2),
        ([5, 0, 0, 0, 0, 0], 2, 0),
        ([0, 0, 0, 0, 0, 5], 2, 4),
        ([1, 1, 1, 1, 1, 1], 2, 2),  # flat: centred
        ([1, 1, 1, 1, 1], 2, 1),  # flat, odd: as near the centre as possible
        ([3, 1], 5, 0),  # window larger than the profile
    ],
)
def test_best_window(profile: list[float], window: int, start: int) -> None:
    assert g.best_window(profile, window) == start


@pytest.mark.parametrize(
    ("region", "src", "actual", "expected"),
    [
        ((Fraction(0), Fraction(378), Fraction(4032), Fraction(2646)), (4032, 3024), (2016, 1512),
         (0.0, 189.0, 2016.0, 1323.0)),
        ((Fraction(1), Fraction(1), Fraction(3), Fraction(3)), (3, 3), (3, 3),
         (1.0, 1.0, 3.0, 3.0)),
    ],
)  # fmt: skip
def test_scaled_box(
    region: g.FracBox, src: g.Dim, actual: g.Dim, expected: tuple[float, ...]
) -> None:
    assert g.scaled_box(region, src, actual) == expected


def test_decode_floor() -> None:
    assert g.decode_floor((4032, 3024), g.cover_scale((4032, 3024), (1280, 720))) == (1280, 960)
    assert g.decode_floor((1, 1), Fraction(1, 1000)) == (1, 1)


def test_rejects_empty_sizes() -> None:
    with pytest.raises(ValueError, match="at least 1x1"):
        g.fit_size((0, 10), (1280, 720))


# The Fraction formulas fit_size and crop_box had before they moved to integer arithmetic:
# the integer versions must give exactly the same boxes for every size and anchor.
def _fraction_round(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _fraction_fit_size(src: g.Dim, box: g.Dim) -> g.Dim:
    scale = min(Fraction(box[0], src[0]), Fraction(box[1], src[1]))
    if Fraction(box[0], src[0]) <= Fraction(box[1], src[1]):
        return box[0], min(box[1], max(1, _fraction_round(src[1] * scale)))
    return min(box[0], max(1, _fraction_round(src[0] * scale))), box[1]


def _fraction_crop_box(src: g.Dim, target: g.Dim, anchor: g.Anchor) -> g.Box:
    if Fraction(src[0], src[1]) >= Fraction(target[0], target[1]):
        height = src[1]
        width = min(src[0], max(1, _fraction_round(Fraction(src[1] * target[0], target[1]))))
    else:
        width = src[0]
        height = min(src[1], max(1, _fraction_round(Fraction(src[0] * target[1], target[0]))))
    left = _fraction_round((src[0] - width) * anchor[0])
    top = _fraction_round((src[1] - height) * anchor[1])
    return left, top, left + width, top + height


any_targets = st.one_of(targets, dims)


@settings(max_examples=300)
@given(dims, any_targets, anchors)
def test_integer_geometry_equals_the_fraction_formulas(
    src: g.Dim, target: g.Dim, anchor: g.Anchor
) -> None:
    assert g.fit_size(src, target) == _fraction_fit_size(src, target)
    assert g.crop_box(src, target, anchor) == _fraction_crop_box(src, target, anchor)


def test_integer_geometry_on_many_random_sizes() -> None:
    """A seeded sweep beside hypothesis: small sides (where rounding ties are common) and
    photo sizes, against every named anchor."""
    rng = random.Random(20261126)
    named = [g.parse_anchor(a) for a in ("centre", "top", "bottom-left", "right", "0.3,0.7")]
    for _ in range(20_000):
        limit = rng.choice((8, 64, 5000))
        src = (rng.randint(1, limit), rng.randint(1, limit))
        target = (rng.randint(1, limit), rng.randint(1, limit))
        anchor = rng.choice(named)
        assert g.fit_size(src, target) == _fraction_fit_size(src, target), (src, target)
        assert g.crop_box(src, target, anchor) == _fraction_crop_box(src, target, anchor)


@pytest.mark.parametrize("bad", [(0, 5), (5, 0)])
def test_fit_size_still_rejects_empty_sizes(bad: g.Dim) -> None:
    with pytest.raises(ValueError, match="source must be at least 1x1"):
        g.fit_size(bad, (1280, 720))
    with pytest.raises(ValueError, match="box must be at least 1x1"):
        g.fit_size((1280, 720), bad)
