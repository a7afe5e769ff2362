"""Nothing a repository holds makes a write land outside the tree: fixes through symlinks,
``--fix-to`` links, report files, the baseline, paths in its config (issue 11, items 2
and 3, and the one atomic writer)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import make_image
from tests.security.support import one_error_line, sora_lint

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks are POSIX here")


def test_fix_from_a_parent_folder_never_rewrites_through_a_symlink(tmp_path: Path) -> None:
    """``cd / && sora-lint --fix /srv/repo`` treated /srv/repo/photo.png -> /home/me/photo.png
    as inside, because the working directory counted as part of the tree."""
    home = tmp_path / "home"
    outside = make_image(home / "photo.png", size=(1920, 1080))
    before = outside.read_bytes()
    repo = tmp_path / "srv" / "repo"
    make_image(repo / "inside.png", size=(1920, 1080))
    (repo / "photo.png").symlink_to(outside)
    run = sora_lint("--fix", "--output-format", "json", str(repo), cwd=tmp_path)
    assert outside.read_bytes() == before
    assert (repo / "photo.png").is_symlink()
    found = {(Path(d["path"]).name, d["code"]) for d in json.loads(run.out)}
    assert ("photo.png", "SL004") in found, run.out
    assert Image.open(repo / "inside.png").size == (1280, 720)  # the tree itself is fixed


def test_a_symlink_inside_the_tree_is_never_written_through(tmp_path: Path) -> None:
    real = make_image(tmp_path / "real.png", size=(1920, 1080))
    (tmp_path / "alias.png").symlink_to("real.png")
    run = sora_lint("--fix", "alias.png", cwd=tmp_path)
    assert (tmp_path / "alias.png").is_symlink(), run.out
    assert Image.open(real).size == (1920, 1080)
    assert "symbolic link" in run.out and run.code == 1
    sora_lint("--fix", ".", cwd=tmp_path)  # the file it points to is fixed as itself
    assert (tmp_path / "alias.png").is_symlink() and Image.open(real).size == (1280, 720)


def test_fix_to_never_writes_through_a_symlink_in_the_destination(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    make_image(repo / "assets" / "photo.png", size=(1920, 1080))
    make_image(repo / "assets" / "sub" / "more.png", size=(1920, 1080))
    victim = tmp_path / "victim.png"
    victim.write_bytes(b"any file the process can write")
    victims = tmp_path / "victims"
    victims.mkdir()
    out = repo / "fixed" / "assets"
    out.mkdir(parents=True)
    (out / "photo.png").symlink_to(victim)  # committed beside where the copy goes
    (out / "sub").symlink_to(victims, target_is_directory=True)
    run = sora_lint("--fix-to", "fixed", "assets", cwd=repo)
    assert victim.read_bytes() == b"any file the process can write"
    assert list(victims.iterdir()) == []
    assert not (out / "photo.png").is_symlink()
    assert Image.open(out / "photo.png").size == (1280, 720)
    assert "symbolic link" in run.out, run.out


@pytest.mark.parametrize(
    "flags",
    [
        ("--output-file", "report.json"),
        ("--output", "sarif:report.json"),
        ("--report", "report.json"),
        ("--write-baseline", "report.json"),
    ],
)
def test_report_files_and_the_baseline_replace_a_symlink(
    tmp_path: Path, flags: tuple[str, str]
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    repo = tmp_path / "repo"
    make_image(repo / "a.png", size=(640, 360))
    (repo / "report.json").symlink_to(victim)
    run = sora_lint(*flags, ".", cwd=repo)
    assert run.code in (0, 1), run.err
    assert victim.read_text() == "keep me\n"
    assert not (repo / "report.json").is_symlink() and (repo / "report.json").stat().st_size


def test_a_report_path_through_a_repository_symlink_is_refused(tmp_path: Path) -> None:
    victims = tmp_path / "victims"
    victims.mkdir()
    repo = tmp_path / "repo"
    make_image(repo / "a.png", size=(640, 360))
    (repo / "sora-lint.toml").write_text("")
    (repo / "reports").symlink_to(victims, target_is_directory=True)
    run = sora_lint("--output", "sarif:reports/results.sarif", ".", cwd=repo)
    assert "symbolic link in the repository" in one_error_line(run)
    assert list(victims.iterdir()) == []


def test_a_device_path_the_user_names_is_written_into(tmp_path: Path) -> None:
    make_image(tmp_path / "a.png")
    run = sora_lint("--output-file", "/dev/stdout", "--output-format", "json", ".", cwd=tmp_path)
    assert run.code == 0 and json.loads(run.out) == [], run.err


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ('report = "../page.html"\n', "report"),
        ('fix-to = "../fixed"\nfix = true\n', "fix-to"),
        ('baseline = "../victim.json"\n', "baseline"),
    ],
)
def test_config_paths_outside_the_project_root_are_refused(
    tmp_path: Path, config: str, key: str
) -> None:
    repo = tmp_path / "repo"
    make_image(repo / "a.png", size=(640, 360))
    (repo / "sora-lint.toml").write_text(config)
    (tmp_path / "victim.json").write_text('{"tool": "sora-lint", "version": 1, "entries": []}')
    run = sora_lint("--prune-baseline", ".", cwd=repo)
    line = one_error_line(run)
    assert line.startswith(f"sora-lint: error: {key}:") and "outside the project root" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "victim.json"]
