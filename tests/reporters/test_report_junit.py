"""The ``junit`` reporter: well-formed JUnit XML, one test case per offending asset."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from sora_lint_plugins.reporters import junit as report_junit

from sora_lint.types import Diagnostic, RunReport, Severity

HOSTILE = [
    ("a&b<c>.png", "a&b<c>.png"),
    ("quote\"'.png", "quote\"'.png"),
    ("ctrl\x01\x1b.png", "ctrl\\x01\\x1b.png"),  # shown as escapes, as in every text format
    ("bad\udcff.png", "bad\\xff.png"),
    ("gnp\u202eexe.png", "gnp\\u202eexe.png"),
    ("dir/ü 日本.png", "dir/ü 日本.png"),
]


def _xml(diags: list[Diagnostic], files_checked: int) -> ET.Element:
    stream = io.StringIO()
    report_junit.write(RunReport(tuple(diags), files_checked=files_checked), stream)
    text = stream.getvalue()
    text.encode("utf-8")  # writable to any UTF-8 file: no lone surrogate escaped
    return ET.fromstring(text.split("\n", 1)[1])


def _d(code: str, severity: Severity, path: str, **extra: object) -> Diagnostic:
    return Diagnostic(code, code.lower(), severity, f"message of {code}", path, **extra)  # type: ignore[arg-type]


def test_structure_and_counts() -> None:
    diags = [
        _d("SL001", Severity.ERROR, "a.png"),
        _d("SL006", Severity.WARNING, "a.png"),
        _d("SL005", Severity.WARNING, "w.jpg"),
        _d("SL003", Severity.ERROR, "jobs.toml", line=4, asset="sub/b.png"),
    ]
    root = _xml(diags, files_checked=10)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    names = [c.get("name") for c in cases]
    assert names == ["a.png", "sub/b.png", "w.jpg", "7 files without findings"]
    assert suite.get("tests") == "4" and suite.get("failures") == "2"
    assert root.get("tests") == "4" and root.get("failures") == "2"
    by_name = {c.get("name"): c for c in cases}
    failure = by_name["a.png"].find("failure")
    assert failure is not None and failure.get("type") == "SL001"
    assert "SL001" in (failure.text or "") and "SL006" not in (failure.text or "")
    assert "SL006" in (by_name["a.png"].findtext("system-out") or "")
    assert by_name["w.jpg"].find("failure") is None
    assert "jobs.toml:4" in (by_name["sub/b.png"].findtext("failure") or "")
    assert by_name["sub/b.png"].get("classname") == "sora-lint.sub"
    prop = suite.find("properties/property")
    assert prop is not None and prop.get("value") == "10"


@pytest.mark.parametrize("files_checked", [0, 5])
def test_clean_run_still_has_a_passing_case(files_checked: int) -> None:
    root = _xml([], files_checked=files_checked)
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 1 and cases[0].find("failure") is None
    assert root.get("failures") == "0"


@pytest.mark.parametrize(("name", "shown"), HOSTILE)
def test_hostile_file_names_give_well_formed_xml(name: str, shown: str) -> None:
    root = _xml([_d("SL001", Severity.ERROR, name)], files_checked=1)
    (case,) = root.findall("testsuite/testcase")
    assert case.get("name") == shown
    assert shown in (case.findtext("failure") or "")
