"""Which files a run sees: extensions, .gitignore, hidden folders, explicit files, symlinks."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from sora_lint.run.discovery import Selection, iter_candidates
from tests.conftest import CliResult


def checked(result: CliResult) -> str:
    return result.out.strip().splitlines()[-1]


def test_walk_collects_image_extensions_only(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "a.png")
    image(tmp_path / "deep" / "er" / "b.JPG", fmt="JPEG")
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "data.bin").write_bytes(b"\x00" * 10)
    assert checked(cli(".", cwd=tmp_path)) == "All checks passed (2 files checked)."


def test_gitignore_and_hidden_folders_are_skipped(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "keep.png")
    image(tmp_path / "build" / "out.png", size=(10, 10))
    image(tmp_path / "sub" / "tmp.png", size=(10, 10))
    image(tmp_path / "sub" / "kept.png")
    image(tmp_path / ".cache" / "x.png", size=(10, 10))
    image(tmp_path / ".hidden.png", size=(10, 10))
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / "sub" / ".gitignore").write_text("tmp.png\n")
    assert checked(cli(".", cwd=tmp_path)) == "All checks passed (2 files checked)."


def test_explicit_files_are_checked_whatever_their_extension(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "frame.dat", fmt="PNG")
    (tmp_path / ".gitignore").write_text("*.dat\n")
    result = cli("frame.dat", "--output-format", "json", cwd=tmp_path)
    assert [d["code"] for d in result.json] == ["SL031"]  # sent as application/octet-stream


def test_exclude_applies_to_explicit_files_too(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "vendor" / "x.png", size=(10, 10))
    (tmp_path / "sora-lint.toml").write_text('exclude = ["vendor/"]\n')
    assert checked(cli("vendor/x.png", cwd=tmp_path)) == "All checks passed (0 files checked)."


def test_symlinked_folder_is_not_followed(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "elsewhere" / "x.png", size=(10, 10))
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    image(repo / "ok.png")
    assert checked(cli(".", cwd=repo)) == "All checks passed (1 file checked)."


def test_symlink_inside_the_tree_is_checked(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "real.png", size=(10, 10))
    (tmp_path / "alias.png").symlink_to(tmp_path / "real.png")
    result = cli(".", "--output-format", "json", cwd=tmp_path)
    assert {d["path"] for d in result.json if d["code"] == "SL001"} == {"alias.png", "real.png"}


def test_same_file_twice_is_checked_once(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "a.png", size=(1000, 700))
    result = cli("a.png", ".", "./a.png", "--output-format", "json", cwd=tmp_path)
    assert len(result.json) == 1


@pytest.mark.parametrize(
    ("raw", "cwd_inside"),
    [(".", "tree"), ("sub", "tree"), ("./sub/", "tree"), ("../tree/sub", "other"), ("tree", "")],
)
def test_a_walk_shows_each_file_as_its_path_relative_to_where_the_run_started(
    tmp_path: Path, raw: str, cwd_inside: str
) -> None:
    """Candidates of a walk (outside git): each one's ``Path`` equals the public API's, its
    string is that path, and it is shown relative to the working directory as given."""
    tree = tmp_path / "tree"
    names = ["a.png", "deep/er/b.JPG", "deep/c d.webp", "deep/ünï\ncode.png", "deep/er/x.txt"]
    for name in names:
        (tree / "sub" / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / "sub" / name).write_bytes(b"")
    cwd = tmp_path / cwd_inside
    cwd.mkdir(exist_ok=True)
    selection = Selection.build(tmp_path, ["png", "jpg", "webp"], [], [], False)
    found = list(iter_candidates([raw], cwd, selection))
    expected = sorted(tree / "sub" / n for n in names if not n.endswith("txt"))
    assert sorted(c.path for c in found) == expected
    for candidate in found:
        assert type(candidate.path) is type(Path()) and str(candidate.path) == candidate.file
        shown = os.path.relpath(candidate.file, cwd)
        assert os.path.normpath(candidate.display) == shown, (candidate.display, shown)
        assert not candidate.explicit
