"""The exact texts check mode reports (rule messages, fix descriptions) for a table of
headers: they come from per-size caches, so a wrong cache key would show here.

The expected texts were produced by the implementation before those caches existed.
"""
# ruff: noqa: E501 - the table holds whole messages, one per line, to compare exactly

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sora_lint.fix import fixing
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.targeting import build_target
from sora_lint.types import Asset, CheckContext, ImageHeader, Settings, Size, TargetRequest
from tests import fix_support as fs

Dim = tuple[int, int]

# (stored size, EXIF orientation, model, declared target or None for auto, options,
#  expected: each diagnostic "CODE message", then its fixes "  fixer applicability: text")
CASES: list[tuple[Dim, int, str, Dim | None, dict[str, Any], list[str]]] = [
    (
        (1080, 1920),
        1,
        "sora-2",
        (1280, 720),
        {"pad_color": "blur"},
        [
            "SL001 Inpaint image must match the requested width and height: image is 1080x1920, sora-2 target is 1280x720",
            "  cover unsafe: cover: crop 1080x1920 to 1080x608 (centre) and scale to 1280x720; cuts 656 px top and 656 px bottom",
            "  crop_bounds display-only: crop_bounds (centre): left 0, top 0.341667, right 1, bottom 0.658333 = box (0, 656, 1080, 1264) 1080x608; then resize to 1280x720",
            "  pad safe: pad: scale 1080x1920 to 405x720 and add blurred-copy 437/438 px bars left/right to reach 1280x720",
            "  stretch unsafe: stretch: resize 1080x1920 to 1280x720 ignoring the aspect ratio (x1.19 wide, x0.375 high: shapes distort)",
        ],
    ),
    (
        (3024, 4032),
        1,
        "sora-2",
        (1280, 720),
        {"cover_anchor": "smart"},
        [
            "SL001 Inpaint image must match the requested width and height: image is 3024x4032, sora-2 target is 1280x720",
            "  cover unsafe: cover: crop 3024x4032 to 3024x1701 (smart: most detailed region) and scale to 1280x720; cuts 1166 px top and 1165 px bottom (for centre; smart decides when fixing)",
            "  crop_bounds display-only: crop_bounds (centre): left 0, top 0.289187, right 1, bottom 0.711062 = box (0, 1166, 3024, 2867) 3024x1701; then resize to 1280x720",
            "  pad safe: pad: scale 3024x4032 to 540x720 and add black 370/370 px bars left/right to reach 1280x720",
            "  stretch unsafe: stretch: resize 3024x4032 to 1280x720 ignoring the aspect ratio (x0.423 wide, x0.179 high: shapes distort)",
        ],
    ),
    (
        (1000, 1000),
        1,
        "sora-2",
        (720, 1280),
        {"cover_anchor": "0.3,0.7", "pad_color": "#ff8800"},
        [
            "SL001 Inpaint image must match the requested width and height: image is 1000x1000, sora-2 target is 720x1280",
            "  cover unsafe: cover: crop 1000x1000 to 563x1000 (0.3,0.7) and scale to 720x1280; cuts 131 px left and 306 px right",
            "  crop_bounds display-only: crop_bounds (0.3,0.7): left 0.131, top 0, right 0.694, bottom 1 = box (131, 0, 694, 1000) 563x1000; then resize to 720x1280",
            "  pad safe: pad: scale 1000x1000 to 720x720 and add #ff8800 280/280 px bars top/bottom to reach 720x1280",
            "  stretch unsafe: stretch: resize 1000x1000 to 720x1280 ignoring the aspect ratio (x0.72 wide, x1.28 high: shapes distort)",
        ],
    ),
    (
        (1280, 720),
        6,
        "sora-2",
        (1280, 720),
        {},
        [
            "SL006 EXIF orientation 6 (rotated 90° clockwise): stored 1280x720, displayed 720x1280; the model gets the stored pixels, not what viewers show",
            "  cover unsafe: cover: crop 720x1280 to 720x405 (centre) and scale to 1280x720; cuts 438 px top and 437 px bottom",
            "  orientation safe: rotate the pixels upright (EXIF orientation 6 → 1): 1280x720 becomes 720x1280",
            "  pad safe: pad: scale 720x1280 to 405x720 and add black 437/438 px bars left/right to reach 1280x720",
            "  stretch unsafe: stretch: resize 720x1280 to 1280x720 ignoring the aspect ratio (x1.78 wide, x0.562 high: shapes distort)",
        ],
    ),
    (
        (1281, 721),
        3,
        "sora-2",
        (1280, 720),
        {},
        [
            "SL001 Inpaint image must match the requested width and height: image is 1281x721, sora-2 target is 1280x720",
            "  cover safe: cover: resize 1281x721 to 1280x720 (same aspect ratio: nothing cropped, no bars)",
            "  crop_bounds display-only: crop_bounds of the upright image: no crop needed (same aspect ratio); then resize to 1280x720",
            "  pad safe: pad: resize 1281x721 to 1280x720 (same aspect ratio: nothing cropped, no bars)",
            "  stretch safe: stretch: resize 1281x721 to 1280x720 (same aspect ratio: nothing cropped, no bars)",
            "SL006 EXIF orientation 3 (rotated 180°): stored 1281x721, displayed 1281x721; the model gets the stored pixels, not what viewers show",
            "  orientation safe: rotate the pixels upright (EXIF orientation 3 → 1): 1281x721 becomes 1281x721",
        ],
    ),
    (
        (2560, 1440),
        5,
        "sora-2-pro",
        None,
        {},
        [
            "SL001 Inpaint image must match the requested width and height: image is 2560x1440, sora-2-pro target is 720x1280",
            "  cover safe: cover: resize 1440x2560 to 720x1280 (same aspect ratio: nothing cropped, no bars)",
            "  crop_bounds display-only: crop_bounds of the upright image: no crop needed (same aspect ratio); then resize to 720x1280",
            "  pad safe: pad: resize 1440x2560 to 720x1280 (same aspect ratio: nothing cropped, no bars)",
            "  stretch safe: stretch: resize 1440x2560 to 720x1280 (same aspect ratio: nothing cropped, no bars)",
            "SL006 EXIF orientation 5 (mirrored and rotated 90° counter-clockwise): stored 2560x1440, displayed 1440x2560; the model gets the stored pixels, not what viewers show",
            "  orientation safe: rotate the pixels upright (EXIF orientation 5 → 1): 2560x1440 becomes 1440x2560",
        ],
    ),
    (
        (3000, 1000),
        1,
        "runway-gen4",
        None,
        {},
        [
            "SL019 aspect ratio 3 (3000x1000) is not one runway-gen4-turbo accepts: from 1:2 to 2:1 (0.5 to 2)",
            "  cover unsafe: cover: crop 3000x1000 to 2000x1000 (centre) and scale to 2000x1000; cuts 500 px left and 500 px right",
            "  crop_bounds display-only: crop_bounds (centre): left 0.166667, top 0, right 0.833333, bottom 1 = box (500, 0, 2500, 1000) 2000x1000; no resize needed",
            "  pad safe: pad: scale 3000x1000 to 3000x1000 and add black 250/250 px bars top/bottom to reach 3000x1500",
            "  stretch unsafe: stretch: resize 3000x1000 to 2000x1000 ignoring the aspect ratio (x0.667 wide, x1 high: shapes distort)",
        ],
    ),
    (
        (9000, 6000),
        7,
        "runway-gen4",
        None,
        {},
        [
            "SL006 EXIF orientation 7 (mirrored and rotated 90° clockwise): stored 9000x6000, displayed 6000x9000; the model gets the stored pixels, not what viewers show",
            "  orientation safe: rotate the pixels upright (EXIF orientation 7 → 1): 9000x6000 becomes 6000x9000",
            "SL021 6000x9000 has a side of 9000 px; runway-gen4-turbo takes at most 7999 px on each side",
            "  crop_bounds display-only: crop_bounds of the upright image (centre): left 0.000167, top 0, right 1, bottom 1 = box (1, 0, 6000, 9000) 5999x9000; then resize to 5332x7999",
            "  stretch unsafe: stretch: resize 6000x9000 to 5332x7999 ignoring the aspect ratio (x0.889 wide, x0.889 high: shapes distort)",
            "  trim safe: trim: crop 1 px left and 0 px right of 6000x9000 to 5999x9000; then resize to 5332x7999",
        ],
    ),
    (
        (20000, 20000),
        1,
        "sora-2",
        None,
        {},
        [
            "SL001 Inpaint image must match the requested width and height: image is 20000x20000, sora-2 target is 1280x720",
            "  crop_bounds display-only: crop_bounds (centre): left 0, top 0.21875, right 1, bottom 0.78125 = box (0, 4375, 20000, 15625) 20000x11250; then resize to 1280x720",
            "SL010 declares 20000x20000 = 400,000,000 pixels, over the limit of 178,956,970 (max-pixels); not decoded (a decompression bomb?)",
        ],
    ),
    (
        (720, 1280),
        6,
        "sora-2",
        (1280, 720),
        {"pad_color": "white"},
        [
            "SL001 Inpaint image must match the requested width and height: image is 720x1280, sora-2 target is 1280x720 (it is displayed upright at that size only because of its EXIF orientation)",
            "  cover safe: cover: already 1280x720 once upright; no resize",
            "  crop_bounds display-only: crop_bounds of the upright image: no crop needed (same aspect ratio); no resize needed",
            "  pad safe: pad: already 1280x720 once upright; no resize",
            "  stretch safe: stretch: already 1280x720 once upright; no resize",
            "SL006 EXIF orientation 6 (rotated 90° clockwise): stored 720x1280, displayed 1280x720; the model gets the stored pixels, not what viewers show",
            "  orientation safe: rotate the pixels upright (EXIF orientation 6 → 1): 720x1280 becomes 1280x720",
        ],
    ),
]


def check(
    host: PluginHost, stored: Dim, orientation: int, model: str, target: Dim | None,
    options: dict[str, Any],
) -> list[str]:  # fmt: skip
    """Every rule and every proposal, as the engine runs them, on a header alone."""
    declared = "auto" if target is None else f"{target[0]}x{target[1]}"
    settings: Settings = fs.settings(host, model=model, target=declared, **options)
    header = ImageHeader(Size(*stored), "RGB", orientation=orientation)
    asset = Asset(Path("img.jpg"), "img.jpg", 1000, "JPEG", header)
    request = TargetRequest(model, None if target is None else Size(*target), "test")
    grow = settings.get("fix-mode", "pad") == "pad"
    ctx = CheckContext(asset, build_target(request, host.profiles, header, grow=grow), settings)
    found = [d for rule in host.rules.values() for d in rule.check(ctx)]
    lines = []
    for diagnostic in fixing.attach_fixes(found, ctx, host.fixers):
        lines.append(f"{diagnostic.code} {diagnostic.message}")
        lines.extend(
            f"  {f.fixer} {f.applicability.value}: {f.description}" for f in diagnostic.fixes
        )
    return lines


@pytest.mark.parametrize(("stored", "orientation", "model", "target", "options", "expected"), CASES)
def test_texts(
    stored: Dim, orientation: int, model: str, target: Dim | None, options: dict[str, Any],
    expected: list[str],
) -> None:  # fmt: skip
    assert check(fs.host(), stored, orientation, model, target, options) == expected


def test_texts_in_one_process_in_any_order() -> None:
    """All cases through one host, forwards and backwards: what one case leaves in a cache
    never changes what another gets."""
    host = fs.host()
    for stored, orientation, model, target, options, expected in [*CASES, *reversed(CASES)]:
        assert check(host, stored, orientation, model, target, options) == expected
