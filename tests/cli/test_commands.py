"""Sub-commands as ruff has them: ``check`` by default, each command with its own options."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from sora_lint import __version__
from tests.cli.conftest import Run
from tests.conftest import CliResult


@pytest.fixture
def tree(tmp_path: Path, image: Callable[..., Path]) -> Path:
    image(tmp_path / "assets" / "b_wide.png", size=(1920, 1080))
    image(tmp_path / "assets" / "a_rot.jpg", size=(1280, 720), orientation=6)
    image(tmp_path / "profiles" / "square.png", size=(500, 500))
    return tmp_path


def test_check_is_the_default_command(tree: Path, sora_lint: Run) -> None:
    for args in (["assets"], ["--output-format", "json", "assets"]):
        plain, checked = sora_lint(*args, cwd=tree), sora_lint("check", *args, cwd=tree)
        assert plain.returncode == checked.returncode == 1
        assert plain.stdout == checked.stdout and "assets/b_wide.png" in plain.stdout
        assert plain.stderr == checked.stderr == ""


def test_a_folder_named_like_a_command_is_checked_with_check_or_a_path(
    tree: Path, sora_lint: Run
) -> None:
    listed = sora_lint("profiles", cwd=tree)
    assert listed.returncode == 0 and "sora-2-pro" in listed.stdout
    for args in (["check", "profiles"], ["./profiles"]):
        result = sora_lint(*args, cwd=tree)
        assert result.returncode == 1, result.stderr
        assert "profiles/square.png: SL001" in result.stdout


def test_the_pre_commit_hooks_call_check() -> None:
    hooks = yaml.safe_load((Path(__file__).parents[2] / ".pre-commit-hooks.yaml").read_text())
    assert [hook["entry"].split()[:2] for hook in hooks] == [["sora-lint", "check"]] * 2


def test_info_commands_take_their_own_options(tree: Path, sora_lint: Run) -> None:
    rules = sora_lint("rules", "--output-format=json", cwd=tree)
    assert rules.returncode == 0 and json.loads(rules.stdout)[0]["code"] == "SL001"
    rule = sora_lint("rule", "-p", "no:html_report", "SL001", cwd=tree)
    assert rule.returncode == 0 and rule.stdout.startswith("# size-mismatch (SL001)")
    one = json.loads(sora_lint("rule", "SL006", "--output-format", "json", cwd=tree).stdout)
    assert one["name"] == "exif-orientation" and "## What it does" in one["doc"]
    every = sora_lint("rule", "--all", cwd=tree).stdout
    assert every.count("\n# ") == every.count("Severity: ") - 1 >= 22
    profiles = json.loads(sora_lint("profiles", "--output-format", "json", cwd=tree).stdout)
    assert "sora-2" in {p["name"] for p in profiles}


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ([], "usage: sora-lint [check] [OPTIONS] [PATH ...]"),
        (["check"], "usage: sora-lint [check] [OPTIONS] [PATH ...]"),
        (["rule"], "usage: sora-lint rule CODE | --all"),
        (["rules"], "usage: sora-lint rules"),
        (["profiles"], "usage: sora-lint profiles"),
        (["clean"], "usage: sora-lint clean"),
    ],
)
def test_every_command_has_its_help(
    tmp_path: Path, sora_lint: Run, command: list[str], usage: str
) -> None:
    result = sora_lint(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith(usage + "\n")
    assert "--output-format" in result.stdout


def test_help_is_grouped_with_values_and_exit_codes(tmp_path: Path, sora_lint: Run) -> None:
    out = sora_lint("--help", cwd=tmp_path).stdout
    words = " ".join(out.split())
    sections = [line[:-1] for line in out.splitlines() if line and line[0] != " " and ":" in line]
    expected = ["targets: what each image must suit", "rule selection", "fixing", "output",
                "performance", "options of plugin pad", "configuration", "exit codes"]  # fmt: skip
    for title in expected:
        assert title in sections, sections
    assert "one of: github, gitlab, grouped, json, json-lines, junit, sarif, text" in words
    assert "--fix-mode {pad,cover,stretch}" not in words  # the metavar says MODE
    assert "one of: pad, cover, stretch" in words
    assert "--[no-]fix " in out and "--no-cache, --cache" in out
    assert "  2    usage, configuration or plugin error" in out
    assert out.index("--pad-color") > out.index("performance:")  # a plugin's own section


def test_version(tmp_path: Path, sora_lint: Run) -> None:
    for flag in ("-V", "--version"):
        result = sora_lint(flag, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (0, f"sora-lint {__version__}\n")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--fixx"], "unrecognized arguments: --fixx (did you mean --fix?)"),
        (["--stat"], "unrecognized arguments: --stat (did you mean --statistics?)"),
        (["--jpeg-qualty=80"], "--jpeg-qualty=80 (did you mean --jpeg-quality?)"),
        (["rules", "--output-fromat", "json"], "(did you mean --output-format?)"),
        (["rule", "SL0001"], "unknown rule 'SL0001' (did you mean 'SL001'?)"),
        (["rule", "size-mismatc"], "(did you mean 'size-mismatch'?)"),
        (["rule"], "give a rule code or name"),
        (["rule", "SL001", "--all"], "give a rule code or name"),
        (["rules", "--output-format", "jsn"], "'jsn' is not one of: text, json (did you mean"),
        (["--model", "sora2"], "unknown model 'sora2' (did you mean 'sora-2'?)"),
        (["--select", "SL0001"], "unknown rule code or prefix 'SL0001' (did you mean 'SL001'?)"),
        (["--output-format", "grupd"], "(did you mean 'grouped'?)"),
        (["--fix-mode", "cvoer"], "'cvoer' is not one of: pad, cover, stretch (did you mean"),
        (["--statistics", "--output-format", "sarif"], "has no statistics form; use one of:"),
    ],
)
def test_usage_errors_suggest_what_was_meant(
    tmp_path: Path, cli: Callable[..., CliResult], args: list[str], needle: str
) -> None:
    result = cli(*args, cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert needle in result.err, result.err
    assert result.err.startswith("sora-lint: error: ") and result.err.count("\n") == 1


def test_no_abbreviations(tmp_path: Path, image: Callable[..., Path], sora_lint: Run) -> None:
    """argparse used to take ``--stat`` for ``--statistics`` (and any unique prefix)."""
    image(tmp_path / "a.png", size=(64, 64))
    for prefix in ("--stat", "--exit-z", "--fix-m"):
        result = sora_lint(prefix, "a.png", cwd=tmp_path)
        assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def test_config_key_typos_are_answered(tmp_path: Path, sora_lint: Run) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\nfix_mode = "cover"\n')
    result = sora_lint(cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown key 'fix_mode' (did you mean 'fix-mode'?)" in result.stderr


@pytest.mark.parametrize(
    ("config", "cli_args", "check"),
    [
        ("quiet = true", ["--no-quiet"], lambda out: "Found 1 error" in out),
        ("statistics = true", ["--no-statistics"], lambda out: "a.png: SL001" in out),
        ("exit-zero = true", ["--no-exit-zero"], None),
        ("diff = true", ["--no-diff"], lambda out: "Would fix" not in out),
    ],
)
def test_the_command_line_turns_off_what_config_turned_on(
    tmp_path: Path,
    image: Callable[..., Path],
    cli: Callable[..., CliResult],
    config: str,
    cli_args: list[str],
    check: Callable[[str], bool] | None,
) -> None:
    image(tmp_path / "a.png", size=(640, 360))
    (tmp_path / "sora-lint.toml").write_text(config + "\n")
    on = cli("a.png", cwd=tmp_path)
    off = cli("a.png", *cli_args, cwd=tmp_path)
    assert off.code == 1
    if check is None:
        assert on.code == 0
    else:
        assert not check(on.out) and check(off.out), (on.out, off.out)


def test_no_cache_and_its_opposite(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    path = image(tmp_path / "a.png", size=(640, 360))
    os.utime(path, (1_000_000_000, 1_000_000_000))  # settled: a fresh file is never cached
    (tmp_path / "sora-lint.toml").write_text("no-cache = true\n")
    cli("a.png", cwd=tmp_path)
    assert not (tmp_path / ".sora-lint-cache").exists()
    cli("a.png", "--cache", cwd=tmp_path)
    assert (tmp_path / ".sora-lint-cache" / "CACHEDIR.TAG").is_file()
