"""What the check prints: order, statistics, the grouped format, colour, summaries, warnings."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.conftest import CliResult, sora_lint_env

Key = tuple[str, int, str]


def _jobs_project(root: Path, image: Callable[..., Path]) -> Path:
    """Findings at a job file's lines 3, 7 and 11 that the engine meets as 11, 3, 7 (a
    run-level finding first), and images of their own named out of order."""
    image(root / "z.png", size=(640, 360))
    image(root / "m.png", size=(640, 360))
    image(root / "a.png", size=(800, 800), orientation=6)
    lines = ["{}"] * 11
    lines[2] = json.dumps({"input_reference": "z.png", "size": "1280x720", "prompt": "p"})
    lines[6] = json.dumps({"input_reference": "a.png", "size": "1280x720", "prompt": "p"})
    lines[10] = json.dumps({"model": "sora-3", "prompt": "p"})
    (root / "jobs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "sora-lint.toml").write_text('job-files = ["jobs.jsonl"]\n', encoding="utf-8")
    return root


def _keys(fmt: str, out: str) -> list[Key]:
    """(path, line, code) of each finding, in the order the format lists them."""
    if fmt in ("json", "json-lines"):
        items = json.loads(out) if fmt == "json" else [json.loads(x) for x in out.splitlines()]
        return [(d["path"], d.get("line") or 0, d["code"]) for d in items]
    if fmt == "gitlab":
        return [(d["location"]["path"], d["location"]["lines"]["begin"],
                 d["check_name"].split()[0]) for d in json.loads(out)]  # fmt: skip
    if fmt == "sarif":
        found = []
        for r in json.loads(out)["runs"][0]["results"]:
            where = r["locations"][0]["physicalLocation"]
            found.append((where["artifactLocation"]["uri"], where["region"]["startLine"],
                          r["ruleId"]))  # fmt: skip
        return found
    if fmt == "github":
        pattern = r"^::\w+ file=([^,]+),line=(\d+),title=(SL\d+)"
        return [(p, int(n), c) for p, n, c in re.findall(pattern, out, re.M)]
    if fmt == "grouped":
        found, path = [], ""
        for line in out.splitlines():
            if line and not line.startswith(" ") and line.endswith(":"):
                path = line[:-1]
            elif match := re.match(r"^  +(\d*) ?(?:\([^)]*\))?:? ?(SL\d+)", line):
                found.append((path, int(match.group(1) or 0), match.group(2)))
        return found
    pattern = r"^([^\s:]+)(?::(\d+))?(?: \([^)]*\))?: (SL\d+)"
    return [(p, int(n or 0), c) for p, n, c in re.findall(pattern, out, re.M)]


@pytest.mark.parametrize(
    "fmt", ["text", "grouped", "json", "json-lines", "github", "gitlab", "sarif"]
)
def test_findings_are_sorted_by_path_line_and_code_in_every_format(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult], fmt: str
) -> None:
    root = _jobs_project(tmp_path, image)
    result = cli("z.png", "m.png", "a.png", "jobs.jsonl", "--output-format", fmt, cwd=root)
    no_line = 0 if fmt in ("text", "grouped", "json", "json-lines") else 1
    assert _keys(fmt, result.out) == [
        ("a.png", no_line, "SL006"),
        ("jobs.jsonl", 3, "SL001"),
        ("jobs.jsonl", 7, "SL001"),
        ("jobs.jsonl", 11, "SL013"),
        ("m.png", no_line, "SL001"),
    ], result.out


def test_statistics_is_the_table_alone_with_a_fixable_column(
    tmp_path: Path, image: Callable[..., Path], sora_lint: Run
) -> None:
    for name in ("a", "b", "c"):
        image(tmp_path / f"{name}.png", size=(640, 360))
    image(tmp_path / "r.jpg", size=(1280, 720), orientation=6)
    image(tmp_path / "d.gif", size=(640, 360), frames=2)
    text = sora_lint("--statistics", ".", cwd=tmp_path)
    assert text.returncode == 1 and text.stderr == ""
    assert text.stdout.splitlines() == [
        "5  SL001  [ ] size-mismatch",  # the GIF's cannot be fixed
        "1  SL002  [ ] unsupported-format",
        "1  SL006  [*] exif-orientation",
        "1  SL007  [ ] animated",
        "1  SL008  [ ] color-mode",
        "Found 6 errors and 3 warnings in 5 of 5 files.",
        "[*] 5 fixable with `sora-lint --fix`.",
    ]
    as_json = sora_lint("--statistics", "--output-format", "json", ".", cwd=tmp_path)
    assert json.loads(as_json.stdout)[:3] == [
        {"code": "SL001", "name": "size-mismatch", "count": 5, "fixable": False,
         "fixable_count": 4},
        {"code": "SL002", "name": "unsupported-format", "count": 1, "fixable": False,
         "fixable_count": 0},
        {"code": "SL006", "name": "exif-orientation", "count": 1, "fixable": True,
         "fixable_count": 1},
    ]  # fmt: skip
    unfixable = sora_lint("--statistics", "--output-format", "grouped", "d.gif", cwd=tmp_path)
    assert unfixable.stdout.splitlines()[0] == "1  SL001  size-mismatch"  # no column at all


def test_grouped_lists_each_file_once_with_its_findings_under_it(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    root = _jobs_project(tmp_path, image)
    out = cli("jobs.jsonl", "--output-format", "grouped", cwd=root).out
    head = out.split("\n\n")[1].splitlines()  # after a.png's own finding
    assert head[0] == "jobs.jsonl:"
    assert re.match(r"^   3 \(z\.png\): SL001 \[\*\] ", head[1]), head
    assert head[2].startswith("    hint: crop_bounds")
    assert re.match(r"^  11: SL013 unknown model 'sora-3'", head[-1]), head
    assert out.rstrip().splitlines()[-2:] == [
        "Found 3 errors and 1 warning in 3 of 3 files.",
        "[*] 3 fixable with `sora-lint --fix`.",
    ]


def _on_a_terminal(args: list[str], cwd: Path, **env: str) -> str:
    """What ``sora-lint`` writes when its standard output is a terminal."""
    main, child = pty.openpty()
    try:
        proc = subprocess.Popen(["sora-lint", *args], cwd=cwd, stdout=child,
                                stderr=subprocess.DEVNULL, env=sora_lint_env(**env))  # fmt: skip
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=120)
    finally:
        os.close(main)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_only_and_as_the_environment_says(
    tmp_path: Path, image: Callable[..., Path], sora_lint: Run
) -> None:
    image(tmp_path / "a.png", size=(640, 360))
    args = ["a.png", "--no-cache"]
    coloured = _on_a_terminal(args, tmp_path, TERM="xterm")
    assert "\x1b[1m\x1b[31mSL001\x1b[0m" in coloured and "\x1b[1ma.png\x1b[0m" in coloured
    assert "\x1b[36m[*]\x1b[0m" in coloured and "\x1b[1mFound 1 error" in coloured
    for env in ({"NO_COLOR": "1", "TERM": "xterm"}, {"TERM": "dumb"}):
        assert "\x1b[" not in _on_a_terminal(args, tmp_path, **env), env
    piped = sora_lint(*args, cwd=tmp_path)
    assert "\x1b[" not in piped.stdout and "a.png: SL001" in piped.stdout
    forced = sora_lint(*args, "--output", "text:t.txt", cwd=tmp_path, FORCE_COLOR="1")
    assert "\x1b[1m\x1b[31mSL001" in forced.stdout
    assert "\x1b[" not in (tmp_path / "t.txt").read_text()
    to_file = sora_lint(*args, "--output-file", "r.txt", "--output", "grouped:g.txt",
                        cwd=tmp_path, FORCE_COLOR="1")  # fmt: skip
    assert to_file.stdout == ""
    for name in ("r.txt", "g.txt"):
        written = (tmp_path / name).read_text()
        assert "SL001" in written and "\x1b[" not in written


def test_a_colour_never_lets_a_file_name_write_escapes(
    tmp_path: Path, image: Callable[..., Path], sora_lint: Run
) -> None:
    image(tmp_path / "x\x1b[2Jy.png", size=(640, 360))
    out = sora_lint(".", cwd=tmp_path, FORCE_COLOR="1").stdout
    assert "\x1b[2J" not in out and "SL001" in out


def test_no_files_is_a_warning_on_stderr(tmp_path: Path, sora_lint: Run) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("not an image")
    result = sora_lint("docs", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "All checks passed (0 files checked).\n"
    assert result.stderr == (
        "sora-lint: warning: no files to check under the given paths (see --show-files)\n"
    )
    assert sora_lint("docs", "--quiet", cwd=tmp_path).stderr == ""


def test_write_baseline_says_how_many_it_recorded(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "a.png", size=(640, 360))
    image(tmp_path / "b.png", size=(640, 360), mode="RGBA")
    result = cli(".", "--write-baseline", "base.json", cwd=tmp_path)
    assert result.code == 0
    assert result.out == "Wrote 3 violations to baseline base.json\n"
    assert "All checks passed" not in cli(".", "--write-baseline", "base.json", cwd=tmp_path).out
