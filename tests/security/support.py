"""What the hostile-repository tests share: a real ``sora-lint`` subprocess with a timeout
(a hang is a failure, not a stuck suite) and its peak memory, measured in the child."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import sora_lint_env

ROOT = Path(__file__).resolve().parents[2]

#: Runs the command in a fresh interpreter and writes its peak resident memory in KiB to the
#: file named by the first argument: Linux's VmHWM (this process image's own high-water
#: mark; ``ru_maxrss`` would include the parent's pages at the fork), else ``resource``.
_MEASURED = textwrap.dedent(
    """
    import atexit, resource, runpy, sys
    out = sys.argv.pop(1)
    def peak():
        try:
            with open("/proc/self/status") as status:
                kib = next(l.split()[1] for l in status if l.startswith("VmHWM:"))
        except (OSError, StopIteration):
            kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            kib = kib // 1024 if sys.platform == "darwin" else kib  # bytes on macOS
        with open(out, "w") as handle:
            handle.write(str(kib))
    atexit.register(peak)
    sys.argv = ["sora-lint", *sys.argv[1:]]
    runpy.run_module("sora_lint", run_name="__main__")
    """
)


@dataclass
class Run:
    code: int
    out: str
    err: str
    peak_mib: float = 0.0

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def sora_lint(
    *args: str,
    cwd: Path,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
) -> Run:
    """``sora-lint ARGS`` as a user runs it; fails the test if it does not end in time."""
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "sora_lint", *args],
        cwd=cwd,
        env=sora_lint_env(**(env or {})),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def sora_lint_measured(*args: str, cwd: Path, peak_file: Path, timeout: float = 60) -> Run:
    """:func:`sora_lint` with the child's peak resident memory in MiB (``resource``)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(peak_file), *args],
        cwd=cwd,
        env=sora_lint_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    raw = peak_file.read_text() if peak_file.exists() else "0"
    return Run(done.returncode, done.stdout, done.stderr, int(raw) / 1024)


def one_error_line(run: Run) -> str:
    """The single ``sora-lint: error: …`` line an exit 2 must print, and nothing else."""
    assert run.code == 2, (run.code, run.out, run.err)
    assert "Traceback" not in run.err, run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sora-lint: error: "), run.err
    return lines[0]


def without_dac_override() -> tuple[str, ...] | None:
    """A command prefix under which folder permissions apply even to root (``()`` for any
    other user), or ``None`` when root cannot drop the capability here."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search")
