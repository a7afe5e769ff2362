"""The HTML report checked in a real headless Chromium: the page in-process and from the
command, with real fixes, and every hostile file of the shared corpus."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tests.reporters.chromium_support import Browser
from tests.reporters.html_support import HOSTILE

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


def test_report_in_headless_chromium(page: Path, browser: Browser) -> None:
    for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
        browser.call(domain)
    browser.call("Page.navigate", url=page.as_uri())
    browser.wait_for("Page.loadEventFired")
    browser.evaluate(THUMBS_JS)
    state = browser.evaluate(
        """(async () => {
            const imgs = await thumbs();
            const frames = [...document.querySelectorAll('.frame')]
                .map(f => f.getBoundingClientRect());
            return {
              cards: document.querySelectorAll('article.card').length,
              thumbs: imgs.map(([el, i]) =>
                [el.closest('article').dataset.path, i.naturalWidth, i.naturalHeight]),
              previews: document.querySelectorAll('.previews figure').length,
              frames: frames.map(r => [Math.round(r.width), Math.round(r.height)]),
              title: document.title,
              scripts: document.scripts.length,
            };
        })()"""
    )
    ARTIFACTS.mkdir(exist_ok=True)
    shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    (ARTIFACTS / "html-report.png").write_bytes(base64.b64decode(shot["data"]))
    assert browser.errors == []
    assert state["title"] == "sora-lint report" and state["scripts"] == 0
    assert state["cards"] == 5
    paths = [t[0] for t in state["thumbs"]]
    assert sorted(paths) == sorted(
        ["art/wide.jpg", f"art/sub/{HOSTILE}", "art/alpha.png", "art/rotated.jpg"]
    )
    assert all(width > 0 and height > 0 for _, width, height in state["thumbs"])
    rotated = next(t for t in state["thumbs"] if t[0] == "art/rotated.jpg")
    assert rotated[1] < rotated[2]  # shown upright: the 1000x700 JPEG with orientation 6 is tall
    assert state["previews"] == 4 * 4  # original+box, pad, cover, crop_bounds for each sized asset
    assert all(w > 0 and h > 0 for w, h in state["frames"])


def test_the_browser_check_sees_console_errors(tmp_path: Path, browser: Browser) -> None:
    """The harness above can fail: a page that logs an error and throws is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><title>x</title><script>console.error('boom'); null.x;</script>",
        encoding="utf-8",
    )
    for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
        browser.call(domain)
    browser.call("Page.navigate", url=bad.as_uri())
    browser.wait_for("Page.loadEventFired")
    browser.evaluate("1")
    assert any("boom" in error for error in browser.errors)
    assert any("TypeError" in error for error in browser.errors)


CORPUS = Path(__file__).parents[3] / "shared" / "corpus"
STATE_JS = """(async () => {
    const imgs = await thumbs();
    return {
      cards: document.querySelectorAll('article.card').length,
      broken: imgs.filter(([el, i]) => !(i.naturalWidth > 0))
        .map(([el, i]) => el.closest('article').dataset.path),
      thumbs: imgs.length,
      embedded: document.documentElement.outerHTML.split('data:image').length - 1,
    };
})()"""


#: Each card's thumbnail is its ``--thumb`` CSS variable, drawn by ``.thumb`` (and the pad and
#: cover previews): decode the picture each one shows.
THUMBS_JS = """window.thumbs = async () => Promise.all(
    [...document.querySelectorAll('.thumb')].map(async el => {
        const url = getComputedStyle(el).backgroundImage.slice(5, -2);
        const image = new Image();
        image.src = url;
        await image.decode().catch(() => null);
        return [el, image];
    }));"""


def _open(browser: Browser, page: Path) -> dict[str, Any]:
    for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
        browser.call(domain)
    browser.call("Page.navigate", url=page.as_uri())
    browser.wait_for("Page.loadEventFired")
    browser.evaluate(THUMBS_JS)
    return dict(browser.evaluate(STATE_JS))


def test_cli_report_with_real_fixes_in_chromium(
    tmp_path: Path, cli: Any, image: Any, browser: Browser
) -> None:
    """The page the command writes, with the fixers' real pad/cover/crop_bounds data."""
    image(tmp_path / "a" / "wide.png", (1600, 1000))
    image(tmp_path / "a" / "tall.jpg", (700, 1000), fmt="JPEG")
    image(tmp_path / "a" / "rot.jpg", (1000, 700), fmt="JPEG", orientation=6)
    image(tmp_path / "a" / "ok.png", (1280, 720))
    result = cli("a", "--report", "report.html", "--pad-color", "white", cwd=tmp_path)
    assert result.code == 1, result.err
    state = _open(browser, tmp_path / "report.html")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    (ARTIFACTS / "html-report-cli.png").write_bytes(base64.b64decode(shot["data"]))
    assert browser.errors == []
    assert state == {"cards": 3, "broken": [], "thumbs": 3, "embedded": 3}  # each picture once


def test_corpus_report_in_chromium(tmp_path: Path, cli: Any, browser: Browser) -> None:
    """Every hostile file of the shared corpus: a page that still renders cleanly."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (only present beside the team's clone)")
    result = cli(
        str(CORPUS), "--report", "report.html", "--output", "json:d.json", "-q", cwd=tmp_path
    )
    assert result.code in (0, 1), result.err
    offending = {
        d.get("asset") or d["path"]
        for d in json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    }
    state = _open(browser, tmp_path / "report.html")
    assert browser.errors == []
    assert state["broken"] == []
    assert state["thumbs"] > 0
    assert 0 < state["cards"] <= len(offending)
