"""Discovery agrees with git and never passes in silence (issue 12 "Discovery agrees with
git"; issue 11, item 13): ignore files above the project root, ``.git/info/exclude`` and
``core.excludesFile`` apply; a folder that cannot be listed or a path over PATH_MAX is a
finding, not "All checks passed (0 files checked)"."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import make_image
from tests.security.support import sora_lint, without_dac_override
from tests.speed_support import git

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and paths")


def reported(out: str) -> set[str]:
    return {d.get("asset") or d["path"] for d in json.loads(out)}


def test_discovery_is_what_git_considers(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    assets = repo / "assets"
    for name in ("raw/a.png", "ex/b.png", "global/c.png", "kept/d.png", "tracked/e.png"):
        make_image(assets / name, size=(640, 360))
    make_image(assets / "gone.png", size=(640, 360))
    (assets / "sora-lint.toml").write_text("")  # the project root is assets/, below git's top
    (repo / ".gitignore").write_text("assets/raw/\nassets/tracked/\n")
    git(repo, "init", "-q")
    (repo / ".git" / "info" / "exclude").write_text("assets/ex/\n")
    excludes = tmp_path / "global-ignore"
    excludes.write_text("global/\n")
    git(repo, "config", "core.excludesFile", str(excludes))
    git(repo, "add", "-f", "assets/tracked/e.png", "assets/gone.png")
    git(repo, "commit", "-q", "-m", "tracked despite the ignore")
    (assets / "gone.png").unlink()  # deleted in the work tree, still in the index
    run = sora_lint("--output-format", "json", ".", cwd=assets)
    assert reported(run.out) == {"kept/d.png", "tracked/e.png"}, run.out


def test_outside_git_the_walk_keeps_reading_gitignore(tmp_path: Path) -> None:
    make_image(tmp_path / "raw" / "a.png", size=(640, 360))
    make_image(tmp_path / "b.png", size=(640, 360))
    (tmp_path / ".gitignore").write_text("raw/\n[z-a]\n")  # a bad line is dropped, as git does
    run = sora_lint("--output-format", "json", ".", cwd=tmp_path)
    assert reported(run.out) == {"b.png"}, run.err


@pytest.mark.parametrize("in_git", [False, True], ids=["walk", "git"])
def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path, in_git: bool) -> None:
    prefix = without_dac_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: folder permissions do not apply")
    repo = tmp_path / "repo"
    make_image(repo / "ok.png")
    make_image(repo / "locked" / "wide.png", size=(1920, 1080))
    if in_git:
        git(repo, "init", "-q")
    (repo / "locked").chmod(0)
    try:
        run = sora_lint("--output-format", "json", ".", cwd=repo, prefix=prefix)
    finally:
        (repo / "locked").chmod(0o755)
    assert run.code == 1, run.err
    assert [(d["path"], d["code"]) for d in json.loads(run.out)] == [("locked", "SL004")]


@pytest.mark.parametrize("in_git", [False, True], ids=["walk", "git"])
def test_a_path_over_path_max_is_reported(tmp_path: Path, in_git: bool) -> None:
    repo = tmp_path / "repo"
    make_image(repo / "ok.png")
    if in_git:
        git(repo, "init", "-q")
    fd = os.open(repo, os.O_RDONLY)
    try:
        depth = 0
        while depth * 200 < 4200:  # past Linux's 4,096-byte PATH_MAX, one folder at a time
            os.mkdir("d" * 199, dir_fd=fd)
            inner = os.open("d" * 199, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            depth += 1
        image = os.open("deep.png", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(image, (repo / "ok.png").read_bytes())
        os.close(image)
    finally:
        os.close(fd)
    run = sora_lint("--output-format", "json", ".", cwd=repo)
    assert run.code == 1 and "Traceback" not in run.err, run.err
    (finding,) = json.loads(run.out)
    assert finding["code"] == "SL004" and len(finding["path"]) > 4000
