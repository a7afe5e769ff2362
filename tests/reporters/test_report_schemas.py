"""Every machine-readable format of a real run, against its schema.

``json`` and ``json-lines`` against the schema the package publishes
(``sora_lint/output/report.schema.json``), ``sarif`` against the official SARIF 2.1.0 schema,
``gitlab`` against GitLab's Code Quality format, ``junit`` as the XML shape CI tools read.
One run per sample project writes every format at once (``--output FORMAT:PATH``).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sora_lint.cli.command import main
from tests.conftest import make_image
from tests.reporters.test_report_sarif import load_schema as load_sarif_schema

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FORMATS = {"json": "a.json", "json-lines": "b.jsonl", "sarif": "c.sarif", "gitlab": "d.json",
           "junit": "e.xml"}  # fmt: skip

#: GitLab's Code Quality report (docs.gitlab.com/ci/testing/code_quality): what the merge
#: request widget reads from each issue.
GITLAB_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "type": {"const": "issue"},
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "categories": {"type": "array", "items": {"type": "string"}},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^/"}},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def report_schema() -> dict[str, Any]:
    """The schema as installed with the package (package data, not a repository file)."""
    text = resources.files("sora_lint.output").joinpath("report.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def _validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)  # type: ignore[no-any-return]


def _errors(schema: dict[str, Any], value: Any) -> list[str]:
    return [error.message for error in _validator(schema).iter_errors(value)]


def _run_all_formats(cwd: Path, out: Path, *paths: str) -> dict[str, str]:
    """One in-process run in ``cwd`` writing every format to ``out``."""
    outputs = [f"--output={name}:{out / file}" for name, file in FORMATS.items()]
    args = ["--no-cache", "--exit-zero", "-q", f"--output-file={out / 'main.txt'}", *outputs]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        patch.setenv("SORA_LINT_DISABLE_PLUGIN_AUTOLOAD", "1")
        patch.delenv("GITHUB_STEP_SUMMARY", raising=False)
        assert main([*args, *paths]) == 0
    return {name: (out / file).read_text("utf-8") for name, file in FORMATS.items()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    """Every format of three runs: the job-file sample project, the bad and good examples and
    a tree of hostile file names."""
    tmp_path = tmp_path_factory.mktemp("schemas")
    hostile = tmp_path / "hostile"
    for name in ('quote"and\\back.png', "ünï/日本.jpg", "bad\udcff.png", "a&b<c>.webp"):
        make_image(hostile / name, (640, 480), fmt="WEBP" if name.endswith("webp") else None)
    samples = [(EXAMPLES / "jobs", ["."]), (EXAMPLES, ["bad", "good"]), (hostile, ["."])]
    return [
        _run_all_formats(cwd, tmp_path / f"out{index}", *paths)
        for index, (cwd, paths) in enumerate(samples)
    ]


def test_json_and_json_lines_follow_the_published_schema(runs: list[dict[str, str]]) -> None:
    schema = report_schema()
    item_schema = {**schema, "$ref": "#/$defs/diagnostic", "type": "object"}
    del item_schema["items"]
    seen: set[str] = set()
    for written in runs:
        array = json.loads(written["json"])
        assert array, "every sample has findings"
        assert _errors(schema, array) == []
        lines = [json.loads(line) for line in written["json-lines"].splitlines()]
        assert lines == array  # one object per line, the same shape
        for item in lines:
            assert _errors(item_schema, item) == []
            seen.update(item)
            assert all("data" not in fix for fix in item["fixes"])
    # The samples exercise every key the schema names.
    assert seen >= set(schema["$defs"]["diagnostic"]["properties"])


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(severity="fatal"), "fatal"),
        (lambda d: d.pop("fixes"), "fixes"),
        (lambda d: d.update(size="12 by 7"), "12 by 7"),
        (lambda d: d["fixes"][0].update(applicability="maybe"), "maybe"),
        (lambda d: d.update(crop_bounds={"left_fraction": 2}), "required"),
    ],
)
def test_the_schema_rejects_a_broken_report(
    runs: list[dict[str, str]], change: Callable[[dict[str, Any]], object], words: str
) -> None:
    array = json.loads(runs[1]["json"])
    change(array[0])
    errors = _errors(report_schema(), array)
    assert errors and any(words in error for error in errors), errors


def test_sarif_follows_the_official_schema(runs: list[dict[str, str]]) -> None:
    validator = jsonschema.Draft4Validator(load_sarif_schema())
    diagnostic = report_schema()["$defs"]["diagnostic"]
    properties = {**diagnostic, "required": ["fixes"], "$defs": report_schema()["$defs"]}
    for written in runs:
        log = json.loads(written["sarif"])
        assert sorted(validator.iter_errors(log), key=str) == []
        results = log["runs"][0]["results"]
        assert len(results) == len(json.loads(written["json"]))
        for result in results:
            assert _errors(properties, result["properties"]["soraLint"]) == []


def test_gitlab_follows_code_quality(runs: list[dict[str, str]]) -> None:
    for written in runs:
        issues = json.loads(written["gitlab"])
        assert _errors(GITLAB_SCHEMA, issues) == []
        fingerprints = [issue["fingerprint"] for issue in issues]
        assert len(set(fingerprints)) == len(fingerprints) == len(json.loads(written["json"]))


def test_junit_has_the_shape_ci_reads(runs: list[dict[str, str]]) -> None:
    for written in runs:
        text = written["junit"]
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
        root = ET.fromstring(text.split("\n", 1)[1])
        assert root.tag == "testsuites"
        (suite,) = root
        assert suite.tag == "testsuite"
        cases = suite.findall("testcase")
        assert [child.tag for child in suite] == ["properties"] + ["testcase"] * len(cases)
        failed = [case for case in cases if case.find("failure") is not None]
        for element in (root, suite):
            assert element.get("tests") == str(len(cases))
            assert element.get("failures") == str(len(failed))
        for case in cases:
            assert case.get("name") and case.get("classname", "").startswith("sora-lint")
            assert {child.tag for child in case} <= {"failure", "system-out"}
        assert sum(len((c.findtext("failure") or "").splitlines()) for c in failed) == sum(
            1 for d in json.loads(written["json"]) if d["severity"] == "error"
        )


def test_every_format_is_valid_utf8_with_hostile_names(runs: list[dict[str, str]]) -> None:
    """An undecodable byte in a file name is escaped, never written as invalid UTF-8."""
    written = runs[2]
    paths = {d["path"] for d in json.loads(written["json"])}
    assert "bad\udcff.png" in paths and 'quote"and\\back.png' in paths
    assert "ünï/日本.jpg" in paths  # written as UTF-8, read back the same
    for text in written.values():
        text.encode("utf-8")
