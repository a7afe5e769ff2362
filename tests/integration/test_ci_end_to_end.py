"""CI outputs through the real command: one run, several reports, on Pillow-made images."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from tests.reporters.test_report_sarif import URI_CHARS, load_schema

Cli = Callable[..., Any]
Img = Callable[..., Path]


@pytest.fixture
def assets(tmp_path: Path, image: Img) -> Path:
    folder = tmp_path / "assets"
    image(folder / "good.png", (1280, 720))
    image(folder / "wide #1.png", (1600, 900))
    image(folder / "sub" / "tall ü.jpg", (700, 1000), fmt="JPEG")
    image(folder / "rotated.jpg", (1280, 720), fmt="JPEG", orientation=6)
    image(folder / "loop.gif", (1280, 720), mode="P", fmt="GIF")
    return tmp_path


def test_one_run_writes_every_report(assets: Path, cli: Cli) -> None:
    reports = ["sarif:r/x.sarif", "junit:r/x.xml", "gitlab:r/gl.json", "json-lines:r/x.jsonl"]
    argv = ["assets", "--output-format", "json", "--report", "r/report.html"]
    for spec in reports:
        argv += ["--output", spec]
    result = cli(*argv, cwd=assets)
    assert result.code == 1, result.err
    objects = result.json
    files = {o.get("asset") or o["path"] for o in objects}
    assert "assets/good.png" not in files and len(files) == 4

    lines = (assets / "r" / "x.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == objects  # same shape as --output-format json

    sarif = json.loads((assets / "r" / "x.sarif").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(load_schema()).iter_errors(sarif)) == []
    results = sarif["runs"][0]["results"]
    assert len(results) == len(objects)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "assets/wide%20%231.png" in uris and "assets/sub/tall%20%C3%BC.jpg" in uris
    assert all(URI_CHARS.match(uri) for uri in uris)
    described = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"SL001", "SL002", "SL006"} <= described

    gitlab = json.loads((assets / "r" / "gl.json").read_text(encoding="utf-8"))
    assert len(gitlab) == len(objects)
    assert len({issue["fingerprint"] for issue in gitlab}) == len(gitlab)

    junit = ET.parse(assets / "r" / "x.xml").getroot()
    names = [case.get("name") for case in junit.iter("testcase")]
    assert sorted(names[:-1]) == sorted(files) and names[-1] == "1 files without findings"

    page = (assets / "r" / "report.html").read_text(encoding="utf-8")
    assert page.count('<article class="card"') == 4
    assert page.count('class="pic thumb"') >= 3  # the GIF may be refused, the others decode


def test_sarif_fingerprints_are_stable_across_runs(assets: Path, cli: Cli) -> None:
    def fingerprints() -> list[str]:
        cli("assets", "--output", "sarif:x.sarif", "-q", cwd=assets)
        sarif = json.loads((assets / "x.sarif").read_text(encoding="utf-8"))
        return [r["partialFingerprints"]["soraLint/v1"] for r in sarif["runs"][0]["results"]]

    first = fingerprints()
    assert first and first == fingerprints()


def test_step_summary_under_actions(
    assets: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = assets / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = cli("assets", "--output-format", "github", cwd=assets)
    assert result.code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## sora-lint") and "### By rule" in text and "| SL001 |" in text


def test_github_annotations_are_capped(
    tmp_path: Path, cli: Cli, image: Img, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under GitHub Actions only; every finding is then a plain log line as well."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for index in range(13):
        image(tmp_path / f"bad{index:02}.png", (100 + index, 100))
    result = cli(".", "--output-format", "github", "--select", "SL001", cwd=tmp_path)
    errors = [line for line in result.out.splitlines() if line.startswith("::error ")]
    assert len(errors) == 10
    assert "::notice::3 more errors not annotated" in result.out
    assert sum(": SL001 error: " in line for line in result.out.splitlines()) == 13


def _has_baseline_options() -> bool:
    return "write-baseline" in PluginHost(build_plugin_manager(autoload=False)).options


@pytest.mark.skipif(not _has_baseline_options(), reason="baseline not wired into the CLI yet")
def test_baseline_adopts_a_failing_repo_then_catches_a_new_image(
    assets: Path, cli: Cli, image: Img
) -> None:
    first = cli("assets", "--write-baseline", "sora-lint-baseline.json", cwd=assets)
    assert first.code == 0, first.out + first.err
    again = cli("assets", "--baseline", "sora-lint-baseline.json", cwd=assets)
    assert again.code == 0, again.out + again.err
    image(assets / "assets" / "new.png", (640, 480))
    caught = cli("assets", "--baseline", "sora-lint-baseline.json", "--output-format", "json")
    assert caught.code == 1
    assert [o["path"] for o in caught.json] == ["assets/new.png"]
    (assets / "assets" / "wide #1.png").unlink()
    stale = cli("assets", "--baseline", "sora-lint-baseline.json")
    assert "stale baseline entr" in stale.out
    pruned = cli("assets", "--baseline", "sora-lint-baseline.json", "--prune-baseline")
    assert "Pruned 1 stale entry" in pruned.out


def test_every_format_over_the_shared_corpus(tmp_path: Path, cli: Cli, corpus: Path) -> None:
    """Files nobody here made (hostile names, broken headers): every report stays valid."""
    argv = [str(corpus), "-q", "--output-format", "json"]
    for spec in ("sarif:x.sarif", "junit:x.xml", "gitlab:gl.json", "json-lines:x.jsonl"):
        argv += ["--output", spec]
    result = cli(*argv, cwd=tmp_path)
    assert result.code in (0, 1), result.err
    objects = result.json
    assert objects
    sarif = json.loads((tmp_path / "x.sarif").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(load_schema()).iter_errors(sarif)) == []
    results = sarif["runs"][0]["results"]
    assert len(results) == len(objects)
    for r in results:
        location = r["locations"][0]["physicalLocation"]
        assert location["region"]["startLine"] >= 1
        assert URI_CHARS.match(location["artifactLocation"]["uri"]) or location["artifactLocation"][
            "uri"
        ].startswith("file:///")
    fingerprints = [r["partialFingerprints"]["soraLint/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)
    lines = (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == objects
    assert len(json.loads((tmp_path / "gl.json").read_text(encoding="utf-8"))) == len(objects)
    ET.parse(tmp_path / "x.xml")
