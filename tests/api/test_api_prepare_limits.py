"""``sora_lint.prepare`` within a profile's limits: the byte limit met by quality then size, the
data URI counted as sent, and a clear error over the byte, pixel or memory limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import sora_lint
from tests.api import support


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


def test_over_the_pixel_limit_or_the_memory_budget_is_refused(tmp_path: Path) -> None:
    big = support.encoded(support.scene((3000, 3000)), "PNG")
    config = _project(tmp_path, 'sizes = ["640x360"]', 'max-decode-memory = "16MiB"')
    with pytest.raises(sora_lint.PrepareError, match="over the decode memory budget of 16 MiB"):
        sora_lint.prepare(big, config=config)
    pixels = _project(tmp_path, 'sizes = ["640x360"]', "max-pixels = 1000000")
    with pytest.raises(sora_lint.PrepareError, match="over the limit of 1,000,000") as caught:
        sora_lint.prepare(big, config=pixels)
    assert [d.code for d in caught.value.diagnostics] == ["SL010"]
