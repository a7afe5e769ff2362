"""The composite GitHub Action: its metadata, and its script run as GitHub would run it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from PIL import Image

ROOT = Path(__file__).parents[2]
SCRIPT = ROOT / "scripts" / "action-run.sh"


def _action() -> dict[str, object]:
    return dict(yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8")))


def test_action_metadata() -> None:
    action = _action()
    inputs = action["inputs"]
    assert isinstance(inputs, dict)
    for name in ("paths", "target", "model", "fail-on", "formats", "sarif-file", "version"):
        assert name in inputs and inputs[name]["description"]
    runs = action["runs"]
    assert isinstance(runs, dict) and runs["using"] == "composite"
    steps = runs["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses == ["github/codeql-action/upload-sarif@v3"]
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach the script through env, never spliced into code (script injection)
            assert "${{" not in step["run"], step["run"]
    assert "scripts/action-run.sh" in steps[0]["run"]


def _image(path: Path, size: tuple[int, int], fmt: str = "PNG") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.linear_gradient("L").resize(size).convert("RGB").save(path, fmt)


def _outputs(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return dict(line.split("=", 1) for line in lines)


def run_action(
    workdir: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    """Run the script as the action's step does; returns the process, outputs and summary."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SORA_LINT_", "GITHUB_"))}
    env["SORA_LINT_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["GITHUB_OUTPUT"] = str(workdir / "github_output")
    env["GITHUB_STEP_SUMMARY"] = str(workdir / "step_summary.md")
    env["SORA_LINT_ACTION_PATH"] = str(ROOT)
    env.setdefault("SORA_LINT_PYTHON", sys.executable)
    for key, value in inputs.items():
        env[f"SORA_LINT_{key.upper()}"] = value
    if inputs.get("python") == "":
        del env["SORA_LINT_PYTHON"]
    proc = subprocess.run(
        ["bash", str(SCRIPT)], cwd=workdir, env=env, capture_output=True, text=True, timeout=600
    )
    summary_path = workdir / "step_summary.md"
    summary = summary_path.read_text(encoding="utf-8") if summary_path.exists() else ""
    return proc, _outputs(workdir / "github_output"), summary


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _image(tmp_path / "assets" / "good.png", (1280, 720))
    _image(tmp_path / "assets" / "wide one.png", (1600, 900))
    _image(tmp_path / "assets" / "tall.jpg", (700, 1000), "JPEG")
    return tmp_path


def test_failing_images_give_annotations_sarif_and_summary(repo: Path) -> None:
    proc, outputs, summary = run_action(repo, paths="assets", formats="sarif,junit")
    assert proc.returncode == 0, proc.stderr  # the last action step fails the job instead
    assert outputs["exit-code"] == "1"
    assert outputs["sarif-file"] == "sora-lint.sarif"
    sarif = json.loads((repo / "sora-lint.sarif").read_text(encoding="utf-8"))
    uris = sorted(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    )
    assert uris == ["assets/tall.jpg", "assets/wide%20one.png"]
    assert re.search(r"^::error file=assets/wide one.png,line=1,title=SL001", proc.stdout, re.M)
    assert "## sora-lint" in summary and "| SL001 |" in summary
    junit = ET.parse(repo / "sora-lint-junit.xml").getroot()
    assert junit.get("failures") == "2"


def test_clean_images_pass(repo: Path) -> None:
    proc, outputs, summary = run_action(repo, paths="assets/good.png", formats="sarif")
    assert proc.returncode == 0, proc.stderr
    assert outputs["exit-code"] == "0"
    assert "No problems found in 1 files checked." in summary


def test_paths_one_per_line_keep_spaces_and_target_and_report(repo: Path) -> None:
    proc, outputs, _ = run_action(
        repo,
        paths="assets/wide one.png\nassets/good.png\n",
        target="1280x720",
        model="sora-2-pro",
        formats="",
        report="out/report.html",
    )
    assert outputs["exit-code"] == "1", proc.stderr  # only "wide one.png" is not 1280x720
    assert "sarif-file" not in outputs
    assert outputs["report"] == "out/report.html"
    assert (repo / "out" / "report.html").read_text(encoding="utf-8").count('class="card"') == 1


@pytest.mark.parametrize(("fail_on", "code"), [("error", "0"), ("warning", "1")])
def test_fail_on_warning(tmp_path: Path, fail_on: str, code: str) -> None:
    path = tmp_path / "alpha.png"
    Image.new("RGBA", (1280, 720), (0, 0, 0, 10)).save(path)  # SL009 transparency: a warning
    _, outputs, _ = run_action(tmp_path, paths="alpha.png", fail_on=fail_on, formats="")
    assert outputs["exit-code"] == code


def test_bad_input_is_exit_2(repo: Path) -> None:
    proc, outputs, _ = run_action(repo, fail_on="sometimes")
    assert proc.returncode == 2 and outputs["exit-code"] == "2"
    assert "fail-on must be error or warning" in proc.stderr
    _, outputs, _ = run_action(repo, paths="assets", target="12x")
    assert outputs["exit-code"] == "2"


@pytest.mark.slow
def test_installs_the_action_checkout_into_a_venv(repo: Path) -> None:
    """What GitHub runs: a fresh venv with ``pip install <action path>``."""
    proc, outputs, _ = run_action(repo, python="", venv=str(repo / "venv"), paths="assets")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert outputs["exit-code"] == "1"
    assert (repo / "venv" / "bin" / "sora-lint").exists()
