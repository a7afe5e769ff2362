"""The ``gitlab`` reporter: GitLab Code Quality JSON with stable unique fingerprints."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from sora_lint_plugins.reporters import gitlab as report_gitlab

from sora_lint.types import Diagnostic, RunReport, Severity

REQUIRED = {"description": str, "check_name": str, "fingerprint": str, "severity": str}
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _issues(diags: list[Diagnostic]) -> list[dict[str, Any]]:
    stream = io.StringIO()
    report_gitlab.write(RunReport(tuple(diags), files_checked=len(diags)), stream)
    data = json.loads(stream.getvalue())
    assert isinstance(data, list)
    return data


DIAGS = [
    Diagnostic("SL001", "size-mismatch", Severity.ERROR, "10x10, not 1280x720", "a b.png"),
    Diagnostic("SL001", "size-mismatch", Severity.ERROR, "10x10, not 1280x720", "c.png"),
    Diagnostic("SL005", "extension-mismatch", Severity.WARNING, "PNG named .jpg", "x.jpg"),
    Diagnostic("SL003", "unsupported-size", Severity.ERROR, "bad", "jobs.toml", 12, "c.png"),
]


def test_code_quality_shape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    issues = _issues(
        [*DIAGS, Diagnostic("SL004", "unreadable", Severity.ERROR, "m", str(tmp_path / "d/e.png"))]
    )
    for item in issues:
        for key, kind in REQUIRED.items():
            assert isinstance(item[key], kind) and item[key], key
        assert item["severity"] in SEVERITIES
        assert isinstance(item["location"]["path"], str)
        assert isinstance(item["location"]["lines"]["begin"], int)
    assert [i["severity"] for i in issues] == ["major", "major", "minor", "major", "major"]
    assert [i["location"]["lines"]["begin"] for i in issues] == [1, 1, 1, 12, 1]
    assert issues[0]["location"]["path"] == "a b.png"
    assert issues[4]["location"]["path"] == "d/e.png"  # absolute made relative
    assert issues[0]["check_name"] == "SL001 size-mismatch"
    assert "10x10" in issues[0]["description"]


def test_fingerprints_unique_and_stable() -> None:
    first = [i["fingerprint"] for i in _issues(DIAGS)]
    assert len(set(first)) == len(first)
    assert first == [i["fingerprint"] for i in _issues(DIAGS)]


def test_clean_run_is_an_empty_array() -> None:
    assert _issues([]) == []
