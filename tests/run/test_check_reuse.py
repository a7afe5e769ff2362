"""What check mode reuses between files (requests, proposals, copied diagnostics) never
changes what a file gets: each remembered value is keyed by everything it depends on, and
equals what a fresh computation gives."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sora_lint_plugins.fixers import resize as _resize
from sora_lint_plugins.targets import default as targets

from sora_lint.fix import fixing
from sora_lint.run.targeting import build_target
from sora_lint.types import (
    Applicability,
    Asset,
    CheckContext,
    Diagnostic,
    Fix,
    ImageHeader,
    Problem,
    ProblemKind,
    Settings,
    Severity,
    Size,
    TargetRequest,
)
from tests import fix_support as fs


def proposals(stored: tuple[int, int], orientation: int = 1, **options: Any) -> dict[str, Fix]:
    """The fixes attached to SL001 for a header of ``stored`` size, target 1280x720."""
    host = fs.host()
    settings = fs.settings(host, target="1280x720", **options)
    header = ImageHeader(Size(*stored), "RGB", orientation=orientation)
    asset = Asset(Path("a.jpg"), "a.jpg", 1000, "JPEG", header)
    request = TargetRequest("sora-2", Size(1280, 720), "test")
    ctx = CheckContext(asset, build_target(request, host.profiles, header), settings)
    found = [d for rule in host.rules.values() for d in rule.check(ctx)]
    (size,) = [d for d in fixing.attach_fixes(found, ctx, host.fixers) if d.code == "SL001"]
    return {fix.fixer: fix for fix in size.fixes}


def test_a_size_seen_with_other_options_gets_its_own_proposals() -> None:
    plain = proposals((4032, 3024))
    white = proposals((4032, 3024), pad_color="white")
    top = proposals((4032, 3024), cover_anchor="top")
    assert "black" in plain["pad"].description and "white" in white["pad"].description
    assert plain["cover"].data["crop_box"] == [0, 378, 4032, 2646]
    assert top["cover"].data["crop_box"] == [0, 0, 4032, 2268]
    assert top["crop_bounds"].report_fields["crop_box"]["top"] == 0
    assert plain["crop_bounds"].report_fields["crop_box"]["top"] == 378
    assert proposals((4032, 3024))["pad"] == plain["pad"]


def test_the_same_upright_size_stored_turned_is_told_apart() -> None:
    """3024x4032 stored under orientation 6 is upright 4032x3024, as is a plain 4032x3024:
    the same crop, but only the turned one says "of the upright image"."""
    turned = proposals((3024, 4032), orientation=6)
    plain = proposals((4032, 3024))
    assert turned["crop_bounds"].report_fields == plain["crop_bounds"].report_fields
    assert "upright" in turned["crop_bounds"].description
    assert "upright" not in plain["crop_bounds"].description


@pytest.mark.parametrize("orientation", range(10))
def test_upright_is_the_display_size(orientation: int) -> None:
    header = ImageHeader(Size(640, 480), "RGB", orientation=orientation)
    shown = header.display_size
    assert _resize.upright(header) == (shown.width, shown.height)


def test_targets_follow_the_request_the_profile_and_the_size() -> None:
    host = fs.host()
    profiles = dict(host.profiles)
    request = TargetRequest("sora-2", None, "test")
    wide, tall = ImageHeader(Size(1920, 1080), "RGB"), ImageHeader(Size(1080, 1920), "RGB")
    first = build_target(request, profiles, wide)
    assert first is not None and first.size == Size(1280, 720)
    again = build_target(request, profiles, tall)
    assert again is not None and again.size == Size(720, 1280)
    other = dataclasses.replace(profiles["sora-2"], sizes=(Size(64, 36),))
    swapped = build_target(request, {**profiles, "sora-2": other}, wide)
    assert swapped is not None and swapped.profile is other and swapped.size == Size(64, 36)
    copy = TargetRequest("sora-2", None, "test")
    assert build_target(copy, profiles, wide) == first
    ratio = TargetRequest("runway-gen4", None, "test")
    pano = ImageHeader(Size(3000, 1000), "RGB")
    padded, cropped = (
        build_target(ratio, profiles, pano),
        build_target(ratio, profiles, pano, False),
    )
    assert padded is not None and padded.size == Size(3000, 1500)
    assert cropped is not None and cropped.size == Size(2000, 1000)


def test_each_settings_gets_its_own_default_request() -> None:
    asset = Asset(Path("a.png"), "a.png", 10)
    host = fs.host()
    wide = fs.settings(host, model="sora-2", target="1280x720", overrides=())
    auto = fs.settings(host, model="sora-2-pro", target="auto", overrides=())
    for _ in range(2):
        one = targets.sora_lint_resolve_target(asset, wide)
        assert one == TargetRequest("sora-2", Size(1280, 720), targets.DEFAULT_SOURCE)
        assert targets.sora_lint_resolve_target(asset, auto) == TargetRequest(
            "sora-2-pro", None, targets.DEFAULT_SOURCE
        )


def test_a_plain_mapping_as_settings_is_answered_not_remembered() -> None:
    asset = Asset(Path("a.png"), "a.png", 10)
    for target, size in (("720x1280", Size(720, 1280)), ("auto", None)):
        plain: Any = {"model": "sora-2", "target": target}
        request = targets.sora_lint_resolve_target(asset, plain)
        assert request == TargetRequest("sora-2", size, targets.DEFAULT_SOURCE)


@dataclass(frozen=True)
class Marked(Diagnostic):
    """A third party's own diagnostic type: copied through ``dataclasses.replace``."""

    mark: str = "x"


def test_with_fixes_equals_replace() -> None:
    fix = Fix("pad", Applicability.SAFE, "pad it")
    plain = Diagnostic("SL001", "size-mismatch", Severity.ERROR, "m", "a.png", line=3,
                       size=Size(1, 2), target=Size(3, 4), data={"k": [1]})  # fmt: skip
    copied = fixing.with_fixes(plain, (fix,))
    assert copied == dataclasses.replace(plain, fixes=(fix,))
    assert type(copied) is Diagnostic and copied.fixes == (fix,) and plain.fixes == ()
    assert pickle.dumps(copied) == pickle.dumps(dataclasses.replace(plain, fixes=(fix,)))
    marked = fixing.with_fixes(Marked("SL001", "n", Severity.ERROR, "m", "a.png", mark="y"), (fix,))
    assert type(marked) is Marked and marked.mark == "y" and marked.fixes == (fix,)


formats = st.sampled_from([None, "JPEG", "MPO", "PNG", "WEBP", "GIF", "TIFF"])
codes = st.lists(st.sampled_from(["SL001", "SL002", "SL004", "SL006", "SL009", "SL010", "SL011"]))


@given(formats, st.booleans(), st.booleans(), st.integers(1, 3), codes)
def test_never_rewritten_agrees_with_the_skip_reason(
    fmt: str | None, readable: bool, has_header: bool, frames: int, found: list[str]
) -> None:
    header = ImageHeader(Size(10, 10), "RGB", n_frames=frames) if has_header else None
    problem = None if readable else Problem(ProblemKind.CORRUPT, "bad")
    asset = Asset(Path("a"), "a", 10, format=fmt, header=header, problem=problem)
    ctx = CheckContext(asset, None, Settings({}))
    diagnostics = [Diagnostic(code, "n", Severity.ERROR, "m", "a") for code in found]
    expected = fixing._skip_reason(ctx, {d.code for d in diagnostics}) is not None
    assert fixing.never_rewritten(ctx, diagnostics) is expected


def test_a_never_rewritten_asset_keeps_only_display_only_fixes() -> None:
    header = ImageHeader(Size(1920, 1080), "P", n_frames=3)
    asset = Asset(Path("a.gif"), "a.gif", 10, "GIF", header)
    host = fs.host()
    request = TargetRequest("sora-2", Size(1280, 720), "test")
    ctx = CheckContext(asset, build_target(request, host.profiles, header), fs.settings(host))
    found = [d for rule in host.rules.values() for d in rule.check(ctx)]
    attached = fixing.attach_fixes(found, ctx, host.fixers)
    assert {d.code for d in attached} >= {"SL001", "SL002", "SL007"}
    kept = [f.fixer for d in attached for f in d.fixes]
    assert kept == ["crop_bounds"]
