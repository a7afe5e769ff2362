"""Every file the repository controls is read boundedly and only if it is a regular file:
``.gitignore -> /dev/zero`` (it survives ``git clone``), a FIFO where a config, ignore file,
baseline or job file belongs (issue 11, item 8). Each case is a real run that must end in
seconds with a clear message and little memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import make_image
from tests.security.support import one_error_line, sora_lint, sora_lint_measured
from tests.speed_support import git

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")

QUICK = 30  # seconds: each case takes well under one; a hang fails instead of blocking


@pytest.mark.parametrize("in_git", [False, True], ids=["walk", "git"])
def test_a_gitignore_linked_to_dev_zero_is_ignored_as_git_does(
    tmp_path: Path, in_git: bool
) -> None:
    repo = tmp_path / "repo"
    make_image(repo / "keep.png")
    make_image(repo / "sub" / "wide.png", size=(1920, 1080))
    (repo / ".gitignore").symlink_to("/dev/zero")
    (repo / "sub" / ".gitignore").symlink_to("/dev/zero")
    if in_git:
        git(repo, "init", "-q")
    run = sora_lint_measured(".", cwd=repo, peak_file=tmp_path / "peak", timeout=QUICK)
    assert run.code == 1 and "sub/wide.png: SL001" in run.out, run.err
    assert run.peak_mib < 120, run.peak_mib


@pytest.mark.parametrize(
    ("fifo", "args", "words"),
    [
        (".gitignore", (".",), ".gitignore is a FIFO, not a regular file"),
        ("sora-lint.toml", (".",), "sora-lint.toml is a FIFO, not a regular file"),
        ("pyproject.toml", (".",), "pyproject.toml is a FIFO, not a regular file"),
        ("base.json", ("--baseline", "base.json", "."), "base.json is a FIFO"),
    ],
)
def test_a_fifo_where_a_file_is_read_is_a_clear_message(
    tmp_path: Path, fifo: str, args: tuple[str, ...], words: str
) -> None:
    make_image(tmp_path / "a.png")
    os.mkfifo(tmp_path / fifo)
    run = sora_lint(*args, cwd=tmp_path, timeout=QUICK)
    assert words in one_error_line(run)


def test_config_linked_to_a_device_or_too_big_is_a_clear_message(tmp_path: Path) -> None:
    make_image(tmp_path / "a.png")
    (tmp_path / "sora-lint.toml").symlink_to("/dev/zero")
    assert "is a device" in one_error_line(sora_lint(".", cwd=tmp_path, timeout=QUICK))
    (tmp_path / "sora-lint.toml").unlink()
    with open(tmp_path / "sora-lint.toml", "wb") as handle:
        handle.truncate(64 * 1024 * 1024)
    assert "larger than" in one_error_line(sora_lint(".", cwd=tmp_path, timeout=QUICK))


def test_a_fifo_job_file_is_reported_not_waited_on(tmp_path: Path) -> None:
    make_image(tmp_path / "a.png")
    os.mkfifo(tmp_path / "jobs.jsonl")
    (tmp_path / "sora-lint.toml").write_text('job-files = ["*.jsonl"]\n')
    run = sora_lint(".", cwd=tmp_path, timeout=QUICK)
    assert run.code == 1
    assert "jobs.jsonl:1: SL012" in run.out and "FIFO" in run.out, run.out
