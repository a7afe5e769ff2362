"""The HTML report's page, written in-process: escaped, without script, its summary tables, and
no page without --report."""

from __future__ import annotations

from pathlib import Path

import pytest
from sora_lint_plugins.reporters.html import report as html_report

from sora_lint.types import RunReport, Settings
from tests.reporters.html_support import build_report


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
