"""Configuration: where it is found, what wins, and how bad keys are reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult


@pytest.fixture
def project(tmp_path: Path, image: Callable[..., Path]) -> Path:
    image(tmp_path / "assets" / "wide" / "a.png", size=(1792, 1024))
    image(tmp_path / "assets" / "b.png", size=(1280, 720))
    return tmp_path


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def codes(result: CliResult) -> set[tuple[str, str]]:
    return {(d["path"], d["code"]) for d in result.json}


def test_pyproject_section_is_read(project: Path, cli: Callable[..., CliResult]) -> None:
    write(project / "pyproject.toml", '[tool.sora-lint]\nmodel = "sora-2-pro"\n')
    result = cli("assets", "--output-format", "json", cwd=project)
    assert result.json == []  # 1792x1024 is allowed by sora-2-pro with auto


def test_sora_lint_toml_beats_pyproject_in_the_same_folder(
    project: Path, cli: Callable[..., CliResult]
) -> None:
    write(project / "pyproject.toml", '[tool.sora-lint]\nmodel = "sora-2-pro"\n')
    write(project / "sora-lint.toml", 'model = "sora-2"\n')
    assert ("assets/wide/a.png", "SL001") in codes(
        cli("assets", "--output-format", "json", cwd=project)
    )


def test_nearest_config_wins_and_globs_are_relative_to_it(
    project: Path, cli: Callable[..., CliResult]
) -> None:
    write(project / "sora-lint.toml", 'target = "720x1280"\n')
    write(project / "assets" / "sora-lint.toml", 'target = "1280x720"\nexclude = ["wide/"]\n')
    result = cli(".", "--output-format", "json", cwd=project / "assets")
    assert result.json == []


def test_cli_beats_config(project: Path, cli: Callable[..., CliResult]) -> None:
    write(project / "sora-lint.toml", 'target = "720x1280"\n')
    result = cli("assets/b.png", "--target", "1280x720", "--output-format", "json", cwd=project)
    assert result.json == []


def test_overrides_per_path(project: Path, cli: Callable[..., CliResult]) -> None:
    write(
        project / "sora-lint.toml",
        'target = "1280x720"\n\n[[overrides]]\npaths = ["assets/wide/**"]\n'
        'model = "sora-2-pro"\ntarget = "1792x1024"\n',
    )
    assert cli("assets", "--output-format", "json", cwd=project).json == []


def test_per_file_ignores(project: Path, cli: Callable[..., CliResult]) -> None:
    write(project / "sora-lint.toml", '[per-file-ignores]\n"assets/wide/*" = ["SL001"]\n')
    assert cli("assets", "--output-format", "json", cwd=project).json == []


def test_include_limits_walks(project: Path, cli: Callable[..., CliResult]) -> None:
    write(project / "sora-lint.toml", 'include = ["assets/b.png"]\n')
    result = cli(".", cwd=project)
    assert "All checks passed (1 file checked)." in result.out


def test_isolated_ignores_config(project: Path, cli: Callable[..., CliResult]) -> None:
    write(project / "sora-lint.toml", 'model = "sora-2-pro"\n')
    assert cli("assets", "--isolated", "--output-format", "json", cwd=project).json != []


def test_explicit_config_path(project: Path, cli: Callable[..., CliResult]) -> None:
    write(project / "other.toml", 'model = "sora-2-pro"\n')
    result = cli("assets", "--config", "other.toml", "--output-format", "json", cwd=project)
    assert result.json == []


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('modle = "sora-2"\n', "unknown key 'modle' (did you mean 'model'?); allowed: model"),
        ('fix_mode = "pad"\n', "unknown key 'fix_mode' (did you mean 'fix-mode'?); allowed:"),
        ('model = "veo-9"\n', "unknown model 'veo-9' (did you mean 'veo-3'?); allowed: hailuo-2.3"),
        ('target = "1792x1024"\n', "target: 1792x1024 is not a size sora-2 allows"),
        ('target = "big"\n', "target: 'big' is not a size"),
        ("max-pixels = 0\n", "max-pixels: expected a positive integer"),
        ('select = ["SL9"]\n', "unknown rule code or prefix 'SL9'"),
        ('[[overrides]]\npaths = []\ntarget = "1280x720"\n', "overrides[0].paths"),
        ('[[overrides]]\npaths = ["x"]\nsize = "1280x720"\n', "unknown key 'size'; allowed: paths"),
        ('[[overrides]]\npaths = ["x"]\ntarget = "1792x1024"\n', "overrides[0].target: 1792x1024"),
        ("model = \n", "invalid TOML"),
        ('fail-on = "info"\n', "'info' is not one of: error, warning"),
    ],
)
def test_config_errors_exit_2_naming_the_key(
    project: Path, cli: Callable[..., CliResult], text: str, needle: str
) -> None:
    write(project / "sora-lint.toml", text)
    result = cli("assets", cwd=project)
    assert result.code == 2
    assert needle in result.err, result.err
    assert result.err.count("\n") == 1


def test_missing_explicit_config(project: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("--config", "nope.toml", cwd=project)
    assert result.code == 2 and "nope.toml: no such file" in result.err
