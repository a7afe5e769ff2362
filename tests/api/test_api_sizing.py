"""The size a prepared image gets, as pure arithmetic: tables of (profile, upright size,
request) -> size."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sora_lint.api.sizing import parse_ratio, prepared_size, smaller_size
from sora_lint.types import Profile, Size

SORA = Profile("sora", (Size(1280, 720), Size(720, 1280)), frozenset({"JPEG"}))
RANGE = Profile("range", (), frozenset({"JPEG"}), aspect_range=(Fraction(1, 2), Fraction(2)),
                max_side=4000, min_side=300)  # fmt: skip
VEO = Profile("veo", (), frozenset({"JPEG"}), aspect_ratios=(Fraction(16, 9), Fraction(9, 16)),
              aspect_tolerance=0.01, near_miss=(("aspect", "crop", ""),))  # fmt: skip
FREE = Profile("free", (), frozenset({"JPEG"}))


@pytest.mark.parametrize(
    ("profile", "shown", "declared", "ratio", "grow", "expected"),
    [
        (SORA, (1000, 1000), None, None, True, (1280, 720)),
        (SORA, (900, 1600), None, None, True, (720, 1280)),
        (SORA, (1000, 1000), None, "9:16", True, (720, 1280)),
        (SORA, (1000, 1000), (720, 1280), "16:9", True, (720, 1280)),  # declared wins
        (RANGE, (1600, 1200), None, None, True, (1600, 1200)),  # accepted as it is
        (RANGE, (3000, 1000), None, None, True, (3000, 1500)),  # pad: canvas grows
        (RANGE, (3000, 1000), None, None, False, (2000, 1000)),  # cover: crop
        (RANGE, (8000, 4000), None, None, True, (4000, 2000)),  # then within max-side
        (RANGE, (1600, 1200), None, "16:9", False, (1600, 900)),
        (RANGE, (1600, 1200), None, "1280:720", True, (2134, 1200)),  # scale 1, a pixel
        (RANGE, (1281, 720), None, "16:9", True, (1280, 720)),  # a tiny miss is trimmed
        (RANGE, (100, 100), None, "16:9", False, (536, 300)),  # min-side enlarges
        (VEO, (1600, 1200), None, None, False, (1600, 900)),  # the crop Veo would make
        (VEO, (1600, 1200), None, None, True, (2134, 1200)),
        (FREE, (123, 457), None, None, True, (123, 457)),
        (FREE, (123, 457), None, "1:1", False, (123, 123)),
    ],
)
def test_prepared_size(
    profile: Profile,
    shown: tuple[int, int],
    declared: tuple[int, int] | None,
    ratio: str | None,
    grow: bool,
    expected: tuple[int, int],
) -> None:
    wanted = Size(*declared) if declared else None
    aspect = parse_ratio(ratio) if ratio else None
    assert prepared_size(profile, Size(*shown), wanted, aspect, grow) == Size(*expected)


def test_no_exact_size_of_the_ratio_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"no size sora takes has that ratio \(1280x720"):
        prepared_size(SORA, Size(100, 100), None, Fraction(4, 3), True)


@pytest.mark.parametrize(
    ("profile", "wanted", "factor", "ratio", "expected"),
    [
        (RANGE, (1600, 900), 0.5, None, (800, 450)),  # 16:9 in steps of 16x9
        (RANGE, (1600, 900), 0.7, Fraction(16, 9), (1120, 630)),
        (RANGE, (1000, 563), 0.6, None, (600, 338)),  # no small ratio: rounded
        (FREE, (1000, 1000), 0.3, None, (300, 300)),
    ],
)
def test_smaller_size_keeps_the_aspect(
    profile: Profile,
    wanted: tuple[int, int],
    factor: float,
    ratio: Fraction | None,
    expected: tuple[int, int],
) -> None:
    assert smaller_size(profile, Size(*wanted), factor, ratio) == Size(*expected)


@pytest.mark.parametrize(
    ("profile", "wanted", "factor"),
    [(SORA, (1280, 720), 0.5), (RANGE, (600, 600), 0.4), (FREE, (1, 1), 0.5)],
)
def test_no_smaller_size_is_an_error(
    profile: Profile, wanted: tuple[int, int], factor: float
) -> None:
    with pytest.raises(ValueError):
        smaller_size(profile, Size(*wanted), factor, None)


@pytest.mark.parametrize(
    ("text", "ratio"), [("16:9", Fraction(16, 9)), ("1280:720", Fraction(16, 9)),
                        ("2.5:1", Fraction(5, 2)), (" 9 : 16 ", Fraction(9, 16))],
)  # fmt: skip
def test_parse_ratio(text: str, ratio: Fraction) -> None:
    assert parse_ratio(text) == ratio


@pytest.mark.parametrize("text", ["16x9", "16:0", "-1:2", "a:b", "adaptive", "1:2:3", ""])
def test_parse_ratio_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="ratio"):
        parse_ratio(text)
