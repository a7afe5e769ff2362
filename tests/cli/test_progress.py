"""The progress bar: drawn on a terminal during long runs, never in pipes or under --quiet."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from sora_lint.run.progress import CLEAR, render, track
from tests.conftest import sora_lint_env
from tests.speed_support import mixed_tree


def run_with_tty_stderr(args: list[str], cwd: Path, delay: str) -> tuple[int, str, str]:
    """Run sora-lint with stderr on a real pseudo-terminal and stdout on a pipe."""
    main_fd, child_fd = pty.openpty()
    env = sora_lint_env(SORA_LINT_PROGRESS_DELAY=delay, TERM="xterm")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sora_lint", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=child_fd,
        stdin=subprocess.DEVNULL,
    )
    os.close(child_fd)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([main_fd], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(main_fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    code = proc.wait(timeout=60)
    os.close(main_fd)
    return code, out, b"".join(chunks).decode(errors="replace")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    mixed_tree(tmp_path, copies=3)
    return tmp_path


def test_bar_on_a_terminal(tree: Path) -> None:
    code, out, err = run_with_tty_stderr(["--no-cache"], tree, delay="0")
    assert code == 1
    assert "/36 files" in err and "files/s" in err
    assert err.rstrip("\r\n").endswith(CLEAR.strip("\r"))  # erased before the report
    assert "files/s" not in out and "Found" in out


def test_quiet_and_short_runs_draw_nothing(tree: Path) -> None:
    assert "files/s" not in run_with_tty_stderr(["--no-cache", "-q"], tree, delay="0")[2]
    assert "files/s" not in run_with_tty_stderr(["--no-cache"], tree, delay="60")[2]


def test_no_bar_when_stderr_is_a_pipe(tree: Path) -> None:
    env = sora_lint_env(SORA_LINT_PROGRESS_DELAY="0")
    proc = subprocess.run(
        [sys.executable, "-m", "sora_lint", "--no-cache"],
        cwd=tree, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    assert "files/s" not in proc.stderr and "\x1b" not in proc.stderr


@pytest.mark.parametrize(
    ("done", "total", "elapsed", "expected"),
    [
        (0, 10, 0.0, "sora-lint [------------------------] 0/10 files  0 files/s"),
        (5, 10, 1.0, "sora-lint [############------------] 5/10 files  5 files/s"),
        (8000, 8000, 2.0, "sora-lint [########################] 8000/8000 files  4,000 files/s"),
    ],
)
def test_render(done: int, total: int, elapsed: float, expected: str) -> None:
    assert render(done, total, elapsed) == expected


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_track_yields_everything_unchanged_and_erases_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SORA_LINT_PROGRESS_DELAY", "0")
    stream = FakeTerminal()
    assert list(track(iter(range(50)), 50, stream, enabled=True)) == list(range(50))
    assert stream.getvalue().startswith(CLEAR + "sora-lint [")
    assert stream.getvalue().endswith(CLEAR)
    silent = FakeTerminal()
    assert list(track(iter(range(50)), 50, silent, enabled=False)) == list(range(50))
    assert silent.getvalue() == ""
