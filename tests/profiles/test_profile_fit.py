"""The arithmetic of ratio-range profiles: what fits, why not, and the size a fix aims at."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sora_lint_plugins.profiles.bundled import load

from sora_lint.geometry.profile_fit import accepts, adaptation, fit_size, violations
from sora_lint.run.targeting import build_target
from sora_lint.types import ImageHeader, Profile, Size, TargetRequest

FORMATS = frozenset({"PNG"})
SORA_2 = load("sora-2")
RUNWAY_GEN4 = load("runway-gen4-turbo")
KLING = load("kling-2")
VEO_3 = load("veo-3.1")
#: Aspect lists that the API rejects (as the old veo-3 and luma-ray2 profiles did): the
#: geometry of padding or cropping to the nearest listed ratio.
SIXTEEN_NINE = Profile(
    "169", (), FORMATS, aspect_ratios=(Fraction(16, 9), Fraction(9, 16)), aspect_tolerance=0.01
)
CINEMA = Profile(
    "cinema", (), FORMATS, aspect_tolerance=0.01,
    aspect_ratios=tuple(Fraction(w, h) for w, h in ((16, 9), (9, 16), (1, 1), (4, 3), (3, 4),
                                                     (21, 9), (9, 21))),
)  # fmt: skip


@pytest.mark.parametrize(
    ("profile", "shown", "grow", "expected"),
    [
        (RUNWAY_GEN4, Size(3000, 1000), True, Size(3000, 1500)),  # pad: aspect 2.0, no upscale
        (RUNWAY_GEN4, Size(3000, 1000), False, Size(2000, 1000)),  # cover: crop to 2.0
        (RUNWAY_GEN4, Size(1000, 3000), True, Size(1500, 3000)),
        (RUNWAY_GEN4, Size(1920, 1080), True, None),  # fits as it is
        (RUNWAY_GEN4, Size(9000, 6000), True, Size(7999, 5332)),  # scaled down, aspect kept
        (RUNWAY_GEN4, Size(16000, 4000), True, Size(7998, 3999)),  # both limits at once
        (KLING, Size(200, 200), True, Size(300, 300)),  # up only to the minimum side
        (KLING, Size(1000, 100), True, Size(1000, 400)),  # aspect 2.5 exactly
        (SIXTEEN_NINE, Size(1000, 1000), True, Size(1778, 1000)),  # 16:9, the picture whole
        (SIXTEEN_NINE, Size(1000, 1000), False, Size(1000, 562)),
        (SIXTEEN_NINE, Size(720, 1300), True, Size(732, 1300)),  # 9:16 is nearer
        (SIXTEEN_NINE, Size(1280, 720), True, None),
        (VEO_3, Size(1000, 1000), True, None),  # Veo crops or pads it itself: nothing to fix
        (CINEMA, Size(3000, 1000), False, Size(2333, 1000)),  # 21:9 is the nearest
        (CINEMA, Size(1001, 1000), True, None),  # within the 1% tolerance of 1:1
        (SORA_2, Size(1000, 1000), True, None),  # exact profiles use their sizes
    ],
)
def test_fit_size(profile: Profile, shown: Size, grow: bool, expected: Size | None) -> None:
    assert fit_size(profile, shown, grow=grow) == expected
    if expected is not None:
        assert accepts(profile, expected)


def test_contradictory_limits_give_no_size() -> None:
    profile = Profile("odd", (), FORMATS, min_side=500, max_side=400)
    assert fit_size(profile, Size(100, 100)) is None


@pytest.mark.parametrize(
    ("profile", "shown", "kinds"),
    [
        (RUNWAY_GEN4, Size(3000, 1000), ["aspect"]),
        (RUNWAY_GEN4, Size(8000, 4000), ["large"]),
        (KLING, Size(200, 1000), ["aspect", "small"]),
        (Profile("p", (), FORMATS, max_pixels=1000), Size(40, 30), ["pixels"]),
        (VEO_3, Size(1920, 1080), []),
        (SORA_2, Size(10, 10), []),
    ],
)
def test_violations(profile: Profile, shown: Size, kinds: list[str]) -> None:
    assert [kind for kind, _ in violations(profile, shown)] == kinds


RANGE = Profile(
    "range", (), FORMATS, aspect_range=(Fraction(2, 5), Fraction(5, 2)),
    min_side=64, max_side=4000, max_pixels=8_000_000,
)  # fmt: skip
LIST = Profile(
    "list", (), FORMATS, aspect_ratios=(Fraction(16, 9), Fraction(9, 16), Fraction(1)),
    aspect_tolerance=0.01, max_side=3000,
)  # fmt: skip
# From 100 px: below that the smallest box of a ratio (9x16, 21x9…) may exceed the picture.
dims = st.integers(min_value=100, max_value=20_000)


@settings(max_examples=400, deadline=None)
@given(width=dims, height=dims, grow=st.booleans(), profile=st.sampled_from([RANGE, LIST]))
def test_a_fix_size_is_always_accepted_and_never_needlessly_larger(
    width: int, height: int, grow: bool, profile: Profile
) -> None:
    shown = Size(width, height)
    size = fit_size(profile, shown, grow=grow)
    if accepts(profile, shown):
        assert size is None
        return
    assert size is not None and accepts(profile, size)
    if profile.min_side is None or min(width, height) >= profile.min_side:
        # Pad holds the picture at scale 1 at most; cover never needs more than the picture.
        if grow:
            assert min(size.width / width, size.height / height) <= 1 + 1e-9
        else:
            assert size.width <= width and size.height <= height


def test_build_target_uses_the_fit_for_ratio_profiles() -> None:
    profiles = {RUNWAY_GEN4.name: RUNWAY_GEN4}
    request = TargetRequest("runway-gen4", None, "test")  # an alias: the old name
    header = ImageHeader(Size(3000, 1000), "RGB")
    target = build_target(request, profiles, header)
    assert target is not None and target.size == Size(3000, 1500)
    cover = build_target(request, profiles, header, grow=False)
    assert cover is not None and cover.size == Size(2000, 1000)
    fine = build_target(request, profiles, ImageHeader(Size(1920, 1080), "RGB"))
    assert fine is not None and fine.size is None


@pytest.mark.parametrize(
    ("shown", "to", "action", "text"),
    [
        (Size(1600, 1200), Fraction(16, 9), "crop",
         "veo-3.1 will crop the 4:3 image (1600x1200) to 16:9, losing 25% of its height"),
        (Size(3000, 1000), Fraction(16, 9), "crop",
         "veo-3.1 will crop the 3:1 image (3000x1000) to 16:9, losing 41% of its width"),
        (Size(1600, 1200), Fraction(16, 9), "pad",
         "veo-3.1 will pad the 4:3 image (1600x1200) to 16:9 with bars left and right (the "
         "picture fills 75% of the width)"),
        (Size(1920, 1080), Fraction(9, 16), "pad",
         "veo-3.1 will pad the 16:9 image (1920x1080) to 9:16 with bars above and below (the "
         "picture fills 32% of the height)"),
        (Size(1001, 1000), Fraction(16, 9), "follow",
         "the video follows the 1.001 image (1001x1000), not 16:9"),
        (Size(1600, 1200), Fraction(16, 9), "unconfirmed",
         "what veo-3.1 does with the 4:3 image (1600x1200) for 16:9 is unconfirmed"),
    ],
)  # fmt: skip
def test_adaptation_says_what_the_model_does(
    shown: Size, to: Fraction, action: str, text: str
) -> None:
    label = f"{to.numerator}:{to.denominator}"
    assert adaptation(VEO_3, shown, to, label, action) == text


def test_adapted_limits_do_not_make_a_size_unaccepted() -> None:
    assert not accepts(SIXTEEN_NINE, Size(1600, 1200))
    assert accepts(VEO_3, Size(1600, 1200))  # Veo crops it: accepted, with a warning
