"""``prepare`` over every bundled profile x the sources a pipeline brings, in a process that
may write nothing: the prepared bytes decode, ``check`` finds them clean for that profile,
their name's type is their content's, and the byte limit holds for every delivery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.api import support

WORKER = Path(__file__).with_name("table_run.py")
ROOT = Path(__file__).resolve().parents[2]


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def _run(args: list[str], cwd: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "TMPDIR": str(cwd), "TEMP": str(cwd), "TMP": str(cwd), "HOME": str(cwd),
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    done = subprocess.run(
        [sys.executable, str(WORKER), *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture
def read_only(tmp_path: Path) -> Any:
    """An empty folder with no write permission (root writes anyway: the audit hook and the
    snapshot tell then)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_the_hook_sees_a_write(read_only: Path) -> None:
    assert _run(["--prove-hook"], read_only)["writes"], "the audit hook must record writes"


def test_every_profile_and_source_prepares_clean_and_writes_nothing(
    tmp_path: Path, read_only: Path
) -> None:
    images = tmp_path / "images"
    images.mkdir()
    for name, make in support.SOURCES.values():
        (images / name).write_bytes(make())
    (images / "photo_12mp.jpg").write_bytes(support.photo_12mp())
    before = _snapshot(images), _snapshot(read_only)
    result = _run([str(images)], read_only)
    assert result["failures"] == []
    assert result["writes"] == []
    assert (_snapshot(images), _snapshot(read_only)) == before
    # every bundled profile, its ratios, 5 sources in 4 kinds, and the 12 MP photo
    assert result["cases"] >= 15 * 5 * 4 + 1
