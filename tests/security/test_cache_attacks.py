"""The cache folder as an attacker's pull request sets it up: aimed at a victim folder, a
symlink, a FIFO, a huge file, a committed cache, a damaged entry (issue 11, items 1, 8,
12 and 13)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from sora_lint.cache.layout import LAYOUT
from tests.cache.support import same_size_pair
from tests.conftest import make_image
from tests.security.support import one_error_line, sora_lint, sora_lint_measured
from tests.speed_support import age, git

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs are POSIX")

CACHE = ".sora-lint-cache"


def victim_folder(path: Path) -> dict[str, bytes]:
    """A folder sora-lint must never touch, shaped like what ``prune_layouts`` and
    ``_mark_cache_dir`` used to delete and overwrite; returns its contents."""
    for name in ("v1", "v2", "v3/a", "v3/b", "v3/c", "v3/d", "v3/e", "v3/f", "v3/g", "v3/h"):
        (path / name).mkdir(parents=True, exist_ok=True)
        (path / name / "keep.txt").write_text(f"precious {name}\n")
    (path / "README").write_text("my own readme\n")
    return snapshot(path)


def snapshot(path: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(path)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(path.rglob("*"))
    }


def project(tmp_path: Path, config: str = "", more: int = 0) -> Path:
    repo = tmp_path / "repo"
    age(make_image(repo / "assets" / "wide.png", size=(1920, 1080)))
    age(make_image(repo / "assets" / "good.png"))
    for n in range(more):
        age(make_image(repo / "assets" / f"more{n}.png", size=(64, 36)))
    if config:
        (repo / "sora-lint.toml").write_text(config)
    return repo


@pytest.mark.parametrize(
    ("how", "words"),
    [
        ("config", "lies outside the project root"),
        ("absolute", "lies outside the project root"),
        ("symlink", "is a symbolic link"),
        ("foreign", "is not a sora-lint cache"),
    ],
)
def test_a_cache_dir_aimed_at_a_victim_is_refused_untouched(
    tmp_path: Path, how: str, words: str
) -> None:
    victim = tmp_path / "victim"
    before = victim_folder(victim)
    config = {
        "config": 'cache-dir = "../victim"\n',
        "absolute": f'cache-dir = "{victim}"\n',
        "symlink": "",
        "foreign": "",
    }[how]
    repo = project(tmp_path, config)
    if how == "symlink":
        (repo / CACHE).symlink_to("../victim", target_is_directory=True)
    args: tuple[str, ...] = ("--cache-dir", str(victim)) if how == "foreign" else ()
    run = sora_lint(*args, ".", cwd=repo)
    assert words in one_error_line(run)
    assert snapshot(victim) == before


def test_the_cache_never_follows_a_link_inside_it_nor_reads_a_fifo_or_a_huge_bucket(
    tmp_path: Path,
) -> None:
    repo = project(tmp_path, more=6)
    first = sora_lint("--output-format", "json", ".", cwd=repo)
    namespace = next((repo / CACHE / LAYOUT).iterdir())
    buckets = sorted(namespace.glob("*.json"))
    assert len(buckets) >= 2, first.err
    victim = tmp_path / "victim"
    before = victim_folder(victim)
    buckets[0].unlink()
    os.mkfifo(buckets[0])  # a FIFO where a bucket was: opening it would wait forever
    for bucket in buckets[1:]:
        with open(bucket, "wb") as handle:  # 150 MB, sparse: reading it took 1.28 GB
            handle.truncate(150 * 1024 * 1024)
    (repo / CACHE / "v2").symlink_to(victim / "v2", target_is_directory=True)
    (repo / CACHE / "v7").symlink_to(victim, target_is_directory=True)
    run = sora_lint_measured(
        "--output-format", "json", ".", cwd=repo, peak_file=tmp_path / "peak", timeout=60
    )
    assert run.code == first.code and json.loads(run.out) == json.loads(first.out), run.err
    assert run.peak_mib < 120, run.peak_mib
    assert snapshot(victim) == before
    assert not (repo / CACHE / "v2").exists() and not (repo / CACHE / "v7").exists()


def test_a_committed_cache_is_not_trusted(tmp_path: Path) -> None:
    """A pull request that commits a cache vouching for its bad image must not pass."""
    repo = project(tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "images")
    clean = sora_lint("--output-format", "json", ".", cwd=repo)
    assert clean.code == 1
    forged = _forge_clean_cache(repo)
    git(repo, "add", "-f", CACHE)
    git(repo, "commit", "-q", "-m", "a cache that says every image is fine")
    assert forged
    run = sora_lint(".", cwd=repo)
    assert "tracked by git" in one_error_line(run)
    assert sora_lint("--no-cache", ".", cwd=repo).code == 1


def _forge_clean_cache(repo: Path) -> int:
    """Rewrite every cached entry to "no findings"; returns how many were forged."""
    count = 0
    for bucket in (repo / CACHE).glob(f"{LAYOUT}/*/[0-9a-f][0-9a-f].json"):
        data = json.loads(bucket.read_text())
        for entry in data["entries"].values():
            entry[4] = []
            count += 1
        bucket.write_text(json.dumps(data))
    return count


@pytest.mark.parametrize(
    "header",
    [
        [0, 720, "RGB", 1, 1, False, 8],  # width 0: a ZeroDivisionError in a rule
        [1280, 720, "RGB", 0, 1, False, 8],  # no such orientation
        [1280, 720, "RGB", 1, 0, False, 8],  # no frame
        [1280, -720, "RGB", 1, 1, False, 8],
    ],
)
def test_a_damaged_cached_header_is_a_miss(tmp_path: Path, header: list[object]) -> None:
    repo = project(tmp_path)
    first = sora_lint("--output-format", "json", ".", cwd=repo)
    for bucket in (repo / CACHE).glob(f"{LAYOUT}/*/[0-9a-f][0-9a-f].json"):
        data = json.loads(bucket.read_text())
        for entry in data["entries"].values():
            entry[3] = "stale"  # the rules run again on the cached header
        bucket.write_text(json.dumps(data))
    (table,) = (repo / CACHE).glob(f"{LAYOUT}/*/findings.json")
    data = json.loads(table.read_text())
    kinds = [v for v in data["values"].values() if len(v) == 3 and isinstance(v[1], list)]
    for kind in kinds:  # the format, header and problem files of one kind share
        kind[1] = header
    assert kinds
    table.write_text(json.dumps(data))
    run = sora_lint("--output-format", "json", ".", cwd=repo)
    assert "plugin" not in run.err and "Traceback" not in run.err, run.err
    assert (run.code, json.loads(run.out)) == (first.code, json.loads(first.out))


def test_a_config_profile_with_several_formats_hits_whatever_the_hash_seed(
    tmp_path: Path,
) -> None:
    config = (
        'model = "kiosk"\n[profiles.kiosk]\naspect-range = ["1:2", "2:1"]\n'
        'formats = ["png", "jpg", "webp"]\n'
    )
    repo = project(tmp_path, config)
    env = {"SORA_LINT_DEBUG": "1"}
    sora_lint(".", cwd=repo, env={**env, "PYTHONHASHSEED": "1"})
    again = sora_lint(".", cwd=repo, env={**env, "PYTHONHASHSEED": "2"})
    assert "2 hits" in again.err, again.err


def test_assume_unchanged_never_gives_a_stale_verdict(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    photo, rotated = same_size_pair(repo)  # same byte size: only the content tells them apart
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "photo")
    assert sora_lint(".", cwd=repo).code == 0
    git(repo, "update-index", "--assume-unchanged", "photo.jpg")
    photo.write_bytes(rotated)  # now EXIF-rotated; git is told not to look
    age(photo)
    run = sora_lint("--output-format", "json", ".", cwd=repo)
    assert "SL006" in {d["code"] for d in json.loads(run.out)}, run.out


def test_git_runs_nothing_a_checkout_config_names(tmp_path: Path) -> None:
    """``core.fsmonitor`` and a clean filter in ``.git/config`` (an unpacked archive's, say)
    are never started, by the cache's index read nor by discovery."""
    repo = project(tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "images")
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> {marker}\ncat\n')
    script.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(script))
    git(repo, "config", "filter.evil.clean", str(script))
    (repo / ".gitattributes").write_text("* filter=evil\n")
    for path in (repo / "assets").iterdir():
        os.utime(path)  # stat data differs from the index: git -m would hash through the filter
    run = sora_lint(".", cwd=repo)
    assert run.code == 1, run.err
    assert not marker.exists(), marker.read_text()


def test_a_killed_runs_temporary_files_are_removed_and_git_ignores_them(
    tmp_path: Path,
) -> None:
    repo = project(tmp_path)
    git(repo, "init", "-q")
    sora_lint(".", cwd=repo)  # makes the cache
    stale = repo / "assets" / ".wide.png.sora-lint-tmp-ab12cd34"
    fresh = repo / "assets" / ".good.png.sora-lint-tmp-ef56gh78"
    in_cache = repo / CACHE / "tmp" / ".wide.png.sora-lint-tmp-zz99yy88"
    in_cache.parent.mkdir()
    for leftover in (stale, fresh, in_cache):
        leftover.write_bytes(b"half an image")
    age(stale, 7200)
    age(in_cache, 7200)
    sora_lint(".", cwd=repo)
    assert not stale.exists() and not in_cache.exists()
    assert fresh.exists()  # a live run's file is seconds old: never taken from under it
    # A fix in place writes its temporary file in the cache's tmp folder, which git ignores.
    (repo / CACHE / "tmp" / ".x.png.sora-lint-tmp-00000000").write_bytes(b"left by a kill")
    assert _untracked(repo) == {"assets/"}


def _untracked(repo: Path) -> set[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=normal"],
        cwd=repo, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {line[3:] for line in done.stdout.splitlines()}


def test_the_marker_is_the_one_clean_and_the_cache_agree_on(tmp_path: Path) -> None:
    from sora_lint.cache.marker import SIGNATURE, TAG_NAME

    repo = project(tmp_path)
    sora_lint(".", cwd=repo)
    tag = (repo / CACHE / TAG_NAME).read_text().splitlines()
    assert tag[0] == SIGNATURE and "sora-lint" in tag[1]
    assert (repo / CACHE / ".gitignore").read_text().strip().endswith("*")
