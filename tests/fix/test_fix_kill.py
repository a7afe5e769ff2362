"""SIGKILL in the middle of a fix run: every file is its original bytes or a whole fixed
image, and any temporary file left behind is hidden and never named like an image."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image

from sora_lint.config.core_options import DEFAULT_EXTENSIONS
from sora_lint.filesystem.atomic import is_temp_name
from sora_lint.run.discovery import Selection, iter_candidates

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parents[2]
TARGET = (1792, 1024)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".mpo")

RUNNER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from sora_lint.types import Size
    from tests import fix_support as fs
    for name in sys.argv[1:]:
        outcome = fs.fix(Path(name), Size(1792, 1024), fix=True)
        print(name, outcome.error, flush=True)
    """
)


def _make_files(folder: Path, count: int) -> dict[Path, bytes]:
    folder.mkdir()
    first = folder / "big-000.png"
    Image.effect_noise((1500, 1500), 80).convert("RGB").save(first, compress_level=1)
    originals = {first: first.read_bytes()}
    for index in range(1, count):
        path = folder / f"big-{index:03d}.png"
        shutil.copyfile(first, path)
        originals[path] = originals[first]
    return originals


def _check(originals: dict[Path, bytes]) -> tuple[int, int]:
    fixed = untouched = 0
    for path, before in originals.items():
        data = path.read_bytes()
        if data == before:
            untouched += 1
            continue
        with Image.open(path) as image:
            image.load()  # a torn file would fail here
            assert image.size == TARGET, f"{path.name}: {image.size}"
        fixed += 1
    return fixed, untouched


@pytest.mark.parametrize("delay", [0.0, 0.15, 0.4])
def test_sigkill_leaves_every_file_original_or_whole(tmp_path: Path, delay: float) -> None:
    folder = tmp_path / "assets"
    originals = _make_files(folder, 12)
    names = [str(p) for p in sorted(originals)]
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNER, *names], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        process.stdout.readline()  # one file done: the run is in its stride
        time.sleep(delay)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    fixed, untouched = _check(originals)
    assert fixed >= 1 and untouched >= 1, (fixed, untouched)  # killed mid-way indeed
    for leftover in folder.iterdir():
        if leftover in originals:
            continue
        assert is_temp_name(leftover.name), leftover.name
        assert not leftover.name.lower().endswith(IMAGE_SUFFIXES)
    # The next run's discovery picks up the images and nothing else.
    selection = Selection.build(folder, DEFAULT_EXTENSIONS, (), (), respect_gitignore=False)
    found = {c.path for c in iter_candidates([str(folder)], tmp_path, selection)}
    assert found == set(originals)


def test_sigkill_of_a_cli_run_with_workers(tmp_path: Path) -> None:
    """The real command with a worker pool, killed (whole process group) once files change."""
    folder = tmp_path / "assets"
    originals = _make_files(folder, 16)
    before = {p: p.stat().st_mtime_ns for p in originals}
    process = subprocess.Popen(
        [sys.executable, "-m", "sora_lint", "--fix", "--jobs", "2",
         "--model", "sora-2-pro", "--target", "1792x1024", "--no-cache", str(folder)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if any(p.stat().st_mtime_ns != before[p] for p in originals):
                break
            time.sleep(0.01)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL  # killed, not finished or failed
    fixed, untouched = _check(originals)
    assert fixed >= 1 and untouched >= 1, (fixed, untouched)
    leftovers = [p for p in folder.iterdir() if p not in originals]
    assert all(is_temp_name(p.name) for p in leftovers), leftovers
