"""The ``github`` output leaves no finding out: capped annotations only in a GitHub Actions
step's log, and then every finding as a plain log line too, that no file name can turn into
a workflow command; every file in the step summary."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sora_lint_plugins.reporters import step_summary

from tests.conftest import CliResult

HOSTILE = "::error file=x.png::forged"


@pytest.fixture
def tree(tmp_path: Path, image: Callable[..., Path]) -> Path:
    for index in range(13):
        image(tmp_path / f"w{index:02}.png", size=(600, 400))
    for index in range(12):
        image(tmp_path / f"r{index:02}.jpg", size=(1280, 720), fmt="JPEG", orientation=3)
    image(tmp_path / f"{HOSTILE}.png", size=(600, 400))
    return tmp_path


def _run(cli: Callable[..., CliResult], folder: Path, *args: str) -> CliResult:
    return cli("--target", "1280x720", "--output-format", "github", *args, ".", cwd=folder)


def _commands(out: str) -> list[str]:
    """The lines GitHub's runner acts on: ``::`` commands, none while commands are stopped."""
    acted, token = [], None
    for line in out.splitlines():
        stripped = line.lstrip()
        if token is not None:
            if stripped == f"::{token}::":
                token = None
            continue
        match = re.match(r"::stop-commands::(\S+)$", stripped)
        if match:
            token = match.group(1)
        elif stripped.startswith("::"):
            acted.append(stripped)
    return acted


def test_every_finding_is_annotated_outside_actions(
    tree: Path, cli: Callable[..., CliResult]
) -> None:
    """A terminal or another CI shows them all: 14 errors and 12 warnings."""
    proc = _run(cli, tree)
    commands = _commands(proc.out)
    assert sum(c.startswith("::error ") for c in commands) == 14
    assert sum(c.startswith("::warning ") for c in commands) == 12
    assert not any(c.startswith("::notice") for c in commands)
    assert "stop-commands" not in proc.out
    assert not any("forged" in c and c.startswith("::error file=x.png") for c in commands)


def test_under_actions_annotations_are_capped_and_every_finding_is_logged(
    tree: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    proc = _run(cli, tree)
    commands = _commands(proc.out)
    assert sum(c.startswith("::error ") for c in commands) == 10
    assert sum(c.startswith("::warning ") for c in commands) == 10
    notices = [c for c in commands if c.startswith("::notice::")]
    assert [n.split(" not annotated")[0] for n in notices] == [
        "::notice::4 more errors",
        "::notice::2 more warnings",
    ]
    plain = [line for line in proc.out.splitlines() if re.match(r"^\S.*: SL00\d ", line)]
    assert len(plain) == 26  # every finding, annotated or not
    # The hostile name is printed, but only while commands are stopped: never acted on.
    assert any(HOSTILE in line for line in plain)
    assert not any(c.startswith("::error file=x.png") for c in commands)


def test_with_an_output_file_under_actions_nothing_is_capped(
    tree: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file is not the step's log: GitHub neither reads nor caps it."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    proc = _run(cli, tree, "--output-file", "out.txt")
    assert proc.out == ""
    written = (tree / "out.txt").read_text(encoding="utf-8")
    assert sum(c.startswith("::error ") for c in _commands(written)) == 14


def test_the_step_summary_lists_every_file(
    tree: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tree / "summary.md"
    monkeypatch.setenv(step_summary.ENV, str(summary))
    cli("--target", "1280x720", ".", cwd=tree)
    text = summary.read_text(encoding="utf-8")
    listed = text.split("### Every file (26)", 1)[1]
    rows = [line for line in listed.splitlines() if line.startswith("| ")][1:]
    assert len(rows) == 26
    assert rows[0].startswith(f"| {HOSTILE}.png | 1 | SL001 |")


def test_the_step_summary_stays_under_githubs_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from sora_lint.types import Diagnostic, RunReport, Severity

    diags = tuple(
        Diagnostic("SL001", "size-mismatch", Severity.ERROR, "m", f"folder/{i:06}-{'x' * 60}.png")
        for i in range(20_000)
    )
    text = step_summary.render_summary(RunReport(diags, files_checked=20_000))
    assert len(text.encode("utf-8")) < 1024 * 1024
    assert "more files are not listed" in text
