"""How the cache keys a file: a re-run hits, new content is seen outside git (ctime) and in a
fresh clone (git blobs), and git is asked only inside a work tree, in a format it must match."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sora_lint.cache.content_ids import parse_ls_files
from tests.cache.support import counts, rewrite_keeping_size_and_mtime, same_size_pair
from tests.conftest import CliResult, make_image
from tests.speed_support import age, git, mixed_tree


def test_rerun_hits_and_prints_the_same(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    files = mixed_tree(tmp_path, copies=2)
    first = lint(tmp_path)
    second = lint(tmp_path)
    assert counts(first.err) == (0, 0, len(files))
    assert counts(second.err) == (len(files), 0, 0)
    assert second.out == first.out and second.code == first.code == 1
    assert (tmp_path / ".sora-lint-cache" / ".gitignore").read_text().strip().endswith("*")


def test_new_content_same_size_and_mtime_is_seen_outside_git(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    """An in-place edit that restores size and mtime still changes ctime, which is keyed."""
    photo, rotated = same_size_pair(tmp_path / "tree")
    assert lint(photo.parent).out == "[]\n"
    assert counts(lint(photo.parent).err) == (1, 0, 0)
    rewrite_keeping_size_and_mtime(photo, rotated)
    after = lint(photo.parent)
    assert counts(after.err) == (0, 0, 1)
    assert sorted(d["code"] for d in json.loads(after.out)) == ["SL001", "SL006"]


def test_git_blob_keys_survive_a_fresh_clone_and_catch_edits(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    repo = tmp_path / "repo"
    files = mixed_tree(repo / "assets")
    _, rotated = same_size_pair(repo / "assets")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "assets")
    first = lint(repo)
    assert counts(lint(repo).err) == (len(files) + 1, 0, 0)
    clone = tmp_path / "clone"  # a CI checkout: new inodes and mtimes, same blobs
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    shutil.copytree(repo / ".sora-lint-cache", clone / ".sora-lint-cache")
    in_clone = lint(clone)
    assert counts(in_clone.err) == (len(files) + 1, 0, 0)
    assert in_clone.out == first.out
    # Same size, mtime restored: git still sees new content; the blob's entry is not used.
    rewrite_keeping_size_and_mtime(clone / "assets" / "photo.jpg", rotated)
    edited = lint(clone)
    assert counts(edited.err) == (len(files), 0, 1)
    assert "assets/photo.jpg" in edited.out and "assets/photo.jpg" not in first.out


def _record(mode: str, blob: str, stage: int, path: str) -> bytes:
    """One entry as ``git ls-files -s --debug -z`` prints it."""
    debug = (
        "  ctime: 1700000000:5\n  mtime: 1700000000:7\n  dev: 2049\tino: 42\n"
        "  uid: 1000\tgid: 1000\n  size: 1234\tflags: 0\n"
    )
    return f"{mode} {blob * 10} {stage}\t{path}\0{debug}".encode()


def test_ls_files_parser_drops_unmerged_links_and_foreign_output() -> None:
    records = [
        _record("100644", "aaaa", 0, "ok.png"),
        _record("100644", "cccc", 1, "conflict.png"),
        _record("100644", "dddd", 2, "conflict.png"),
        _record("120000", "eeee", 0, "link.png"),
        _record("160000", "ffff", 0, "submodule"),
        _record("100755", "9999", 0, "dir/with\ttab and\nnewline.png"),
    ]
    parsed = parse_ls_files(b"".join(records))
    assert sorted(parsed) == ["dir/with\ttab and\nnewline.png", "ok.png"]
    entry = parsed["ok.png"]
    assert (entry.blob, entry.mtime, entry.ino, entry.size) == (
        "aaaa" * 10,
        (1700000000, 7),
        42,
        1234,
    )
    # Anything but this exact format (a future git, a wrapper script) vouches for nothing.
    assert parse_ls_files(b"100644 " + b"a" * 40 + b" 0\tok.png\0") == {}
    assert parse_ls_files(b"".join(records) + b"junk") == {}


def test_git_is_only_started_inside_a_work_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sora_lint.cache.content_ids import in_git_work_tree, read_git_blobs

    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    outside = tmp_path / "plain" / "assets"
    outside.mkdir(parents=True)
    if in_git_work_tree(tmp_path):
        pytest.skip(f"{tmp_path} is inside a git work tree on this machine")
    assert not in_git_work_tree(outside)
    repo = tmp_path / "repo"
    nested = repo / "assets" / "shots"
    nested.mkdir(parents=True)
    git(repo, "init", "-q")
    age(make_image(nested / "a.png"))
    git(repo, "add", ".")
    assert in_git_work_tree(repo) and in_git_work_tree(nested)
    assert list(read_git_blobs(repo, None)) == ["assets/shots/a.png"]
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    assert in_git_work_tree(outside)
