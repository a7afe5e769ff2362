"""Benchmark: fix phone photos to 1280x720 with sora-lint vs the recipe that circulates.

The recipe (from the articles on ``Inpaint image must match the requested width and
height``): ``ThreadPoolExecutor(max_workers=4)`` over ``ImageOps.fit(img, size,
Image.LANCZOS)`` (``ImageOps.pad`` for the letterbox) then ``save(quality=95)``. Both run on
this machine, in the same run, on fresh copies of the same generated photos, in alternating
order for ``--repeat`` rounds, keeping each side's best wall-clock time.

The photos are 12 MP JPEGs with EXIF of four kinds: landscape (4032x3024), portrait
(3024x4032: cover crops it to landscape, keeping 42% of its rows), and both again as noisy
high-ISO shots (strong luma noise, blotchy chroma noise). Quality is measured against the
ideal result: a full decode, ``ImageOps.fit``/``pad`` with LANCZOS, not encoded. For every
photo the PSNR of sora-lint's output and of the recipe's against that ideal is printed.
Goal: in each mode, sora-lint at least 2x faster in wall clock, and no photo further from
the ideal than the recipe's output of it.

    python benchmarks/fix_bench.py [-n 24] [--repeat 3] [--mode cover|pad|both] [--jobs N]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps, ImageStat

LANDSCAPE = (4032, 3024)
TARGET = (1280, 720)
GOAL_RATIO = 2.0
KINDS = ("landscape", "portrait", "high-iso", "high-iso-portrait")
MODES = ("cover", "pad")


def _scene(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Smooth gradients and shapes with edges, slightly soft as a lens renders them."""
    w, h = size
    channels = [
        Image.linear_gradient("L").rotate(rng.uniform(0, 360)).resize(size) for _ in range(3)
    ]
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randrange(40, 600)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), outline=colour, width=12)
    return image.filter(ImageFilter.GaussianBlur(2))


def _noise(size: tuple[int, int], sigma: float, blur: float = 0.0) -> Image.Image:
    """Zero-mean Gaussian noise around 128 (``ImageChops.add(..., offset=-128)`` adds it)."""
    noise = Image.effect_noise(size, sigma)
    return noise.filter(ImageFilter.GaussianBlur(blur)) if blur else noise


def make_photo(path: Path, kind: str, seed: int) -> None:
    """A photo-like JPEG of ``kind`` with EXIF (make, model, date, orientation 1)."""
    rng = random.Random(seed)
    size = LANDSCAPE if kind in ("landscape", "high-iso") else LANDSCAPE[::-1]
    image = _scene(size, rng)
    if kind.startswith("high-iso"):
        # Luma noise as a small sensor at high ISO leaves it; chroma noise in blotches.
        y, cb, cr = image.convert("YCbCr").split()
        y = ImageChops.add(y, _noise(size, 14), offset=-128)
        cb = ImageChops.add(cb, _noise(size, 6, 1.5), offset=-128)
        cr = ImageChops.add(cr, _noise(size, 6, 1.5), offset=-128)
        image = Image.merge("YCbCr", (y, cb, cr)).convert("RGB")
        quality = 90
    else:  # sensor-like noise: files come out at ~3.7 MB, like a 12 MP phone JPEG
        noise = Image.merge("RGB", [_noise(size, 8) for _ in range(3)])
        image = ImageChops.add(image, noise, offset=-128)
        quality = 92
    exif = Image.Exif()
    exif.update({0x010F: "BenchPhone", 0x0110: "Model 12", 0x0132: "2026:01:01 12:00:00"})
    exif[0x0112] = 1
    image.save(path, "JPEG", quality=quality, exif=exif.tobytes())


def generate(folder: Path, count: int) -> list[Path]:
    paths = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        path = folder / f"IMG_{index:04d}-{kind}.jpg"
        make_photo(path, kind, index)
        paths.append(path)
    return paths


def shape(mode: str) -> Callable[[Image.Image], Image.Image]:
    """The recipe's transform for ``mode``: ``ImageOps.fit`` or ``ImageOps.pad``, LANCZOS."""
    if mode == "cover":
        return lambda img: ImageOps.fit(img, TARGET, Image.Resampling.LANCZOS)
    return lambda img: ImageOps.pad(img, TARGET, Image.Resampling.LANCZOS, color=(0, 0, 0))


def recipe_one(path: Path, mode: str) -> None:
    """The circulating recipe, verbatim in spirit."""
    with Image.open(path) as img:
        shape(mode)(img).save(path, quality=95)


def ideal(path: Path, mode: str) -> Image.Image:
    """The ideal result: a full decode, resampled with LANCZOS from every pixel, not encoded."""
    with Image.open(path) as img:
        img.load()
        return shape(mode)(img)


def children_cpu() -> float:
    """CPU seconds of finished child processes (and theirs): what a subprocess run cost."""
    try:
        import resource
    except ImportError:  # Windows: no rusage; the CPU line then says nan
        return math.nan
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_recipe(paths: Sequence[Path], mode: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads) of the recipe."""
    start, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(recipe_one, paths, [mode] * len(paths)))
    return time.perf_counter() - start, time.process_time() - cpu


def child_env() -> dict[str, str]:
    """A user's environment: ``PYTHONDONTWRITEBYTECODE`` (set on some CI images) would make a
    development install compile sora-lint from source on every run; a ``pip install`` ships
    compiled bytecode, so that is what is measured (the ``--help`` probe writes it)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cli_command(mode: str) -> list[str]:
    """The sora-lint command line (``--no-cache``: every round does the whole work)."""
    exe = shutil.which("sora-lint")
    command = [exe] if exe else [sys.executable, "-m", "sora_lint"]
    return [*command, "--fix", "--fix-mode", mode, "--target", "1280x720", "--no-cache"]


def run_sora_lint(folder: Path, mode: str, jobs: int) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds (all processes) of the sora-lint command, and its options."""
    command = cli_command(mode)
    if jobs:
        command = [*command, "--jobs", str(jobs)]
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run([*command, str(folder)], capture_output=True, text=True, env=child_env())
    elapsed = time.perf_counter() - start
    if done.returncode == 2:
        raise SystemExit(f"sora-lint failed: {done.stderr.strip()}")
    return elapsed, children_cpu() - cpu, "the sora-lint command: " + " ".join(command[1:])


def psnr(path: Path, reference: Image.Image) -> float:
    """PSNR in dB of the image at ``path`` against ``reference`` (RGB, whole frame)."""
    with Image.open(path) as image:
        if image.size != reference.size:
            raise SystemExit(f"{path.name}: {image.size}, expected {reference.size}")
        diff = ImageChops.difference(image.convert("RGB"), reference.convert("RGB"))
    mse = sum(ImageStat.Stat(diff).sum2) / (3 * reference.size[0] * reference.size[1])
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def bench_mode(
    base: Path, originals: Sequence[Path], mode: str, args: argparse.Namespace
) -> tuple[bool, list[tuple[float, float]]]:
    """Time both sides in ``mode`` and score each photo; return (goal met, scores)."""
    recipe_dir, ours_dir = base / f"recipe-{mode}", base / f"sora-lint-{mode}"
    ours: list[tuple[float, float]] = []  # (wall, cpu) per round
    theirs: list[tuple[float, float]] = []
    how = ""
    for round_ in range(args.repeat):
        # Fresh copies each round; alternate who goes first; keep each side's best time
        # (the least disturbed by whatever else the machine is doing).
        for folder in (recipe_dir, ours_dir):
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(originals[0].parent, folder)
        recipe_paths = sorted(recipe_dir.glob("*.jpg"))
        ours_paths = sorted(ours_dir.glob("*.jpg"))
        if round_ % 2:
            theirs.append(run_recipe(recipe_paths, mode))
        wall, cpu, how = run_sora_lint(ours_dir, mode, args.jobs)
        ours.append((wall, cpu))
        if not round_ % 2:
            theirs.append(run_recipe(recipe_paths, mode))
    print(f"\n== {mode}: {how}")
    print(f"{'photo':34} {'sora-lint dB':>12} {'recipe dB':>10} {'difference':>10}")
    scores = []
    for original, mine, recipe in zip(originals, ours_paths, recipe_paths, strict=True):
        reference = ideal(original, mode)
        score = (psnr(mine, reference), psnr(recipe, reference))
        scores.append(score)
        print(f"{original.name:34} {score[0]:12.2f} {score[1]:10.2f} {score[0] - score[1]:+10.2f}")
    ours_wall, recipe_wall = min(w for w, _ in ours), min(w for w, _ in theirs)
    ratio = recipe_wall / ours_wall
    cpu_ratio = min(c for _, c in theirs) / min(c for _, c in ours)
    worst = min(a - b for a, b in scores)
    print(
        f"wall clock, best of {args.repeat}: recipe {recipe_wall:.2f} s, sora-lint "
        f"{ours_wall:.2f} s: {ratio:.2f}x (goal >= {GOAL_RATIO}x); "
        f"CPU: {cpu_ratio:.2f}x less"
    )
    print(
        f"PSNR against the ideal: sora-lint mean {_mean(a for a, _ in scores):.2f} dB, "
        f"recipe {_mean(b for _, b in scores):.2f} dB; worst photo {worst:+.2f} dB (goal >= 0)"
    )
    return ratio >= GOAL_RATIO and worst >= 0, scores


def _mean(values: object) -> float:
    found = list(values)  # type: ignore[call-overload]
    return sum(found) / len(found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=24, help="photos to generate")
    parser.add_argument(
        "--jobs", type=int, default=0, help="pass --jobs N to sora-lint (0: its default)"
    )
    parser.add_argument("--mode", choices=(*MODES, "both"), default="both")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each side's best counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sora-lint-bench-") as tmp:
        base = Path(tmp)
        originals = base / "originals"
        originals.mkdir()
        print(f"generating {args.count} 12 MP photos ({', '.join(KINDS)}) …", flush=True)
        paths = generate(originals, args.count)
        mean_mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
        print(f"cores: {os.cpu_count()}, photos: {len(paths)} (mean {mean_mb:.1f} MB)")
        met = True
        for mode in MODES if args.mode == "both" else (args.mode,):
            met = bench_mode(base, paths, mode, args)[0] and met
        print("\ngoal met" if met else "\ngoal NOT met")
        return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
