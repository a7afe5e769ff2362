"""The HTML report says what the fixes do, names the target of every card, and embeds each
thumbnail once."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import CliResult


def _cards(page: str) -> dict[str, str]:
    """Each card's HTML by its path."""
    found = re.findall(r'<article class="card" data-path="([^"]*)".*?</article>', page, re.S)
    return {path: re.search(rf'data-path="{re.escape(path)}".*?</article>', page, re.S).group(0)  # type: ignore[union-attr]
            for path in found}  # fmt: skip


def _report(cli: Callable[..., CliResult], folder: Path, *args: str) -> str:
    result = cli(*args, "--report", "report.html", "--no-cache", cwd=folder)
    assert result.code in (0, 1), result.err
    return (folder / "report.html").read_text(encoding="utf-8")


def test_each_thumbnail_is_embedded_once(
    tmp_path: Path, cli: Callable[..., CliResult], image: Any
) -> None:
    image(tmp_path / "a.png", (1600, 1000))
    image(tmp_path / "b.jpg", (700, 1000), fmt="JPEG")
    page = _report(cli, tmp_path, "--target", "1280x720", ".")
    assert len(_cards(page)) == 2
    assert page.count("data:image/") == 2


def test_a_right_sized_file_names_no_target_of_none(
    tmp_path: Path, cli: Callable[..., CliResult], image: Any
) -> None:
    """It has a finding (its EXIF orientation) but no size finding: it is not "Target none"."""
    image(tmp_path / "rotated.jpg", (1280, 720), fmt="JPEG", orientation=3)
    card = _cards(_report(cli, tmp_path, "--target", "1280x720", "."))["rotated.jpg"]
    assert "<dt>Target</dt><dd>none</dd>" not in card
    assert "<dt>Target</dt><dd>no size finding</dd>" in card


def test_previews_show_the_size_each_fix_makes(
    tmp_path: Path, cli: Callable[..., CliResult], image: Any
) -> None:
    """Under a profile that takes a range of aspect ratios, pad adds canvas (3000x1500) and
    cover crops (2000x1000): each preview says its own, as ``--fix`` writes them."""
    image(tmp_path / "pano.png", (3000, 1000))
    card = _cards(_report(cli, tmp_path, "--model", "runway-gen4", "."))["pano.png"]
    assert "pad to 3000x1500" in card
    assert "cover: keep 2000x1000, scale to 2000x1000" in card
    assert "then resize to 3000x1500" not in card
