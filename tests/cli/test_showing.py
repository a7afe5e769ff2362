"""``--show-settings`` and ``--show-files``: the config, root and files a run would use."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run
from tests.conftest import CliResult


def test_show_settings_names_the_config_the_root_and_each_source(
    tmp_path: Path, image: Callable[..., Path], sora_lint: Run
) -> None:
    """A config in a parent folder moves the root: the listing shows it from the subfolder."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.sora-lint]\nmodel = "sora-2-pro"\nexclude = ["raw/"]\n', encoding="utf-8"
    )
    sub = tmp_path / "assets"
    image(sub / "a.png", size=(640, 360))
    result = sora_lint("--show-settings", "--target", "1792x1024", "-q", cwd=sub)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[:2] == ["# config file: ../pyproject.toml [tool.sora-lint]", "# project root: .."]
    assert 'model = "sora-2-pro"  # ../pyproject.toml [tool.sora-lint]' in lines
    assert 'exclude = ["raw/"]  # ../pyproject.toml [tool.sora-lint]' in lines
    assert 'target = "1792x1024"  # command line' in lines
    assert "quiet = true  # command line" in lines
    assert 'fix-mode = "pad"  # default' in lines
    assert "output-file = (not set)  # default" in lines
    assert "a.png" not in result.stdout  # nothing was checked
    data = json.loads(sora_lint("--show-settings", "--output-format", "json", cwd=sub).stdout)
    assert data["config_file"] == str((tmp_path / "pyproject.toml").resolve())
    assert data["root"] == str(tmp_path.resolve())
    assert data["settings"]["model"] == {"value": "sora-2-pro", "source": "../pyproject.toml "
                                         "[tool.sora-lint]"}  # fmt: skip
    assert data["settings"]["output-format"]["source"] == "command line"


def test_show_settings_without_config_and_with_isolated(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    (tmp_path / "sora-lint.toml").write_text('model = "veo-3"\n', encoding="utf-8")
    found = cli("--show-settings", cwd=tmp_path).out.splitlines()
    assert (
        found[0] == "# config file: sora-lint.toml" and 'model = "veo-3"  # sora-lint.toml' in found
    )
    isolated = cli("--show-settings", "--isolated", cwd=tmp_path).out.splitlines()
    assert isolated[:2] == ["# config file: none (defaults)", "# project root: ."]
    assert 'model = "sora-2"  # default' in isolated


def test_show_files_lists_what_a_run_would_check(
    tmp_path: Path, image: Callable[..., Path], sora_lint: Run
) -> None:
    for name in ("z.png", "a.jpg", "raw/big.png", "ignored/x.png", "notes.txt", ".hidden/h.png"):
        if name.endswith(".txt"):
            (tmp_path / name).write_text("x")
        else:
            image(tmp_path / name, size=(64, 64))
    (tmp_path / "sora-lint.toml").write_text('exclude = ["raw/"]\n', encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("ignored/\n")
    result = sora_lint("--show-files", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == ["a.jpg", "z.png"]
    named = sora_lint("--show-files", "z.png", "notes.txt", "raw/big.png", cwd=tmp_path)
    assert named.stdout.splitlines() == ["notes.txt", "z.png"]  # named: checked; excluded: not
    os.remove(tmp_path / "a.jpg")
    os.remove(tmp_path / "z.png")
    empty = sora_lint("--show-files", cwd=tmp_path)
    assert empty.stdout == "" and "no files to check" in empty.stderr
