"""What each fixer proposes (applicability, data, the crop_bounds fields) and the options
they and the core declare."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sora_lint_plugins.fixers import cover as fix_cover
from sora_lint_plugins.fixers import pad as fix_pad

from sora_lint.config.options import Option, OptionError, OptionRegistry
from sora_lint.fix import fixing
from sora_lint.types import Applicability, Diagnostic, Fix, Size
from tests import fix_support as fs

TARGET = Size(1280, 720)


def proposals(path: Path, target: Size = TARGET, **values: object) -> dict[str, list[Fix]]:
    host = fs.host()
    settings = fs.settings(host, **values)
    ctx, diagnostics = fs.context(path, target, settings)
    found: dict[str, list[Fix]] = {}
    for diagnostic in diagnostics:
        done: Diagnostic = fixing.propose_fixes(diagnostic, ctx, host.fixers)
        found[done.code] = list(done.fixes)
    return found


def by_name(fixes: list[Fix]) -> dict[str, Fix]:
    return {fix.fixer: fix for fix in fixes}


def test_size_fixes_and_their_applicability(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "a.jpg", (4032, 3024))
    fixes = by_name(proposals(path)["SL001"])
    assert set(fixes) == {"pad", "cover", "stretch", "crop_bounds"}
    assert fixes["pad"].applicability is Applicability.SAFE
    assert fixes["cover"].applicability is Applicability.UNSAFE
    assert fixes["stretch"].applicability is Applicability.UNSAFE
    assert fixes["crop_bounds"].applicability is Applicability.DISPLAY_ONLY
    assert "4032x3024" in fixes["pad"].description and "960x720" in fixes["pad"].description
    assert fixes["cover"].data["crop_box"] == [0, 378, 4032, 2646]
    assert fixes["cover"].data["decode_floor"] == [1280, 960]


def test_same_aspect_is_safe_in_every_mode(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "a.jpg", (2560, 1440))
    fixes = by_name(proposals(path)["SL001"])
    for name in ("pad", "cover", "stretch"):
        assert fixes[name].applicability is Applicability.SAFE


def test_crop_bounds_fields(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "a.jpg", (4032, 3024))
    fix = by_name(proposals(path)["SL001"])["crop_bounds"]
    assert set(fix.report_fields) == {"crop_bounds", "crop_box", "resize_after_crop"}
    assert fix.report_fields["crop_bounds"] == {
        "left_fraction": 0.0,
        "top_fraction": 0.125,
        "right_fraction": 1.0,
        "bottom_fraction": 0.875,
    }
    assert fix.report_fields["crop_box"] == {"left": 0, "top": 378, "right": 4032, "bottom": 2646}
    assert fix.report_fields["resize_after_crop"] is True
    assert "\n" not in fix.description and "0.125" in fix.description


def test_crop_bounds_follow_the_anchor_and_the_upright_image(tmp_path: Path) -> None:
    # Stored 3024x4032 under orientation 6 is an upright 4032x3024 picture.
    path = fs.write_picture(tmp_path / "a.jpg", (4032, 3024), orientation=6)
    fix = by_name(proposals(path, cover_anchor="top")["SL001"])["crop_bounds"]
    assert fix.report_fields["crop_bounds"]["top_fraction"] == 0.0
    assert fix.report_fields["crop_bounds"]["bottom_fraction"] == 0.75
    assert "upright" in fix.description
    smart = by_name(proposals(path, cover_anchor="smart")["SL001"])["crop_bounds"]
    assert smart.report_fields["crop_bounds"]["top_fraction"] == 0.125  # centred, no pixels


def test_orientation_alone(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "a.png", (1280, 720), orientation=6, fmt="PNG")
    found = proposals(path)
    assert [f.fixer for f in found["SL006"]] == ["orientation"]
    assert found["SL006"][0].applicability is Applicability.SAFE
    assert by_name(found["SL001"])["pad"].description.endswith("no resize")


def test_flatten_needs_its_flag(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    Image.new("RGBA", (1280, 720), (0, 0, 0, 0)).save(path)
    (flatten,) = proposals(path)["SL009"]
    assert flatten.applicability is Applicability.UNSAFE
    assert flatten.data["opt_in"] == "flatten"


def test_smart_anchor_keeps_the_detailed_side() -> None:
    image = Image.new("RGB", (1000, 1000), (128, 128, 128))
    draw = ImageDraw.Draw(image)
    for y in range(700, 1000, 6):  # detail only near the bottom
        draw.line((0, y, 1000, y), fill=(0, 0, 0), width=2)
    anchor = fix_cover.smart_anchor(image, (1280, 720))
    assert anchor[0] == 0.5 and anchor[1] > 0.9
    flat = fix_cover.smart_anchor(Image.new("RGB", (1000, 1000), "grey"), (1280, 720))
    assert flat == (0.5, 0.5)


@pytest.mark.parametrize("text", ["black", "White", "#ff8800", "#f80", "blur", "rgb(1,2,3)"])
def test_pad_color_accepts(text: str) -> None:
    assert fix_pad.parse_pad_color(text) == text.strip().lower()


@pytest.mark.parametrize("text", ["blurry", "#ggg", "", 3])
def test_pad_color_rejects(text: object) -> None:
    with pytest.raises(ValueError, match="colour"):
        fix_pad.parse_pad_color(text)


@pytest.mark.parametrize("text", ["smart", "centre", "bottom-left", "0.3,0.5"])
def test_cover_anchor_accepts(text: str) -> None:
    assert fix_cover.parse_cover_anchor(text) == text


def test_cover_anchor_rejects() -> None:
    option = Option("cover-anchor", "", parse=fix_cover.parse_cover_anchor)
    with pytest.raises(OptionError, match="cover-anchor: 'up' is not an anchor"):
        option.convert("up", "cover-anchor")


def test_core_fix_options() -> None:
    registry = OptionRegistry()
    fixing.declare_fix_options(registry)
    assert registry.names() == sorted(
        ["fix", "unsafe-fixes", "fix-mode", "diff", "fix-to", "flatten",
         "exit-non-zero-on-fix", "jpeg-quality", "max-decode-memory"]
    )  # fmt: skip
    defaults = registry.defaults()
    assert defaults["fix-mode"] == "pad" and defaults["jpeg-quality"] == 95
    assert registry["fix-mode"].choices == ("pad", "cover", "stretch")
    quality = registry["jpeg-quality"]
    assert quality.convert("80", "jpeg-quality") == 80
    for bad in (0, 101, "x", True):
        with pytest.raises(OptionError, match="jpeg-quality"):
            quality.convert(bad, "jpeg-quality")
    with pytest.raises(OptionError, match="not one of: pad, cover, stretch"):
        registry["fix-mode"].convert("crop", "fix-mode")


def test_checking_never_imports_pillow_for_the_fixers() -> None:
    # Check runs attach fixes to every diagnostic; proposing must stay header-only and cheap.
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(
        """
        import sys
        import sora_lint.fix.fixing
        for name in ("pad", "cover", "stretch", "color", "orientation", "crop_bounds"):
            __import__("sora_lint_plugins.fixers." + name)
        print(sorted(m for m in sys.modules if m == "PIL" or m.startswith("PIL.")))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_rotation_and_size_are_separate_fixes(tmp_path: Path) -> None:
    # Stored 3024x4032 under orientation 6 (upright 4032x3024) for a 1280x720 target: SL001
    # carries the resize, SL006 the rotation; both apply.
    path = fs.write_picture(tmp_path / "a.jpg", (4032, 3024), orientation=6)
    found = proposals(path)
    assert [f.fixer for f in found["SL006"]] == ["orientation"]
    assert "pad" in by_name(found["SL001"])
    outcome = fs.fix(path, TARGET, fix=True)
    assert outcome.result is not None and outcome.result.fixers == ("orientation", "pad")
