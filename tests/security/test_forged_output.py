"""No file name forges an output line: newlines, carriage returns, escape sequences and
bidi overrides from the repository come out as visible escapes in the text format and on
stderr, and stay inside their field in every other format (issue 11, item 5)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import make_image
from tests.security.support import sora_lint

pytestmark = pytest.mark.skipif(os.name != "posix", reason="such names are POSIX-only")

FORGED = "a.png\n::add-mask::secret\n::warning file=x.py,line=1::forged\r::error::"
NAMES = [FORGED + ".png", "ansi\x1b[2Jclear.png", "gnp\u202eexe.png", "bad\udcffbyte.png"]


def test_no_output_format_lets_a_file_name_forge_a_line(tmp_path: Path) -> None:
    for name in NAMES:
        make_image(tmp_path / "assets" / os.fsencode(name).decode("utf-8", "surrogateescape"),
                   size=(640, 360))  # fmt: skip
    outputs = ("github", "junit", "sarif", "json", "json-lines", "gitlab")
    flags = [arg for fmt in outputs for arg in ("--output", f"{fmt}:out/{fmt}")]
    run = sora_lint(*flags, "assets", cwd=tmp_path, env={"PYTHONIOENCODING": "utf-8"})
    assert run.code == 1, run.err
    # text: one line per finding, each starting with the folder; the names escaped visibly
    findings = [line for line in run.lines if ": SL001" in line]
    assert len(findings) == len(NAMES), run.out
    assert all(line.startswith("assets/") for line in findings)
    assert not any(line.startswith("::") for line in run.out.splitlines()), run.out
    for shown in ("\\n::add-mask::secret\\n", "\\r::error::", "\\x1b[2J", "\\u202e", "\\xff"):
        assert shown in run.out
    assert "\x1b" not in run.out and "\u202e" not in run.out and "\r" not in run.out
    # github: each annotation one line, names percent-encoded; no other command
    github = (tmp_path / "out" / "github").read_text().splitlines()
    assert all(line.startswith(("::error ", "::notice::")) for line in github), github
    assert sum(line.startswith("::error ") for line in github) == len(NAMES)
    # the machine formats parse and carry the exact names
    ET.parse(tmp_path / "out" / "junit")
    json.loads((tmp_path / "out" / "sarif").read_text())
    gitlab = json.loads((tmp_path / "out" / "gitlab").read_text())
    assert len(gitlab) == len(NAMES)
    exact = {Path(d["path"]).name for d in json.loads((tmp_path / "out" / "json").read_text())}
    assert FORGED + ".png" in exact
    lines = (tmp_path / "out" / "json-lines").read_text().splitlines()
    assert len(lines) == len(NAMES) and all(json.loads(line) for line in lines)


def test_an_error_message_on_stderr_is_one_line(tmp_path: Path) -> None:
    run = sora_lint("missing\n::error::forged.png", cwd=tmp_path)
    assert run.code == 2
    assert run.err.count("\n") == 1 and "missing\\n::error::forged.png" in run.err, run.err


def test_a_profile_a_config_declares_is_listed_escaped(tmp_path: Path) -> None:
    (tmp_path / "sora-lint.toml").write_text(
        '[profiles.kiosk]\nsizes = ["64x64"]\ndescription = "lobby\\n::error::forged"\n'
    )
    run = sora_lint("profiles", cwd=tmp_path)
    assert run.code == 0 and "lobby\\n::error::forged" in run.out, run.out
    assert not any(line.startswith("::") for line in run.out.splitlines())


def test_the_github_log_lines_under_actions_are_one_line_per_finding(tmp_path: Path) -> None:
    """Under GitHub Actions the github format also prints each finding as a plain log line
    (commands stopped): a name's newline or carriage return must not start a line of its
    own there either."""
    for name in NAMES:
        make_image(tmp_path / "assets" / os.fsencode(name).decode("utf-8", "surrogateescape"),
                   size=(640, 360))  # fmt: skip
    run = sora_lint(
        "--output-format", "github", "assets", cwd=tmp_path,
        env={"GITHUB_ACTIONS": "true", "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert run.code == 1, run.err
    assert "\r" not in run.out and "\x1b" not in run.out and "\u202e" not in run.out, run.out
    lines = run.out.split("\n")
    plain = [line for line in lines if ": SL001 " in line and not line.startswith("::")]
    assert len(plain) == len(NAMES) and all(line.startswith("assets/") for line in plain), lines
    commands = [line for line in lines if line.startswith("::")]
    assert all(line.startswith(("::error ", "::stop-commands::")) for line in commands[:-1])
    assert len(commands) == len(NAMES) + 2, commands  # the annotations, the stop, the resume
