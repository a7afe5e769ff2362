"""100,000 files: the run completes, counts every file, and memory does not grow per image."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import sora_lint_env

FILES = 100_000
SMALL = 10_000


def write_tree(root: Path, count: int) -> None:
    """``count`` 1x1 PNGs, 1,000 per folder, written as raw bytes (fast)."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, "PNG")
    data = buffer.getvalue()
    for index in range(count):
        folder = root / f"d{index // 1000:03d}"
        if index % 1000 == 0:
            folder.mkdir(parents=True)
        fd = os.open(folder / f"f{index:06d}.png", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, data)
        os.close(fd)


def lint_max_rss(cwd: Path, *folders: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run sora-lint on ``folders``; return the result and the largest child RSS so far (KiB)."""
    proc = subprocess.run(
        [sys.executable, "-m", "sora_lint", "--no-cache", "--select", "SL004,SL011", *folders],
        cwd=cwd, env=sora_lint_env(), capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    return proc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


@pytest.mark.slow
def test_a_hundred_thousand_files(tmp_path: Path) -> None:
    write_tree(tmp_path / "tree", FILES)
    small, rss_small = lint_max_rss(tmp_path, *(f"tree/d{n:03d}" for n in range(SMALL // 1000)))
    big, rss_big = lint_max_rss(tmp_path, "tree")
    assert small.returncode == 0, small.stdout + small.stderr
    assert f"({SMALL} files checked)" in small.stdout
    assert big.returncode == 0, big.stdout[-2000:] + big.stderr[-2000:]
    assert f"({FILES} files checked)" in big.stdout
    # Only the file list may grow with the tree (a Path and a display name: ~0.8 KiB per file
    # measured), never image data or decoded headers: a header kept per file would be more.
    growth_per_file = (rss_big - rss_small) * 1024 / (FILES - SMALL)
    assert growth_per_file < 2048, f"{growth_per_file:.0f} bytes per file"
