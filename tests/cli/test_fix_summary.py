"""What ``--fix`` says at the end, and when it is interrupted."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import CliResult, sora_lint_env


@pytest.mark.parametrize(
    ("images", "summary", "code"),
    [
        # A size and an orientation fixed; a transparency left (no --flatten): ruff's form.
        (
            [("a.png", (640, 360), {}), ("r.jpg", (1280, 720), {"orientation": 6}),
             ("t.png", (1280, 720), {"mode": "RGBA"})],
            "Found 2 errors and 2 warnings (3 fixed, 1 remaining).",
            0,
        ),
        # Only errors, two left (a BMP is never rewritten).
        (
            [("a.png", (640, 360), {}), ("b.png", (1920, 1080), {}), ("c.bmp", (640, 360), {})],
            "Found 4 errors (2 fixed, 2 remaining).",
            1,
        ),
        ([("a.png", (640, 360), {})], "Found 1 error (1 fixed, 0 remaining).", 0),
        ([("ok.png", (1280, 720), {})], "All checks passed (1 file checked).", 0),
    ],
)  # fmt: skip
def test_fix_ends_with_how_many_were_fixed_and_remain(
    tmp_path: Path,
    image: Callable[..., Path],
    cli: Callable[..., CliResult],
    images: list[tuple[str, tuple[int, int], dict[str, object]]],
    summary: str,
    code: int,
) -> None:
    for name, size, extra in images:
        image(tmp_path / name, size=size, **extra)
    result = cli("--fix", ".", cwd=tmp_path)
    assert result.code == code
    assert summary in result.out.splitlines(), result.out


def test_a_file_left_with_other_errors_is_counted_as_remaining(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    """The size is fixed; the name that says JPEG for a PNG stays (a fix never renames)."""
    image(tmp_path / "a.jpg", size=(640, 360), fmt="PNG")
    result = cli("--fix", "a.jpg", cwd=tmp_path)
    assert "Fixed a.jpg: 640x360 -> 1280x720 (pad)" in result.out
    assert "a.jpg: SL005" in result.out
    assert result.out.splitlines()[-1] == "Found 1 error and 1 warning (1 fixed, 1 remaining)."


@pytest.mark.slow
def test_an_interrupted_fix_names_the_files_it_already_rewrote(tmp_path: Path) -> None:
    """Ctrl-C lands while a file is being fixed: the run finishes that file, names every
    file it rewrote, and leaves the rest untouched."""
    first = tmp_path / "p0.png"
    Image.effect_noise((3000, 2250), 64).convert("RGB").save(first, compress_level=1)
    names = [f"p{index}.png" for index in range(6)]
    for name in names[1:]:
        shutil.copyfile(first, tmp_path / name)
    before = {name: (tmp_path / name).read_bytes() for name in names}
    stamps = {name: (tmp_path / name).stat().st_mtime_ns for name in names}
    proc = subprocess.Popen(
        ["sora-lint", "--fix", "--jobs", "1", "--no-cache", "."],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=sora_lint_env(),
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any((tmp_path / n).stat().st_mtime_ns != stamps[n] for n in names):
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    changed = {n for n in names if (tmp_path / n).read_bytes() != before[n]}
    assert proc.returncode == 130, err
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == "sora-lint: stopping after the file being fixed (Ctrl-C again to stop now)"
    count = len(changed)
    assert lines[1] == f"sora-lint: interrupted after rewriting {count} file{'s' * (count > 1)}:"
    assert lines[2:] == [f"  {n}: 3000x2250 -> 1280x720" for n in sorted(changed)]
    assert 1 <= count < len(names)
    assert not list(tmp_path.glob(".*sora-lint-tmp*"))  # no temporary file left behind
