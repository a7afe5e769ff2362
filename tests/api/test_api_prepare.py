"""``sora_lint.prepare``: ``--fix``'s result in memory, the output ratio, accepted formats,
the byte limit, and a clear refusal for what cannot be made acceptable."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import sora_lint
from tests.api import support

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "examples" / "bad"
GOOD = ROOT / "examples" / "good"


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


def _project(folder: Path, profile: str, extra: str = "") -> Path:
    config = folder / "sora-lint.toml"
    config.write_text(f"{extra}\n[profiles.tiny]\n{profile}\n", encoding="utf-8")
    return config


def _noisy(size: tuple[int, int], fmt: str, **save: Any) -> bytes:
    noise = Image.effect_noise(size, 80).convert("RGB")
    return support.encoded(Image.blend(noise, support.scene(size), 0.4), fmt, **save)


def test_over_the_byte_limit_quality_then_size(tmp_path: Path) -> None:
    config = _project(tmp_path, 'aspect-range = ["1:2", "2:1"]\nmax-bytes = 40000')
    source = _noisy((800, 600), "JPEG", quality=95)
    prepared = sora_lint.prepare(source, model="tiny", config=config)
    report = prepared.report
    assert len(prepared.data) <= 40000 == report.byte_limit
    assert report.steps[0].startswith("JPEG quality 95 at 800x600: ")
    assert "JPEG quality 70 at 800x600" in report.steps[-2]  # every quality first
    assert report.steps[-1].endswith("within 40,000") and report.quality == 70
    assert prepared.size.width < 800
    assert abs(prepared.size.aspect - sora_lint.Size(4, 3).aspect) < 0.01
    assert sora_lint.check(prepared.data, model="tiny", config=config) == []


def test_a_lossless_picture_over_the_limit_becomes_lossy_unless_its_format_was_asked(
    tmp_path: Path,
) -> None:
    config = _project(tmp_path, 'aspect-range = ["1:2", "2:1"]\nmax-bytes = 120000')
    source = _noisy((400, 300), "PNG")
    assert len(source) > 120000
    jpeg = sora_lint.prepare(source, model="tiny", config=config)
    assert (jpeg.format, jpeg.size, jpeg.mime_type) == ("JPEG", sora_lint.Size(400, 300),
                                                        "image/jpeg")  # fmt: skip
    assert jpeg.report.conversions == ("written as JPEG instead of PNG (the byte limit)",)
    png = sora_lint.prepare(source, model="tiny", config=config, format="png")
    assert png.format == "PNG" and png.size.width < 400 and len(png.data) <= 120000


def test_data_uri_limits_count_the_text_as_sent(tmp_path: Path) -> None:
    config = _project(tmp_path, 'aspect-range = ["1:2", "2:1"]\ndata-uri-counts = "encoded"\n'
                      "delivery-limits = { data-uri = 50000, url = 100000 }")  # fmt: skip
    source = _noisy((500, 400), "JPEG", quality=90)
    for delivery, limit in (("data-uri", 50000), ("url", 100000)):
        prepared = sora_lint.prepare(source, model="tiny", delivery=delivery, config=config)
        sent = len(prepared.to_data_uri()) if delivery == "data-uri" else len(prepared.data)
        assert sent == prepared.report.sent_size <= limit


def test_no_size_small_enough_is_a_prepare_error(tmp_path: Path) -> None:
    config = _project(tmp_path, 'sizes = ["640x360"]\nmax-bytes = 3000')
    with pytest.raises(sora_lint.PrepareError, match=r"is over tiny's limit of 3,000 .* "
                       r"\(640x360, JPEG quality 70\)"):  # fmt: skip
        sora_lint.prepare(_noisy((640, 360), "JPEG"), model="tiny", config=config)


def _animated(fmt: str) -> bytes:
    first = support.scene((64, 36))
    frames = [first, first.transpose(Image.Transpose.ROTATE_180)]
    return support.encoded(frames[0], fmt, save_all=True, append_images=frames[1:])


REFUSALS: list[tuple[str, Callable[[Path], Any], str, list[str]]] = [
    ("animated GIF", lambda _: _animated("GIF"), "GIF with 2 frames is animated", ["SL007"]),
    ("animated WebP", lambda _: _animated("WEBP"), "WEBP with 2 frames is animated", ["SL007"]),
    (
        "GIF",
        lambda _: support.encoded(support.scene((64, 36)), "GIF"),
        "GIF is not a format sora-lint decodes",
        [],
    ),
    ("truncated", lambda _: BAD / "truncated.png", "truncated PNG", ["SL004"]),
    ("LFS pointer", lambda _: BAD / "not_pulled.png", "Git LFS pointer", ["SL011"]),
    ("text", lambda _: b"hello", "not an image: the content is text", ["SL004"]),
    ("empty", lambda _: io.BytesIO(b""), "file is empty", ["SL004"]),
    ("missing", lambda folder: folder / "missing.png", "missing.png: no such file", []),
    ("FIFO", lambda folder: _fifo(folder), "is a FIFO, not a regular file", []),
    (
        "TIFF not decoded",
        lambda _: Image.open(io.BytesIO(support.encoded(support.scene((64, 36)), "TIFF"))),
        "a TIFF image not decoded yet",
        [],
    ),
]


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.png"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(("source", "message", "codes"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_what_cannot_be_made_acceptable_is_refused_in_a_sentence(
    source: Callable[[Path], Any], message: str, codes: list[str], tmp_path: Path
) -> None:
    with pytest.raises(sora_lint.PrepareError, match=message) as caught:
        sora_lint.prepare(source(tmp_path))
    assert [d.code for d in caught.value.diagnostics] == codes
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, sora_lint.SoraLintError)


def test_over_the_pixel_limit_or_the_memory_budget_is_refused(tmp_path: Path) -> None:
    big = support.encoded(support.scene((3000, 3000)), "PNG")
    config = _project(tmp_path, 'sizes = ["640x360"]', 'max-decode-memory = "16MiB"')
    with pytest.raises(sora_lint.PrepareError, match="over the decode memory budget of 16 MiB"):
        sora_lint.prepare(big, config=config)
    pixels = _project(tmp_path, 'sizes = ["640x360"]', "max-pixels = 1000000")
    with pytest.raises(sora_lint.PrepareError, match="over the limit of 1,000,000") as caught:
        sora_lint.prepare(big, config=pixels)
    assert [d.code for d in caught.value.diagnostics] == ["SL010"]


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


def test_to_file_is_atomic_and_never_follows_a_symlink(tmp_path: Path) -> None:
    prepared = sora_lint.prepare(support.cmyk_jpeg())
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "frame.jpg"
    link.symlink_to(victim)
    assert prepared.to_file(link) == link
    assert not link.is_symlink() and link.read_bytes() == prepared.data
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert sorted(os.listdir(tmp_path)) == ["frame.jpg", "victim.txt"]


def test_ways_to_send_it() -> None:
    import base64

    prepared = sora_lint.prepare(support.rgba_png(), name='.pass "wd"\x1b.PNG')
    assert prepared.filename == "pass_wd.png"  # a name an upload may carry
    prefix, _, body = prepared.to_data_uri().partition(",")
    assert prefix == "data:image/png;base64" and base64.b64decode(body) == prepared.data
    assert prepared.to_base64() == body
    assert prepared.to_upload() == ("pass_wd.png", prepared.data, "image/png")
    assert "data=" not in repr(prepared)  # no megabytes in a log line


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
