"""``sora-lint --fix`` as a user runs it: through ``main(argv)`` and a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from tests import fix_support as fs
from tests.conftest import CliResult, sora_lint_env

ROOT = Path(__file__).resolve().parents[2]
Cli = Callable[..., CliResult]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assets(folder: Path) -> Path:
    fs.write_picture(folder / "photo.jpg", (3024, 4032), orientation=6,
                     exif_tags={0x010F: "Acme"}, icc_profile=fs.srgb_icc())  # fmt: skip
    fs.write_picture(folder / "wide.png", (2560, 1440), fmt="PNG")
    fs.write_picture(folder / "sub" / "square.webp", (1000, 1000), fmt="WEBP", lossless=True)
    fs.write_picture(folder / "ok.jpg", (1280, 720))
    return folder


def run(cli: Cli, *argv: str, cwd: Path) -> CliResult:
    return cli(*argv, cwd=cwd)


def test_fix_makes_every_file_exact_and_a_second_run_changes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    folder = assets(tmp_path / "assets")
    first = run(cli, "--fix", "--jobs", "1", "--no-cache", "assets", cwd=tmp_path)
    assert first.code == 0, first.out + first.err
    sizes = {}
    for path in sorted(folder.rglob("*.*")):
        with Image.open(path) as image:
            sizes[path.name] = image.size
            assert image.getexif().get(0x0112, 1) == 1
    # auto: each picture goes to the allowed size nearest its upright aspect
    assert sizes == {"photo.jpg": (720, 1280), "wide.png": (1280, 720),
                     "square.webp": (1280, 720), "ok.jpg": (1280, 720)}  # fmt: skip
    before = snapshot(folder)
    second = run(cli, "--fix", "--jobs", "1", "--no-cache", "assets", cwd=tmp_path)
    assert second.code == 0, second.out
    assert snapshot(folder) == before


def test_diff_writes_nothing_and_exits_1(cli: Cli, tmp_path: Path) -> None:
    folder = assets(tmp_path / "assets")
    before = snapshot(folder)
    result = run(cli, "--diff", "--fix-mode", "cover", "--target", "1280x720", "--no-cache",
                 "assets", cwd=tmp_path)  # fmt: skip
    assert result.code == 1
    assert snapshot(folder) == before
    assert "square.webp" in result.out + result.err


def test_fix_to_mirrors_and_keeps_originals(cli: Cli, tmp_path: Path) -> None:
    folder = assets(tmp_path / "assets")
    before = snapshot(folder)
    result = run(cli, "--fix-to", "out", "--target", "1280x720", "--no-cache", "assets",
                 cwd=tmp_path)  # fmt: skip
    assert result.code in (0, 1), result.err
    assert snapshot(folder) == before
    written = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.*"))
    assert written == ["assets/photo.jpg", "assets/sub/square.webp", "assets/wide.png"]
    for name in written:
        with Image.open(tmp_path / "out" / name) as image:
            assert image.size == (1280, 720)


def test_json_carries_crop_bounds_in_the_sl001_object(cli: Cli, tmp_path: Path) -> None:
    fs.write_picture(tmp_path / "photo.jpg", (4032, 3024))
    result = run(cli, "--target", "1280x720", "--output-format", "json", "--no-cache",
                 "photo.jpg", cwd=tmp_path)  # fmt: skip
    (item,) = [d for d in json.loads(result.out) if d["code"] == "SL001"]
    assert item["crop_bounds"] == {
        "left_fraction": 0.0,
        "top_fraction": 0.125,
        "right_fraction": 1.0,
        "bottom_fraction": 0.875,
    }


def test_transparency_is_held_back_without_flatten(cli: Cli, tmp_path: Path) -> None:
    Image.new("RGBA", (1280, 720), (255, 0, 0, 0)).save(tmp_path / "logo.png")
    result = run(cli, "--fix", "--no-cache", "logo.png", cwd=tmp_path)
    assert "1 more fix" in result.out + result.err
    assert run(cli, "--fix", "--flatten", "--no-cache", "logo.png", cwd=tmp_path).code == 0
    with Image.open(tmp_path / "logo.png") as image:
        assert image.mode == "RGB"


def test_real_subprocess(tmp_path: Path) -> None:
    folder = assets(tmp_path / "assets")
    done = subprocess.run(
        [sys.executable, "-m", "sora_lint", "--fix", "--fix-mode",
         "cover", "--target", "1280x720", "--no-cache", str(folder)],
        cwd=ROOT, env=sora_lint_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    for path in folder.rglob("*.*"):
        with Image.open(path) as image:
            assert image.size == (1280, 720)


def _sora_lint(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sora_lint", *argv],
        cwd=ROOT, env=sora_lint_env(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_corpus_through_fix_to_without_a_traceback(corpus: Path, tmp_path: Path) -> None:
    """Images we did not make: every fixed copy is exact, upright, 8-bit, and a second run
    changes nothing."""
    out = tmp_path / "out"
    args = ("--fix-to", str(out), "--fix-mode", "cover", "--target", "1280x720", "--no-cache")
    done = _sora_lint(*args, str(corpus))
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) >= 50, "the corpus has many fixable images"
    for path in written:
        with Image.open(path) as image:
            image.load()
            assert image.size == (1280, 720), path
            assert image.getexif().get(0x0112, 1) == 1
    recheck = _sora_lint("--target", "1280x720", "--select", "SL001,SL006,SL008",
                         "--output-format", "json", "--no-cache", str(out))  # fmt: skip
    assert json.loads(recheck.stdout) == [], recheck.stdout[:2000]
    before = snapshot(out)
    again = _sora_lint(*args, str(corpus))
    assert again.returncode == done.returncode
    assert snapshot(out) == before


def test_fix_in_a_pool_of_workers(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for index in range(6):
        fs.write_picture(folder / f"p{index}.jpg", (800 + index, 600))
    result = run(cli, "--fix", "--jobs", "2", "--target", "1280x720", "--no-cache", "many",
                 cwd=tmp_path)  # fmt: skip
    assert result.code == 0, result.out + result.err
    for path in folder.iterdir():
        with Image.open(path) as image:
            assert image.size == (1280, 720)
