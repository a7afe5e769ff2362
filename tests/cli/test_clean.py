"""``sora-lint clean`` removes the cache sora-lint made, and never anything else."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.conftest import CliResult

TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# sora-lint cache; see README\n"


@pytest.fixture
def cached(tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]) -> Path:
    """A project with a real cache, made by a run."""
    path = image(tmp_path / "a.png", size=(640, 360))
    os.utime(path, (1_000_000_000, 1_000_000_000))  # settled: fresh files are never cached
    cli(".", cwd=tmp_path)
    assert (tmp_path / ".sora-lint-cache" / "CACHEDIR.TAG").is_file()
    return tmp_path


def test_clean_removes_the_cache_a_run_made(cached: Path, sora_lint: Run) -> None:
    result = sora_lint("clean", cwd=cached)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Removed the cache at .sora-lint-cache.\n"
    assert not (cached / ".sora-lint-cache").exists() and (cached / "a.png").is_file()
    again = sora_lint("clean", "--output-format", "json", cwd=cached)
    assert json.loads(again.stdout) == {"path": ".sora-lint-cache", "removed": False}


def test_clean_finds_the_cache_where_the_config_puts_it(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.sora-lint]\ncache-dir = "build/lint"\nmodel = "no-such-model"\n'
    )
    folder = tmp_path / "build" / "lint"
    folder.mkdir(parents=True)
    (folder / "CACHEDIR.TAG").write_text(TAG)
    sub = tmp_path / "sub"
    sub.mkdir()
    result = cli("clean", cwd=sub)  # a config wrong in other ways does not stop it
    assert result.code == 0 and result.out == "Removed the cache at ../build/lint.\n"
    assert not folder.exists()


def _tag_link(folder: Path) -> None:
    (folder.parent / "elsewhere.tag").write_text(TAG)
    (folder / "CACHEDIR.TAG").symlink_to(folder.parent / "elsewhere.tag")


@pytest.mark.parametrize(
    "make",
    [
        lambda f: None,
        lambda f: (f / "CACHEDIR.TAG").write_text(TAG.replace("sora-lint", "other")),
        lambda f: (f / "CACHEDIR.TAG").write_text("Signature: 0\n# sora-lint\n"),
        lambda f: (f / "CACHEDIR.TAG").mkdir(),
        _tag_link,
    ],
    ids=["no tag", "another tool's tag", "no signature", "a folder", "a link to a tag"],
)
def test_clean_refuses_a_folder_that_is_not_its_cache(
    tmp_path: Path, cli: Callable[..., CliResult], make: Callable[[Path], object]
) -> None:
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    make(folder)
    result = cli("clean", "--cache-dir", "precious", cwd=tmp_path)
    assert result.code == 2
    assert result.err == (
        "sora-lint: error: clean: precious is not a sora-lint cache (it has no CACHEDIR.TAG "
        "written by sora-lint); not removed\n"
    )
    assert (folder / "keep.txt").read_text() == "mine"


def test_clean_never_follows_a_symlink(cached: Path, cli: Callable[..., CliResult]) -> None:
    """A repository whose ``.sora-lint-cache`` links to a real cache elsewhere (or to any
    folder): the link is refused and what it points to is untouched."""
    real = cached / "real-cache"
    (cached / ".sora-lint-cache").rename(real)
    (cached / ".sora-lint-cache").symlink_to(real, target_is_directory=True)
    result = cli("clean", cwd=cached)
    assert result.code == 2
    assert "clean: .sora-lint-cache is a symbolic link; not removed" in result.err
    assert (real / "CACHEDIR.TAG").is_file()
    (cached / "file").write_text("x")
    assert "is not a folder" in cli("clean", "--cache-dir", "file", cwd=cached).err
