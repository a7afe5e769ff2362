"""Fix runs on ``concurrent.futures``: a worker killed mid-file (the out-of-memory killer, a
``kill -9``) ends the run within seconds with exit 2 naming that file, never a hang (issue
#11, item 4); and the workers' decodes share one memory budget."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from sora_lint.parallel import fix_pool
from sora_lint.parallel.fix_pool import SharedBudget
from tests import fix_support as fs
from tests.conftest import CliResult, sora_lint_env
from tests.fix.test_fix_cli import snapshot

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to find the worker to kill"
)

ROOT = Path(__file__).resolve().parents[2]


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def open_image(pid: int, folder: Path) -> Path | None:
    """The image of ``folder`` that process ``pid`` has open, if any."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for fd in fds:
        try:
            target = Path(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            continue
        if target.parent == folder and target.suffix == ".png":
            return target
    return None


def slow_fixes(folder: Path) -> subprocess.Popen[str]:
    """``sora-lint --fix --jobs 2`` started on a few PNGs that take a while to fix."""
    folder.mkdir()
    noise = Image.effect_noise((1800, 1800), 70).convert("RGB")
    for index in range(5):
        noise.save(folder / f"big-{index}.png", compress_level=1)
    return subprocess.Popen(
        [sys.executable, "-m", "sora_lint", "--fix", "--jobs", "2", "--no-cache",
         "--model", "sora-2-pro", "--target", "1792x1024", str(folder)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=sora_lint_env(), preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip


def test_a_killed_worker_is_exit_2_naming_its_file_within_seconds(tmp_path: Path) -> None:
    folder = tmp_path / "assets"
    process = slow_fixes(folder)
    victim: tuple[int, Path] | None = None
    try:
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline and process.poll() is None:
            for worker in children(process.pid):
                held = open_image(worker, folder)
                if held is not None:
                    victim = worker, held
                    break
            time.sleep(0.001)
        assert victim is not None, "no worker was seen fixing a file"
        os.kill(victim[0], signal.SIGKILL)
        killed_at = time.monotonic()
        out, err = process.communicate(timeout=30)
        elapsed = time.monotonic() - killed_at
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 2, (out, err)
    assert elapsed < 10, elapsed
    assert "a worker process was killed by SIGKILL" in err, err
    assert f"while fixing {victim[1]};" in err, (victim, err)
    assert "Traceback" not in err
    assert not children(process.pid)


def _hold(shared: SharedBudget, nbytes: int, seconds: float, used: object, peak: object) -> None:
    with shared.reserve(nbytes):
        nbytes = min(nbytes, shared.total)  # a decode larger than the budget waits for all of it
        with used.get_lock():  # type: ignore[attr-defined]
            used.value += nbytes  # type: ignore[attr-defined]
            peak.value = max(peak.value, used.value)  # type: ignore[attr-defined]
        time.sleep(seconds)
        with used.get_lock():  # type: ignore[attr-defined]
            used.value -= nbytes  # type: ignore[attr-defined]


def test_workers_never_hold_more_than_the_budget_together() -> None:
    context = multiprocessing.get_context("fork")
    shared = SharedBudget(context, 100)
    used, peak = context.Value("q", 0), context.Value("q", 0)
    sizes = [70, 40, 40, 100, 10, 500]  # 500 is more than all: it waits for an empty budget
    workers = [context.Process(target=_hold, args=(shared, n, 0.05, used, peak)) for n in sizes]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    assert [w.exitcode for w in workers] == [0] * len(sizes)
    assert 0 < peak.value <= 100
    assert used.value == 0


def test_ctrl_c_stops_a_fix_run_and_its_workers(tmp_path: Path) -> None:
    process = slow_fixes(tmp_path / "assets")
    deadline = time.monotonic() + 60
    while len(children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    workers = children(process.pid)
    assert len(workers) == 2
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "sora-lint: interrupted" in err and "Traceback" not in err, err
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # gone, not left running


def test_spawned_fix_workers_rebuild_the_run(
    tmp_path: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What macOS and Windows do: fix workers start fresh and rebuild the run from the spec."""
    one, two = tmp_path / "one", tmp_path / "two"
    for index, size in enumerate([(2000, 1500), (900, 1600), (1280, 720)]):
        fs.write_picture(one / f"p{index}.jpg", size, orientation=1 + 5 * (index == 1))
    shutil.copytree(one, two)
    alone = cli("--fix", "--jobs", "1", "--no-cache", "one", cwd=tmp_path)
    monkeypatch.setattr(fix_pool, "start_method", lambda: "spawn")
    spawned = cli("--fix", "--jobs", "2", "--no-cache", "two", cwd=tmp_path)
    assert spawned.code == alone.code == 0, spawned.out + spawned.err
    assert spawned.out == alone.out.replace("one/", "two/")
    mine, theirs = snapshot(one), snapshot(two)
    assert {k: v[0] for k, v in mine.items()} == {k: v[0] for k, v in theirs.items()}
