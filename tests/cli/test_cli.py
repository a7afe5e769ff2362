"""The command as a user runs it: exit codes, output formats, usage errors, info commands."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sora_lint import __version__
from tests.conftest import CliResult, sora_lint_env


@pytest.fixture
def tree(tmp_path: Path, image: Callable[..., Path]) -> Path:
    image(tmp_path / "assets" / "good.png", size=(1280, 720))
    image(tmp_path / "assets" / "wide.png", size=(1920, 1080))
    image(tmp_path / "assets" / "rot.jpg", size=(720, 1280), orientation=3)
    return tmp_path


def test_text_output_is_concise_with_summary(tree: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("assets", cwd=tree)
    assert result.code == 1
    lines = result.out.splitlines()
    assert any(line.startswith("assets/wide.png: SL001") for line in lines)
    assert any(line.startswith("assets/rot.jpg: SL006") for line in lines)
    assert "Found 1 error and 1 warning in 2 of 3 files." in result.out
    assert "good.png" not in result.out


def test_default_path_is_the_working_directory(tree: Path, cli: Callable[..., CliResult]) -> None:
    assert "assets/wide.png: SL001" in cli(cwd=tree).out


def test_warnings_alone_pass_unless_fail_on_warning(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "rot.jpg", size=(1280, 720), orientation=3)
    assert cli("rot.jpg", cwd=tmp_path).code == 0
    assert cli("rot.jpg", "--fail-on", "warning", cwd=tmp_path).code == 1


def test_exit_zero(tree: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("assets", "--exit-zero", cwd=tree)
    assert result.code == 0 and "SL001" in result.out


def test_quiet_drops_the_summary(tree: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("assets", "--quiet", cwd=tree)
    assert "Found" not in result.out and "SL001" in result.out


def test_statistics(tree: Path, cli: Callable[..., CliResult]) -> None:
    out = cli("assets", "--statistics", cwd=tree).out
    assert out.splitlines()[:2] == ["1  SL001  [*] size-mismatch", "1  SL006  [*] exif-orientation"]
    assert "assets/wide.png" not in out  # the table alone, as ruff prints it


def test_json_output(tree: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("assets", "--output-format", "json", cwd=tree)
    data = result.json
    assert isinstance(data, list)
    by_code = {item["code"]: item for item in data}
    assert by_code["SL001"]["path"] == "assets/wide.png"
    assert by_code["SL001"]["size"] == "1920x1080"
    assert by_code["SL001"]["target"] == "1280x720"
    assert by_code["SL006"]["severity"] == "warning"
    for item in data:
        assert {"path", "code", "name", "severity", "message"} <= item.keys()


def test_github_output(tree: Path, cli: Callable[..., CliResult]) -> None:
    out = cli("assets", "--output-format", "github", cwd=tree).out
    assert "::error file=assets/wide.png,line=1,title=SL001 size-mismatch::" in out
    assert "::warning file=assets/rot.jpg,line=1,title=SL006 exif-orientation::" in out


def test_github_annotations_are_capped(
    tmp_path: Path,
    image: Callable[..., Path],
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under GitHub Actions only (tests/reporters/test_report_github.py has the rest)."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for index in range(13):
        image(tmp_path / f"w{index:02}.png", size=(64, 64))
    out = cli(".", "--output-format", "github", cwd=tmp_path).out
    assert out.count("::error ") == 10
    assert "::notice::3 more errors not annotated" in out


def test_output_to_files_in_one_run(tree: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("assets", "--output", "json:out/report.json", cwd=tree)
    assert "SL001" in result.out  # text on the terminal
    data = json.loads((tree / "out" / "report.json").read_text())
    assert {item["code"] for item in data} == {"SL001", "SL006"}
    cli("assets", "--output-format", "json", "--output-file", "r.json", cwd=tree)
    assert json.loads((tree / "r.json").read_text()) == data


def test_select_and_ignore(tree: Path, cli: Callable[..., CliResult]) -> None:
    assert {d["code"] for d in cli("assets", "--select", "SL006", "--output-format", "json",
                                   cwd=tree).json} == {"SL006"}  # fmt: skip
    result = cli("assets", "--ignore", "SL001", "--output-format", "json", cwd=tree)
    assert {d["code"] for d in result.json} == {"SL006"}
    assert result.code == 0
    prefix = cli("assets", "--ignore", "SL00", "--output-format", "json", cwd=tree)
    assert prefix.json == []
    specific = cli("assets", "--ignore", "SL00", "--extend-select", "SL001",
                   "--output-format", "json", cwd=tree)  # fmt: skip
    assert {d["code"] for d in specific.json} == {"SL001"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--target", "12x"], "--target: '12x' is not a size"),
        (
            ["--target", "1792x1024"],
            "1792x1024 is not a size sora-2 allows; allowed: 1280x720, 720x1280",
        ),
        (
            ["--model", "sora-3"],
            "unknown model 'sora-3' (did you mean 'sora-2'?); allowed: hailuo-2.3, kling-2",
        ),
        (["--select", "XX9"], "unknown rule code or prefix 'XX9'"),
        (["--output-format", "yaml"], "unknown format 'yaml'; allowed:"),
        (["--fail-on", "info"], "'info' is not one of: error, warning"),
        (["--max-pixels", "-3"], "--max-pixels: expected a positive integer"),
        (["--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (["missing/"], "missing/: no such file or directory"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    tree: Path, cli: Callable[..., CliResult], args: list[str], needle: str
) -> None:
    result = cli(*args, cwd=tree)
    assert result.code == 2
    assert result.out == ""
    assert needle in result.err
    assert result.err.count("\n") == 1 and result.err.startswith("sora-lint: error: ")


def test_pro_size_with_pro_model(tree: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("assets/good.png", "--model", "sora-2-pro", "--target", "1792x1024", cwd=tree)
    assert result.code == 1 and "1792x1024" in result.out


def test_rules_command_lists_every_rule(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = cli("rules", cwd=tmp_path)
    assert result.code == 0
    for code in [f"SL{n:03}" for n in range(1, 12)]:
        assert code in result.out
    data = cli("rules", "--output-format", "json", cwd=tmp_path).json
    assert [r["code"] for r in data] == sorted(r["code"] for r in data)


@pytest.mark.parametrize("wanted", ["SL001", "sl001", "size-mismatch"])
def test_rule_command_shows_the_doc(
    cli: Callable[..., CliResult], tmp_path: Path, wanted: str
) -> None:
    result = cli("rule", wanted, cwd=tmp_path)
    assert result.code == 0
    assert result.out.startswith("# size-mismatch (SL001)")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## How to fix"):
        assert section in result.out
    assert "no crop parameter" in result.out


def test_rule_command_unknown(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = cli("rule", "SL999", cwd=tmp_path)
    assert result.code == 2 and "known: SL001" in result.err


def test_profiles_command(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = cli("profiles", cwd=tmp_path)
    assert result.code == 0
    assert "sora-2 (default, RETIRED)" in result.out and "1792x1024" in result.out
    assert "VideoSize" in result.out and "checked:" in result.out


def test_version(
    cli: Callable[..., CliResult], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli("--version", cwd=tmp_path)
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_real_subprocess_json_on_a_tree(tree: Path) -> None:
    """The installed console script, as CI runs it."""
    proc = subprocess.run(
        ["sora-lint", "assets", "--target", "1280x720", "--output-format", "json"],
        cwd=tree, capture_output=True, text=True, env=sora_lint_env(), timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    codes = {(d["path"], d["code"]) for d in json.loads(proc.stdout)}
    assert ("assets/wide.png", "SL001") in codes
    assert ("assets/rot.jpg", "SL001") in codes  # 720x1280 is not 1280x720


def test_python_dash_m(tree: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "sora_lint", "assets/good.png"],
        cwd=tree, capture_output=True, text=True, env=sora_lint_env(), timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All checks passed (1 file checked)." in proc.stdout


#: The console script with an ``atexit`` handler (as a plugin or coverage registers one),
#: which must still run when the process skips the interpreter's teardown.
_WITH_ATEXIT = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('atexit ran', file=sys.stderr))\n"
    "sys.argv = ['sora-lint', *sys.argv[1:]]\n"
    "from sora_lint.cli import console_main\n"
    "console_main()\n"
)


@pytest.mark.parametrize(
    ("args", "code", "last_line", "unbuffered"),
    [
        (["assets", "--target", "1280x720"], 1, "[*] ", ""),
        (["assets", "--target", "1280x720", "--exit-zero"], 0, "[*] ", "1"),
        (["assets", "--target", "1280x720", "--output-format", "json"], 1, "]", "1"),
        (["--no-such-option"], 2, None, ""),
    ],
)
def test_exit_without_teardown_keeps_output_code_and_atexit(
    tree: Path, args: list[str], code: int, last_line: str | None, unbuffered: str
) -> None:
    """Everything is written (the report gathered in chunks even where standard output is
    unbuffered), the exit code is the run's, and ``atexit`` handlers run."""
    env = sora_lint_env(PYTHONUNBUFFERED=unbuffered)
    proc = subprocess.run(
        [sys.executable, "-c", _WITH_ATEXIT, *args],
        cwd=tree, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert proc.stderr.endswith("atexit ran\n")
    if last_line is not None:
        assert proc.stdout.splitlines()[-1].startswith(last_line), proc.stdout


def test_diff_lists_the_change_with_its_box_and_writes_nothing(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    path = image(tmp_path / "b.png", size=(1920, 1000))
    before = path.read_bytes()
    result = cli("b.png", "--diff", "--fix-mode", "cover", cwd=tmp_path)
    assert result.code == 1
    assert (
        "Would fix b.png: 1920x1000 -> 1280x720 (cover); crop box (71, 0, 1849, 1000)" in result.out
    )
    assert path.read_bytes() == before


def test_held_back_fixes_name_the_flag_that_applies_them(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "t.png", size=(1280, 720), mode="RGBA")
    result = cli("t.png", "--fix", cwd=tmp_path)
    assert "1 more fix available with --flatten" in result.out
    flattened = cli("t.png", "--fix", "--flatten", "--output-format", "json", cwd=tmp_path)
    assert flattened.json == [] and flattened.code == 0
    assert cli("t.png", "--output-format", "json", cwd=tmp_path).json == []


def test_animated_images_say_why_they_were_not_fixed(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "a.png", size=(640, 360), frames=2)
    result = cli("a.png", "--fix", cwd=tmp_path)
    assert "a.png: not fixed:" in result.out
    assert result.code == 1


def test_no_fix_is_promised_for_a_file_fix_would_refuse(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "a.gif", size=(640, 360), frames=2)
    image(tmp_path / "b.png", size=(640, 360))
    result = cli(".", cwd=tmp_path)
    assert "a.gif: SL001 Inpaint" in result.out  # no [*]
    assert "b.png: SL001 [*] Inpaint" in result.out
    assert "[*] 1 fixable with `sora-lint --fix`." in result.out
    data = cli("a.gif", "--output-format", "json", cwd=tmp_path).json
    (sl001,) = [d for d in data if d["code"] == "SL001"]
    assert [f["applicability"] for f in sl001["fixes"]] == ["display-only"]
    assert set(sl001["crop_bounds"]) == {
        "left_fraction",
        "top_fraction",
        "right_fraction",
        "bottom_fraction",
    }


def test_a_run_collects_garbage_rarely_and_restores_the_threshold(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """main() raises the collector's first threshold for the run, for a caller's process
    (a test, an embedding program) leaves it as it was, whatever the run's outcome."""
    import gc

    from sora_lint.cli import command as cli

    seen: list[tuple[int, int, int]] = []
    real_main = cli._main

    def spy(args: list[str], plugins: object) -> int:
        seen.append(gc.get_threshold())
        return real_main(args, plugins)  # type: ignore[arg-type]

    monkeypatch.chdir(tree)
    monkeypatch.setattr(cli, "_main", spy)
    before = gc.get_threshold()
    assert cli.main(["--exit-zero", "-q", "."]) == 0
    assert cli.main(["--model", "no-such-model", "."]) == 2
    assert seen[0][0] == max(cli.GC_THRESHOLD, before[0]) and seen[0][1:] == before[1:]
    assert gc.get_threshold() == before
