"""Fixtures of the reporter tests: the HTML report's page written in a temporary folder, and a
headless Chromium to load it in (skipped with a reason where none is installed)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sora_lint_plugins.reporters.html import report as html_report

from sora_lint.types import Settings
from tests.reporters.chromium_support import Browser
from tests.reporters.html_support import build_report

APT_HINT = "apt-get install -y chromium"


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    report = build_report(tmp_path)
    target = tmp_path / "out" / "report.html"
    html_report.sora_lint_run_finished(report=report, settings=Settings({"report": str(target)}))
    return target


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(f"headless Chromium is not installed ({APT_HINT}); CI installs it")


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
