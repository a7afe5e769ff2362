"""A full file system (a small tmpfs in a private mount namespace): a fix fails with the
original intact and no temporary file left, a report that cannot be written is one line,
the cache is skipped — never a traceback."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import sora_lint_env

SCRIPT = textwrap.dedent(
    """
    import json, os, shutil, subprocess, sys
    disk, source = sys.argv[1], sys.argv[2]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk], check=True)
    repo = os.path.join(disk, "repo")
    shutil.copytree(source, repo)
    before = {n: open(os.path.join(repo, n), "rb").read() for n in os.listdir(repo)}
    filler = os.path.join(disk, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\\0" * 4096):
            pass
    except OSError:
        pass
    os.close(fd)
    # full: no page is left, so neither a fixed copy nor a report can be written
    runs = {}
    for name, args in (("fix", ["--fix", "."]), ("report", ["--output", "json:r.json", "."])):
        done = subprocess.run([sys.executable, "-m", "sora_lint", *args], cwd=repo,
                              capture_output=True, text=True, timeout=120)
        runs[name] = [done.returncode, done.stdout, done.stderr]
    after = {n: open(os.path.join(repo, n), "rb").read() for n in before}
    print(json.dumps({
        "runs": runs,
        "intact": after == before,
        "left": sorted(n for n in os.listdir(repo) if n not in before),
        "cache_tmp": sorted(os.listdir(os.path.join(repo, ".sora-lint-cache", "tmp")))
        if os.path.isdir(os.path.join(repo, ".sora-lint-cache", "tmp")) else [],
    }))
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs in a mount namespace is Linux's")
def test_a_full_file_system_is_values_and_one_line_messages(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare is not installed")
    source = tmp_path / "source"
    source.mkdir()
    for n in range(3):  # noise: no fixed copy can fit into the few KB left
        noise = Image.frombytes("RGB", (640, 360), random.Random(n).randbytes(640 * 360 * 3))
        noise.save(source / f"wide{n}.png")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        [unshare, "--mount", "--map-root-user", sys.executable, "-c", SCRIPT, str(disk),
         str(source)],
        capture_output=True, text=True, env=sora_lint_env(), timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0 and "mount" in done.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip().splitlines()[-1]}")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    fix_code, fix_out, fix_err = result["runs"]["fix"]
    assert "Traceback" not in fix_err and fix_code == 1, fix_err
    assert "fix failed, file left unchanged" in fix_out, fix_out
    assert "No space left" in fix_out, fix_out
    assert result["intact"] and result["left"] in ([], [".sora-lint-cache"]), result
    assert result["cache_tmp"] == []
    report_code, _, report_err = result["runs"]["report"]
    assert report_code == 2 and report_err.strip().splitlines() == [
        "sora-lint: error: cannot write report r.json: No space left on device"
    ], report_err
