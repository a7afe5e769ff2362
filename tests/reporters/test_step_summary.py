"""The GitHub step summary: appended only under Actions, counts everything, escapes names."""

from __future__ import annotations

from pathlib import Path

import pytest
from sora_lint_plugins.reporters import step_summary

from sora_lint.types import Diagnostic, RunReport, Settings, Severity


def _d(path: str, code: str = "SL001", severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(code, f"name-{code}", severity, "m", path)


def _run(report: RunReport, summary: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(step_summary.ENV, str(summary))
    step_summary.sora_lint_run_finished(report=report, settings=Settings({}))
    return summary.read_text(encoding="utf-8")


def _rows(text: str, heading: str) -> list[list[str]]:
    """The data rows of the table under ``### heading``."""
    block = text.split(f"### {heading}", 1)[1].split("###", 1)[0]
    rows = [line for line in block.splitlines() if line.startswith("|")][2:]
    return [[c.strip() for c in row.strip("|").split("|")] for row in rows]


def test_tables_count_by_rule_folder_and_offender(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    diags = [_d(f"art/{i}.png") for i in range(12)]
    diags += [_d("art/0.png", "SL006", Severity.WARNING), _d("top.png", "SL002")]
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    text = _run(RunReport(tuple(diags), files_checked=20), summary, monkeypatch)
    assert text.startswith("earlier step\n## sora-lint")  # appended, not replaced
    assert "**13 errors, 1 warnings** in 13 of 20 files checked." in text
    assert "at most 10 annotations" in text
    assert _rows(text, "By rule") == [
        ["SL001", "name-SL001", "12", "0"],
        ["SL002", "name-SL002", "1", "0"],
        ["SL006", "name-SL006", "0", "1"],
    ]
    assert _rows(text, "By folder") == [[".", "1", "1"], ["art", "12", "13"]]
    top = _rows(text, "Top 10 offenders")
    assert len(top) == 10
    assert top[0] == ["art/0.png", "2", "SL001, SL006"]


def test_hostile_names_cannot_break_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "a|b<script>x</script>`*_\n#.png"
    text = _run(RunReport((_d(name),), files_checked=1), tmp_path / "s.md", monkeypatch)
    row = _rows(text, "Top 1 offenders")[0]
    assert len(row) == 3  # the pipe did not add a column
    top = text.split("### Top")[1].split("### Every file")[0]
    assert "<script>" not in text and "\n#" not in top.split("\n", 1)[1]
    assert row[0].startswith("a&#124;b&#60;script&#62;")


def test_clean_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _run(RunReport((), files_checked=3), tmp_path / "s.md", monkeypatch)
    assert "No problems found in 3 files checked." in text
    assert "###" not in text


def test_nothing_written_outside_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(step_summary.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    step_summary.sora_lint_run_finished(report=RunReport((), 0), settings=Settings({}))
    assert list(tmp_path.iterdir()) == []


def test_unwritable_summary_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(step_summary.ENV, str(tmp_path))  # a directory: cannot be opened
    step_summary.sora_lint_run_finished(report=RunReport((), 0), settings=Settings({}))
    assert "cannot write the step summary" in capsys.readouterr().err
