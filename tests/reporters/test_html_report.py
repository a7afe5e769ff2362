"""The HTML report: escaped, self-contained, and checked in a real headless Chromium."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sora_lint_plugins.reporters.html import report as html_report

from sora_lint.types import (
    Applicability,
    Asset,
    Diagnostic,
    Fix,
    ImageHeader,
    Problem,
    ProblemKind,
    RunReport,
    Settings,
    Severity,
    Size,
)

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
HOSTILE = '<img src=x onerror=alert(1)> "quote" & ünï.png'
APT_HINT = "apt-get install -y chromium"


def _gradient(size: tuple[int, int]) -> Image.Image:
    """A picture with structure, so a wrong crop or an upside-down preview shows."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    r, g, b = image.split()
    return Image.merge(
        "RGB", (r, g.transpose(Image.Transpose.FLIP_LEFT_RIGHT), b.point(lambda v: 255 - v))
    )


def _sl001(display: str, size: Size, target: Size, fixes: tuple[Fix, ...] = ()) -> Diagnostic:
    message = f"Inpaint image must match the requested width and height: {size} vs {target}"
    return Diagnostic(
        "SL001",
        "size-mismatch",
        Severity.ERROR,
        message,
        display,
        size=size,
        target=target,
        fixes=fixes,
    )


def build_report(folder: Path, settings: dict[str, Any] | None = None) -> RunReport:
    """Offending assets of several kinds, written as real files under ``folder``."""
    (folder / "art" / "sub").mkdir(parents=True)
    assets: list[Asset] = []
    diags: list[Diagnostic] = []

    def add(
        name: str, image: Image.Image, fmt: str, target: Size, orientation: int = 1, **save: Any
    ) -> None:
        path = folder / name
        image.save(path, fmt, **save)
        header = ImageHeader(
            Size(*image.size), image.mode, orientation=orientation, has_alpha="A" in image.mode
        )
        display = str(path.relative_to(folder))
        assets.append(Asset(path, display, path.stat().st_size, fmt, header))
        diags.append(_sl001(display, header.display_size, target))

    add("art/wide.jpg", _gradient((1600, 1000)), "JPEG", Size(1280, 720))
    add(f"art/sub/{HOSTILE}", _gradient((800, 1000)), "PNG", Size(720, 1280))
    add("art/alpha.png", _gradient((900, 900)).convert("RGBA"), "PNG", Size(1280, 720))
    exif = Image.Exif()
    exif[0x0112] = 6
    add(
        "art/rotated.jpg", _gradient((1000, 700)), "JPEG", Size(720, 1280), orientation=6, exif=exif
    )
    pad = Fix(
        "pad", Applicability.SAFE, "pad with blur", data={"box": [0, 0, 1280, 720], "fill": "blur"}
    )
    diags[0] = _sl001(diags[0].path, diags[0].size or Size(1, 1), Size(1280, 720), (pad,))
    broken = folder / "art" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n")
    assets.append(
        Asset(broken, "art/broken.png", 8, "PNG", None, Problem(ProblemKind.TRUNCATED, "t"))
    )
    diags.append(Diagnostic("SL004", "unreadable", Severity.ERROR, "truncated", "art/broken.png"))
    diags.append(
        Diagnostic("SL003", "unsupported-size", Severity.ERROR, "bad", "jobs.toml", 3, "gone.png")
    )
    return RunReport(
        tuple(diags), files_checked=9, settings=Settings(settings or {}), assets=tuple(assets)
    )


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    report = build_report(tmp_path)
    target = tmp_path / "out" / "report.html"
    html_report.sora_lint_run_finished(report=report, settings=Settings({"report": str(target)}))
    return target


def test_page_is_escaped_and_has_no_script(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "<img src=x" not in text and "onerror=alert(1)>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt; &quot;quote&quot; &amp; ünï.png" in text
    assert "<script" not in text.lower()
    assert "Content-Security-Policy" in text
    assert text.count('<article class="card"') == 5
    assert "Other findings" in text and "jobs.toml" in text


def test_summary_tables(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "<tr><td>SL001</td><td>size-mismatch</td><td>4</td><td>0</td></tr>" in text
    assert "<tr><td>art</td><td>4</td><td>4</td></tr>" in text
    assert "<tr><td>art/sub</td><td>1</td><td>1</td></tr>" in text


def test_unwritable_report_is_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = RunReport((), 0)
    html_report.sora_lint_run_finished(report=report, settings=Settings({"report": str(tmp_path)}))
    assert "cannot write the HTML report" in capsys.readouterr().err


def test_no_report_without_the_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    html_report.sora_lint_run_finished(report=build_report(tmp_path), settings=Settings({}))
    assert not list(tmp_path.glob("**/*.html"))


# --- the real browser ------------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(f"headless Chromium is not installed ({APT_HINT}); CI installs it")


class Browser:
    """A minimal DevTools-protocol client: one page, its console errors, evaluate, screenshot."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0
        self.errors: list[str] = []
        self.events: list[str] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self._event(message)
        raise TimeoutError(method)

    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method", ""), message.get("params", {})
        self.events.append(method)
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append(json.dumps(params.get("args")))
        elif method == "Runtime.exceptionThrown":
            self.errors.append(json.dumps(params.get("exceptionDetails")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            self.errors.append(params["entry"].get("text", ""))

    def wait_for(self, event: str) -> None:
        deadline = time.monotonic() + 30
        while event not in self.events and time.monotonic() < deadline:
            self._event(json.loads(self.ws.recv()))
        assert event in self.events, f"no {event} within 30 s"

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        return result["result"].get("value")


@pytest.fixture
def browser() -> Iterator[Browser]:
    binary = _chromium()
    websocket = pytest.importorskip(
        "websocket", reason="websocket-client missing (pip install .[test])"
    )
    profile = Path(tempfile.mkdtemp(prefix="sora-lint-chromium-"))
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-dev-shm-usage", "--window-size=1200,900",
        f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0", "about:blank",
    ]  # fmt: skip
    process = subprocess.Popen(
        [binary, *flags], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stderr is not None
        url = ""
        for _ in range(500):
            line = process.stderr.readline()
            match = re.search(r"DevTools listening on (ws://\S+)", line)
            if match:
                url = match.group(1)
                break
            if not line and process.poll() is not None:
                break
        assert url, "Chromium did not start its DevTools endpoint"
        port = url.split(":")[2].split("/")[0]
        targets = json.loads(_http_get(f"http://127.0.0.1:{port}/json/list"))
        page_ws = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        ws = websocket.create_connection(page_ws, timeout=30, suppress_origin=True)
        try:
            yield Browser(ws)
        finally:
            ws.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)


def _http_get(url: str) -> str:
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


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
