"""Which files a run sees: extensions, .gitignore, hidden folders, explicit files, symlinks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
