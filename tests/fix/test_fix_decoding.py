"""How a fix decodes: a JPEG at a reduced DCT scale only when enough of the pixels the fix
needs remain (1.5x at 1/2, all of them at 1/4 and 1/8), the crop box mapped exactly onto
the reduced picture, 4:4:4 when shrunk to half.
(How close the outputs come to the ideal is ``benchmarks/fix_bench.py``'s job.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from sora_lint_plugins.fixers.resize import decoded_box

from sora_lint.fix.decoding import draft_scale, reduced_size
from sora_lint.types import Size
from tests import fix_support as fs


@pytest.mark.parametrize(
    ("fmt", "stored", "floor", "scale"),
    [
        ("JPEG", (4032, 3024), (1280, 960), 2),  # landscape cover to 1280x720: 2016 >= 1920
        ("JPEG", (3024, 4032), (1280, 1707), 1),  # portrait cropped to landscape: 1512 < 1920
        ("JPEG", (4032, 3024), (960, 720), 4),  # pad: 1008x756 at 1/4 holds 960x720
        ("JPEG", (3024, 4032), (540, 720), 4),  # pad of a portrait: 756x1008
        ("JPEG", (3840, 2880), (960, 720), 4),  # exactly the floor at 1/4
        ("JPEG", (3839, 2880), (960, 720), 2),  # a column short at 1/4, and 1919 >= 1440
        ("MPO", (8000, 6000), (960, 720), 8),  # 1000x750 at 1/8
        ("JPEG", (12000, 9000), (640, 480), 8),
        ("JPEG", (1919, 1440), (640, 480), 1),  # 1919/2 < 960, and 1919/4 < 640
        ("JPEG", (1920, 1440), (640, 480), 2),
        ("JPEG", (2560, 1920), (640, 480), 4),
        ("PNG", (8000, 6000), (960, 720), 1),  # only JPEG decodes reduced
        ("JPEG", (8000, 6000), None, 1),  # no floor: the fix needs every pixel
    ],
)
def test_draft_scale(
    fmt: str, stored: tuple[int, int], floor: tuple[int, int] | None, scale: int
) -> None:
    assert draft_scale(fmt, stored, floor) == scale


@pytest.mark.parametrize(
    ("source", "scale", "box", "expected"),
    [
        ((4032, 3024), 2, (0, 378, 4032, 2646), (0.0, 189.0, 2016.0, 1323.0)),
        ((4031, 3023), 2, (0, 0, 4031, 3023), (0.0, 0.0, 2015.5, 1511.5)),  # last column partial
        ((1001, 999), 8, (8, 16, 1000, 992), (1.0, 2.0, 125.0, 124.0)),
        ((640, 480), 1, (10, 20, 30, 40), (10.0, 20.0, 30.0, 40.0)),
    ],
)
def test_a_box_maps_onto_the_reduced_picture_exactly(
    source: tuple[int, int], scale: int, box: tuple[int, int, int, int], expected: tuple[float, ...]
) -> None:
    assert decoded_box(box, source, reduced_size(source, scale)) == expected


def test_decoded_box_falls_back_to_the_ratio() -> None:
    assert decoded_box((0, 0, 100, 50), (100, 50), (40, 20)) == (0.0, 0.0, 40.0, 20.0)


GREEN = (20, 200, 40)


@pytest.mark.parametrize(
    ("size", "mode", "layer", "decoded_at", "where", "colour"),
    [
        # shrunk over 2x: 4:4:4, decoded at 1/2; the picture's red corner at the pad box's
        ((3000, 2250), "pad", (1, 1), [1500, 1125], (166, 6), fs.MARK),
        ((3001, 2251), "pad", (1, 1), [1501, 1126], (166, 6), fs.MARK),  # odd sides too
        ((1600, 1200), "pad", (2, 2), None, (166, 6), fs.MARK),  # shrunk less: the source's
        # a portrait cropped to landscape: decoded in full; its green disc still in place
        ((3024, 4032), "cover", (1, 1), None, (533, 218), GREEN),
    ],
)
def test_reduced_decode_and_chroma(
    tmp_path: Path,
    size: tuple[int, int],
    mode: str,
    layer: tuple[int, int],
    decoded_at: list[int] | None,
    where: tuple[int, int],
    colour: tuple[int, int, int],
) -> None:
    path = fs.write_picture(tmp_path / "p.jpg", size, subsampling=2)
    outcome = fs.fix(path, Size(1280, 720), fix=True, fix_mode=mode)
    assert outcome.result is not None, outcome.error
    assert outcome.result.details.get("decoded_at") == decoded_at
    with Image.open(path) as fixed:
        assert fixed.size == (1280, 720)
        assert fixed.layer[0][1:3] == layer  # type: ignore[attr-defined]
        assert fs.near(fs.pixel(fixed, where), colour), fs.pixel(fixed, where)
