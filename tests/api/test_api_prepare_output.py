"""``sora_lint.prepare``'s image: ``--fix``'s result in memory, upright and in a mode and format
the model takes, what was converted said, the output ratio or size asked for, and nothing
changed when nothing is needed."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import sora_lint
from tests.api import support
from tests.api.support import BAD, GOOD


def _decoded(prepared: sora_lint.Prepared) -> Image.Image:
    image = Image.open(io.BytesIO(prepared.data))
    image.load()
    return image


def _panorama(folder: Path) -> Path:
    path = folder / "panorama.png"
    path.write_bytes(support.encoded(support.scene((3000, 1000)), "PNG"))
    return path


FIX_CASES = [
    ("too_big_1920x1080.png", "sora-2", "pad", ()),
    ("square_1000x1000.jpg", "sora-2", "cover", ()),
    ("phone_rotated.jpg", "sora-2", "pad", ()),
    ("print_cmyk.jpg", "sora-2", "pad", ()),
    ("transparent.png", "sora-2", "pad", ("--flatten",)),
    ("panorama.png", "runway-gen4.5", "pad", ()),
    ("panorama.png", "runway-gen4.5", "cover", ()),
]


@pytest.mark.parametrize(("name", "model", "mode", "flags"), FIX_CASES)
def test_the_same_bytes_as_fix(
    name: str, model: str, mode: str, flags: tuple[str, ...], tmp_path: Path,
    cli: Callable[..., Any],
) -> None:  # fmt: skip
    """One code path: ``prepare`` returns byte for byte what ``--fix-to`` writes."""
    source = _panorama(tmp_path) if name == "panorama.png" else tmp_path / name
    if not source.exists():
        shutil.copy(BAD / name, source)
    run = cli("--isolated", "--no-cache", "--fix-to", "out", "--model", model, "--fix-mode",
              mode, *flags, name, cwd=tmp_path)  # fmt: skip
    assert "Fixed" in run.out, run.out + run.err
    prepared = sora_lint.prepare(source, model=model, mode=mode)
    assert prepared.data == (tmp_path / "out" / name).read_bytes()
    assert prepared.filename == name


def test_upright_8_bit_and_said() -> None:
    prepared = sora_lint.prepare(support.rotated_jpeg((90, 160)), model="sora-2")
    image = _decoded(prepared)
    assert image.size == (720, 1280) and image.mode == "RGB"
    assert image.getexif().get(0x0112, 1) == 1
    red, blue = image.getpixel((20, 20)), image.getpixel((700, 1260))
    assert isinstance(red, tuple) and isinstance(blue, tuple)
    assert red[0] > 200 > red[2] and blue[2] > 200 > blue[0]  # the picture stood up
    assert prepared.report.upright_size == sora_lint.Size(90, 160)
    assert prepared.report.source_size == sora_lint.Size(160, 90)
    assert any("EXIF orientation 6" in text for text in prepared.report.fixes)


@pytest.mark.parametrize(
    ("data", "options", "mode", "fmt"),
    [
        (support.cmyk_jpeg(), {}, "RGB", "JPEG"),
        (support.png16(), {}, "L", "PNG"),
        (support.rgba_png(), {}, "RGB", "PNG"),
        (support.rgba_png(), {"flatten": False}, "RGBA", "PNG"),
        (support.rgba_png(), {"flatten": False, "format": "jpeg"}, "RGB", "JPEG"),
        (support.webp(), {"model": "veo-3.1"}, "RGB", "JPEG"),
        (support.webp(lossless=True), {"model": "veo-3.1"}, "RGB", "PNG"),
        (support.webp(), {"model": "veo-3.1", "format": "image/png"}, "RGB", "PNG"),
        (support.cmyk_jpeg(), {"format": "webp"}, "RGB", "WEBP"),
    ],
)
def test_modes_and_formats_the_model_takes(
    data: bytes, options: dict[str, Any], mode: str, fmt: str
) -> None:
    prepared = sora_lint.prepare(data, **options)
    image = _decoded(prepared)
    assert (image.mode, image.format, prepared.format) == (mode, fmt, fmt)
    assert prepared.filename == f"image.{ {'JPEG': 'jpg'}.get(fmt, fmt.lower()) }"
    model = options.get("model", "sora-2")
    codes = [d.code for d in sora_lint.check(prepared.data, model=model, name=prepared.filename)]
    assert codes == (["SL009"] if mode == "RGBA" else [])
    assert [d.code for d in prepared.report.warnings] == codes


def test_what_is_converted_is_said() -> None:
    veo = sora_lint.prepare(support.webp((1280, 720)), model="veo-3.1")
    assert veo.report.conversions == ("written as JPEG instead of WEBP (veo-3.1 does not "
                                      "accept WEBP)",)  # fmt: skip
    jpeg = sora_lint.prepare(support.rgba_png((1280, 720)), flatten=False, format="jpeg")
    assert "transparency flattened onto black: JPEG has none" in jpeg.report.conversions
    with pytest.raises(sora_lint.UsageError, match=r"veo-3\.1 does not accept WEBP"):
        sora_lint.prepare(support.webp(), model="veo-3.1", format="webp")
    with pytest.raises(sora_lint.UsageError, match="format: 'gif' is not one of"):
        sora_lint.prepare(support.webp(), format="gif")


def test_an_image_that_needs_nothing_is_sent_as_it_is() -> None:
    for path in sorted(GOOD.iterdir()):
        prepared = sora_lint.prepare(path)
        assert prepared.data == path.read_bytes()
        assert prepared.report.unchanged and prepared.filename == path.name


@pytest.mark.parametrize(
    ("options", "size", "crop", "pad"),
    [
        ({"ratio": "1280:720", "mode": "cover"}, (1000, 562), (0, 219, 1000, 781), None),
        ({"ratio": "1280:720"}, (1778, 1000), None, (389, 0, 1389, 1000)),
        (
            {"ratio": "720:1280", "mode": "cover", "anchor": "left"},
            (562, 1000),
            (0, 0, 562, 1000),
            None,
        ),
        ({"ratio": "960:960"}, (1000, 1000), None, None),
    ],
)
def test_the_output_ratio_decides_the_shape(
    options: dict[str, Any], size: tuple[int, int], crop: Any, pad: Any
) -> None:
    square = support.encoded(support.scene((1000, 1000)), "JPEG")
    prepared = sora_lint.prepare(square, model="runway-gen4.5", **options)
    assert prepared.size == sora_lint.Size(*size) == sora_lint.Size(*_decoded(prepared).size)
    assert (prepared.report.crop_box, prepared.report.pad_box) == (crop, pad)
    assert sora_lint.check(prepared.data, model="runway-gen4.5", ratio=options["ratio"]) == []


def test_a_ratio_for_an_exact_model_picks_its_size() -> None:
    photo = support.encoded(support.scene((1000, 1000)), "JPEG")
    assert str(sora_lint.prepare(photo, model="sora-2-pro", ratio="7:4").size) == "1792x1024"
    with pytest.raises(sora_lint.UsageError, match="ratio: 4:3 is not the shape of a size"):
        sora_lint.prepare(photo, model="sora-2", ratio="4:3")


def test_where_the_model_would_crop_the_image_is_prepared_to_its_aspect() -> None:
    """Veo crops a 4:3 image to 16:9 itself (SL030): a prepared image needs no adapting."""
    photo = support.encoded(support.scene((1600, 1200)), "JPEG")
    assert [d.code for d in sora_lint.check(photo, model="veo-3.1")] == ["SL030"]
    prepared = sora_lint.prepare(photo, model="veo-3.1", mode="cover")
    assert str(prepared.size) == "1600x900"
    assert sora_lint.check(prepared.data, model="veo-3.1") == []


def test_a_pil_image_is_prepared_and_left_as_it_was() -> None:
    image = Image.open(io.BytesIO(support.rotated_jpeg((90, 160))))
    image.load()
    before = (image.mode, image.size, image.tobytes(), image.getexif().get(0x0112))
    prepared = sora_lint.prepare(image, model="sora-2")
    assert (prepared.format, str(prepared.size)) == ("JPEG", "720x1280")
    assert before == (image.mode, image.size, image.tobytes(), image.getexif().get(0x0112))
    made = Image.new("RGBA", (300, 300), (255, 0, 0, 128))
    assert sora_lint.prepare(made, model="sora-2").format == "PNG"  # lossless, no format
    tiff = Image.open(io.BytesIO(support.encoded(support.scene((64, 36)), "TIFF")))
    tiff.load()  # decoded by the caller: its pixels are simply used
    assert sora_lint.prepare(tiff, model="svd").format == "PNG"


def test_calls_in_threads_keep_their_own_targets() -> None:
    photo = support.encoded(support.scene((1000, 1000)), "JPEG")
    models = ["sora-2", "svd", "sora-2-pro", "runway-gen4.5"] * 4
    alone = {m: sora_lint.prepare(photo, model=m).size for m in set(models)}
    with ThreadPoolExecutor(4) as pool:
        sizes = list(pool.map(lambda m: sora_lint.prepare(photo, model=m).size, models))
    assert sizes == [alone[m] for m in models]


def test_a_declared_size_is_made_exactly() -> None:
    photo = support.encoded(support.scene((1600, 1200)), "JPEG")
    prepared = sora_lint.prepare(photo, model="runway-gen4.5", size="1280x720")
    assert str(prepared.size) == "1280x720" == "x".join(map(str, _decoded(prepared).size))
    assert prepared.report.pad_box == (160, 0, 1120, 720)
    with pytest.raises(sora_lint.UsageError, match="1792x1024 is not a size sora-2 allows"):
        sora_lint.prepare(photo, size=(1792, 1024))
