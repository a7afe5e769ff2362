"""``--jobs N`` where processes fork: the main process probes files alongside N - 1 workers and
checks them all, the output is exactly a single process's, and a worker that dies or a plugin
that crashes ends the run with a message, never a hang or a traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import sora_lint_env
from tests.speed_support import mixed_tree, run_cli

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="work sharing is for platforms that fork"
)

#: A plugin that records which process probes and which checks each file, probing slowly enough
#: (1 ms a file) that every process gets a share, and can kill a worker or break a prober or a
#: rule on request.
PLUGIN = """
import os, signal, time
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Rule, Severity

MAIN = os.getpid()  # imported before the workers fork

def _record(what, name):
    with open(os.environ["WHO_CHECKED"], "a") as out:
        who = "main" if os.getpid() == MAIN else os.getpid()
        out.write(f"{what} {who} {name}\\n")

@hookimpl(tryfirst=True)
def sora_lint_probe(path):
    time.sleep(0.001)
    _record("probed", path.name + " " + path.parent.name)
    mode = os.environ.get("WORKER_FAILS")
    if os.getpid() != MAIN and mode == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "prober raises":
        raise ValueError("broken prober")
    return None

def _check(ctx):
    _record("checked", ctx.asset.path.name + " " + ctx.asset.path.parent.name)
    if os.environ.get("SLOW_CHECK"):
        time.sleep(0.002)
    if os.environ.get("WORKER_FAILS") == "raises":
        raise ValueError("broken rule")
    return ()

@hookimpl
def sora_lint_register_rules():
    return [Rule("XW001", "who", Severity.WARNING, "records the process", "doc", _check)]
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    first = mixed_tree(tmp_path / "assets" / "set", copies=1)
    for n in range(1, 30):  # 30 copies of the mixed set: ~390 files, cheap to make
        for path in first:
            target = tmp_path / "assets" / f"copy{n:02d}" / path.relative_to(first[0].parent)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "who_checked.py").write_text(textwrap.dedent(PLUGIN))
    return tmp_path


def lint(tree: Path, *args: str, **env: str) -> tuple[int, str, str]:
    done = run_cli("-p", "who_checked", "--no-cache", "--output-format", "json", *args,
                   "assets", cwd=tree, PYTHONPATH=str(tree / "plugins"),
                   WHO_CHECKED=str(tree / "who.txt"), SORA_LINT_DEBUG="1", **env)  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def _by_process(tree: Path, what: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in (tree / "who.txt").read_text().splitlines():
        done, who, name = line.split(" ", 2)
        if done == what:
            found.setdefault(who, []).append(name)
    return found


def test_the_main_process_and_the_worker_share_the_probing(tree: Path) -> None:
    code_one, one, _ = lint(tree, "--jobs", "1")
    (tree / "who.txt").unlink()
    code_two, two, err = lint(tree, "--jobs", "2")
    assert "jobs=2" in err
    assert code_two == code_one == 1 and two == one
    probed, checked = _by_process(tree, "probed"), _by_process(tree, "checked")
    names = [name for found in probed.values() for name in found]
    assert len(names) == len(set(names))  # each file probed once
    assert len(probed) == 2 and "main" in probed, probed  # by this process and one worker
    assert min(len(found) for found in probed.values()) > len(names) // 10  # each a real share
    assert list(checked) == ["main"] and sorted(checked["main"]) == sorted(names)


def test_a_worker_far_ahead_of_slow_checks_waits_and_nothing_is_lost(tree: Path) -> None:
    # The worker probes a file in 1 ms, the main process checks one in 2: past a few chunks
    # the worker's pipe fills and it waits for the main process to catch up.
    code_one, one, _ = lint(tree, "--jobs", "1", SLOW_CHECK="1")
    code_two, two, err = lint(tree, "--jobs", "2", SLOW_CHECK="1")
    assert "jobs=2" in err and "Traceback" not in err
    assert code_two == code_one == 1 and two == one


def test_a_killed_worker_ends_the_run_with_a_message(tree: Path) -> None:
    code, out, err = lint(tree, "--jobs", "2", WORKER_FAILS="killed")
    assert code == 2
    assert "a worker process stopped before finishing its files" in err
    assert "Traceback" not in err and out == ""


def test_a_rule_crashing_is_exit_2_naming_it(tree: Path) -> None:
    code, out, err = lint(tree, "--jobs", "2", WORKER_FAILS="raises")
    assert code == 2 and out == ""
    assert "rule XW001 (who) failed on assets/" in err
    assert "ValueError: broken rule" in err
    assert "Traceback" not in err


def test_a_prober_crashing_in_a_worker_is_a_finding_as_in_one_process(tree: Path) -> None:
    code_one, one, _ = lint(tree, "--jobs", "1", WORKER_FAILS="prober raises")
    code_two, two, err = lint(tree, "--jobs", "2", WORKER_FAILS="prober raises")
    assert "jobs=2" in err and "Traceback" not in err
    assert code_two == code_one == 1 and two == one
    assert "could not be read (ValueError: broken prober)" in two


def test_ctrl_c_stops_the_main_process_and_its_workers(tree: Path) -> None:
    who = tree / "who.txt"
    process = subprocess.Popen(
        [sys.executable, "-m", "sora_lint", "-p", "who_checked", "--no-cache", "--jobs", "2",
         "assets"],
        cwd=tree, env=sora_lint_env(PYTHONPATH=str(tree / "plugins"), WHO_CHECKED=str(who)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_lines(who)) < 40:  # both at work
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines()[-1] == "sora-lint: interrupted"
    assert "Traceback" not in err
    workers = {int(pid) for _, pid, _ in _lines(who) if pid != "main"}
    assert workers
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # gone, not left running


def _lines(path: Path) -> list[list[str]]:
    text = path.read_text() if path.exists() else ""
    return [line.split(" ", 2) for line in text.splitlines() if line.count(" ") >= 2]
