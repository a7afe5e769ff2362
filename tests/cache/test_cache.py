"""``.sora-lint-cache``: hits when nothing changed, never a stale verdict, robust to damage."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sora_lint.cache.content_ids import parse_ls_files
from sora_lint.cache.layout import LAYOUT, PRUNE_DAYS
from sora_lint.cache.table import SharedTable
from sora_lint.run import pipeline
from sora_lint.types import Applicability, Diagnostic, Fix, Severity, Size
from tests.conftest import CliResult, make_image, sora_lint_env
from tests.speed_support import age, git, mixed_tree, run_cli

DEBUG = re.compile(r"(\d+) hits, (\d+) rechecked, (\d+) to probe")


def counts(err: str) -> tuple[int, int, int]:
    """(hits, rechecked, probed) from the debug line."""
    match = DEBUG.search(err)
    assert match, err
    hits, rechecked, probed = match.groups()
    return int(hits), int(rechecked), int(probed)


@pytest.fixture
def lint(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    monkeypatch.setenv(pipeline.DEBUG_ENV, "1")

    def run(folder: Path, *argv: str) -> CliResult:
        return cli("--output-format", "json", *argv, cwd=folder)

    return run


def entries(folder: Path) -> list[Path]:
    return sorted((folder / ".sora-lint-cache").glob(f"{LAYOUT}/*/[0-9a-f][0-9a-f].json"))


def test_rerun_hits_and_prints_the_same(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    files = mixed_tree(tmp_path, copies=2)
    first = lint(tmp_path)
    second = lint(tmp_path)
    assert counts(first.err) == (0, 0, len(files))
    assert counts(second.err) == (len(files), 0, 0)
    assert second.out == first.out and second.code == first.code == 1
    assert (tmp_path / ".sora-lint-cache" / ".gitignore").read_text().strip().endswith("*")


def same_size_pair(folder: Path) -> tuple[Path, bytes]:
    """A clean JPEG, and the bytes of one with the same size but EXIF orientation 6."""
    clean = make_image(folder / "photo.jpg", orientation=1)
    scratch = make_image(folder / "scratch.jpg", orientation=6)
    rotated = scratch.read_bytes()
    scratch.unlink()
    assert len(rotated) == clean.stat().st_size
    age(clean)
    return clean, rotated


def rewrite_keeping_size_and_mtime(path: Path, data: bytes) -> None:
    before = path.stat()
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


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


@pytest.mark.parametrize(
    "damage",
    [b"", b"{", b"\x00\xff garbage", b'{"layout": "v3", "entries": []}',
     b'{"layout": "v4", "entries": {"set000/good.png": ["x", 1, 2, 3, 4]}}',
     b'{"layout": "v4", "entries": {"set000/good.png": '
     b'[1, [1, "PNG", [1,1,"RGB",1,1,false,8], null], null, null, 0]}}',
     b'{"layout": "v4", "values": [], "days": 3}', b"[" * 100_000],
)  # fmt: skip
@pytest.mark.parametrize("which", ["buckets", "findings"])
def test_corrupt_cache_files_are_ignored(
    tmp_path: Path, lint: Callable[..., CliResult], damage: bytes, which: str
) -> None:
    mixed_tree(tmp_path)
    expected = lint(tmp_path).out
    damaged = entries(tmp_path) if which == "buckets" else [findings_file(tmp_path)]
    for path in damaged:
        path.write_bytes(damage)
    again = lint(tmp_path)
    assert again.out == expected
    if which == "buckets":
        assert counts(again.err)[0] == 0
    else:  # entries that name no finding are misses; clean files still hit
        assert 0 < counts(again.err)[2] < len(entries_of(tmp_path))
    assert counts(lint(tmp_path).err)[2] == 0  # rewritten whole


def findings_file(folder: Path) -> Path:
    (found,) = (folder / ".sora-lint-cache").glob(f"{LAYOUT}/*/findings.json")
    return found


def entries_of(folder: Path) -> dict[str, object]:
    return {k: v for p in entries(folder) for k, v in json.loads(p.read_text())["entries"].items()}


def test_forged_entry_with_the_right_key_cannot_crash_a_run(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    mixed_tree(tmp_path)
    expected = lint(tmp_path).out
    for path in entries(tmp_path):
        data = json.loads(path.read_text())
        for entry in data["entries"].values():
            entry[1:3] = [-1, [7, ["w", None, 3, {}, [], "x", 8], ["no-such-kind", 5]]]
            entry[4] = [["SL001"], {"a": 1}, 7]
        path.write_text(json.dumps(data))
    assert lint(tmp_path).out == expected
    # The shared values forged under the names the entries use: every shape is wrong.
    lint(tmp_path)
    table = findings_file(tmp_path)
    data = json.loads(table.read_text())
    forged = [7, ["w", None, 3, {}, [], "x", 8], ["no-such-kind", 5], None, {}]
    data["values"] = {name: forged[i % len(forged)] for i, name in enumerate(data["values"])}
    table.write_text(json.dumps(data))
    assert lint(tmp_path).out == expected


def test_concurrent_runs_leave_a_valid_cache(tmp_path: Path) -> None:
    mixed_tree(tmp_path, copies=8)
    args = [sys.executable, "-m", "sora_lint", "--output-format", "json", "--jobs", "1"]
    env = sora_lint_env(SORA_LINT_DEBUG="1")
    expected = run_cli("--no-cache", "--output-format", "json", cwd=tmp_path).stdout
    procs = [
        subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [proc.communicate(timeout=300)[0] for proc in procs]
    assert outputs == [expected] * 4
    for path in entries(tmp_path):
        json.loads(path.read_text())  # whole files only, never a partial write
    assert not list((tmp_path / ".sora-lint-cache").rglob("*.tmp"))
    final = run_cli("--output-format", "json", cwd=tmp_path, SORA_LINT_DEBUG="1")
    assert final.stdout == expected


def test_no_cache_writes_nothing(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    mixed_tree(tmp_path)
    assert "cache off" in lint(tmp_path, "--no-cache").err
    assert not (tmp_path / ".sora-lint-cache").exists()


def test_cache_dir_option(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    mixed_tree(tmp_path / "assets")
    lint(tmp_path, "--cache-dir", "build/lint-cache")
    assert list((tmp_path / "build" / "lint-cache").glob(f"{LAYOUT}/*/[0-9a-f][0-9a-f].json"))
    assert not (tmp_path / ".sora-lint-cache").exists()


def test_settings_that_change_results_change_the_key(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    mixed_tree(tmp_path)
    lint(tmp_path)
    portrait = lint(tmp_path, "--target", "720x1280")
    assert counts(portrait.err)[0] == 0
    assert '"target": "720x1280"' in portrait.out
    text = lint(tmp_path, "--output-format", "text", "--quiet")  # output only: same key
    assert counts(text.err)[2] == 0


def test_fresh_files_are_not_stored(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    """A file written moments ago could change again within the same timestamp tick."""
    make_image(tmp_path / "new.png")
    lint(tmp_path)
    assert counts(lint(tmp_path).err) == (0, 0, 1)


def test_fix_never_trusts_a_cached_finding(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    small = age_image(tmp_path / "small.png", (640, 360))
    good = age_image(tmp_path / "good.png", (1280, 720))
    lint(tmp_path)
    fixed = lint(tmp_path, "--fix")
    if "unrecognized arguments: --fix" in fixed.err:
        pytest.skip("the fixer plugins are not installed in this checkout yet")
    assert counts(fixed.err) == (1, 0, 1)  # the clean file may hit; the bad one is re-probed
    assert small.stat().st_size != 0 and good.exists()
    assert lint(tmp_path, "--no-cache").out == "[]\n"


def age_image(path: Path, size: tuple[int, int]) -> Path:
    make_image(path, size)
    age(path)
    return path


def test_diagnostics_that_do_not_round_trip_are_not_cached() -> None:
    pad = Fix("pad", Applicability.SAFE, "pad", {"box": [0, 0, 1, 1]})
    plain = Diagnostic("SL001", "size-mismatch", Severity.ERROR, "m", "a.png",
                       size=Size(1, 2), target=Size(3, 4), fixes=(pad,))  # fmt: skip
    elsewhere = dataclasses.replace(plain, path="b.png")
    table = SharedTable()
    encoded = table.encode_diagnostics((plain, plain, elsewhere), "a.png")
    assert encoded is not None
    assert table.diagnostics(encoded, "a.png") == (plain, plain, elsewhere)
    assert len(table.raw) == 2  # one finding and one fix, stored once and shared
    again = SharedTable(json.loads(json.dumps(table.raw)))
    assert again.diagnostics(json.loads(json.dumps(encoded)), "a.png") == (plain, plain, elsewhere)
    assert again.used == set(table.raw)  # the finding and the fix it names
    odd = Diagnostic("SL001", "size-mismatch", Severity.ERROR, "m", "a.png", data={"t": (1, 2)})
    assert table.encode_diagnostics((odd,), "a.png") is None


def test_findings_a_run_uses_are_dated_and_the_unused_pruned() -> None:
    """The findings file is pruned by the day each name was last used, so a run that read
    only a few buckets never drops what the entries of the others name."""
    fix = Fix("pad", Applicability.SAFE, "pad to 1280x720", {"target": [1280, 720]})
    found = (Diagnostic("SL001", "size-mismatch", Severity.ERROR, "wrong size", "a.png",
                        size=Size(640, 360), target=Size(1280, 720), fixes=(fix,)),)  # fmt: skip
    writer = SharedTable()
    encoded = writer.encode_diagnostics(found, "a.png")
    assert encoded is not None
    today = 20_000
    values, days = writer.merged({}, {}, today)
    assert set(values) == set(writer.raw) and set(days.values()) == {today}
    old = today - PRUNE_DAYS
    stale = {"0123456789abcdef": ["x"], "fedcba9876543210": ["y"]}
    on_disk = {**values, **stale}
    dated = {**dict.fromkeys(values, old), "0123456789abcdef": old, "fedcba9876543210": today}
    reader = SharedTable(on_disk, dated)
    assert not reader.changed(today)
    assert reader.diagnostics(encoded, "a.png") == found  # a hit: its finding and fix used
    assert reader.changed(today)
    values, days = reader.merged(on_disk, dated, today)
    assert set(values) == {*writer.raw, "fedcba9876543210"}  # unused for 30 days: gone
    assert days == {**dict.fromkeys(writer.raw, today), "fedcba9876543210": today}


def test_a_job_file_edit_reruns_the_rules_without_reading_images(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    """The jobs plugin's cache stamp: a new target in a job file is never a stale verdict."""
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\njob-files = ["jobs/*"]\n')
    landscape = make_image(tmp_path / "shots" / "a.png", size=(1280, 720))
    other = make_image(tmp_path / "shots" / "b.png", size=(1280, 720))
    jobs = tmp_path / "jobs" / "run.jsonl"
    jobs.parent.mkdir()
    jobs.write_text('{"input_reference": "shots/a.png", "size": "1280x720"}\n')
    for path in (landscape, other, jobs):
        age(path)
    first = lint(tmp_path, "shots")
    assert first.code == 0, first.out
    assert counts(lint(tmp_path, "shots").err) == (2, 0, 0)
    jobs.write_text('{"input_reference": "shots/a.png", "size": "720x1280"}\n')
    age(jobs)
    edited = lint(tmp_path, "shots")
    assert counts(edited.err) == (0, 2, 0)  # both rechecked from the cache, none re-probed
    assert edited.code == 1 and '"target": "720x1280"' in edited.out
    assert counts(lint(tmp_path, "shots").err) == (2, 0, 0)


def test_cli_keys_that_decide_overrides_are_part_of_the_key(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    """``--target auto`` on the command line beats an override that config alone would apply."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.sora-lint]\ntarget = "auto"\n'
        '[[tool.sora-lint.overrides]]\npaths = ["*.png"]\ntarget = "720x1280"\n'
    )
    age(make_image(tmp_path / "wide.png", size=(1280, 720)))
    assert lint(tmp_path, "wide.png").code == 1  # the override asks for portrait
    assert lint(tmp_path, "wide.png").code == 1
    overridden = lint(tmp_path, "--target", "auto", "wide.png")
    assert overridden.code == 0, overridden.out
    assert counts(overridden.err)[0] == 0


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
