"""Check-mode speed against baselines measured in the same run, as ratios (issue 4's goals).

Prints per-file microseconds of: the I/O floor (read the first 64 KiB of each file), a naive
``Image.open(p).size`` loop, the ``imagesize`` package, ``sora-lint --no-cache`` (marginal:
time on N files minus time on N/4, so start-up cancels out), and a no-change cached re-run
against a bare ``os.stat`` walk of the same tree. Then the ratios and their goals:
lint/floor <= 2.0, naive/lint >= 3.0, re-run/stat-walk <= 4.0.

    pip install -e '.[bench]'
    python benchmarks/bench_check.py            # makes an 8,000-file corpus in a temp folder

sora-lint runs as a real subprocess (``python -m sora_lint``), exactly as a user or CI runs
it: its process pool, cache and start-up are part of what is measured, and no state of this
script (imported modules, page-cache warm-up aside) can flatter it. The floor, naive and
imagesize loops run in this process, with no start-up to subtract. Every figure is the best
of ``--repeat`` runs, interleaved, so a busy machine biases every side alike; the re-run and
its stat walk both start a fresh interpreter (start-up included, as the goal says).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import make_corpus

STAT_WALK = """
import os, sys
count = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in files:
        os.stat(os.path.join(folder, name))
        count += 1
"""


CPU: dict[str, float] = {}  # per-file CPU microseconds, by label: robust on a busy machine


def per_file(paths: Sequence[Path], action: Callable[[Path], object], repeat: int) -> float:
    """Best per-file wall microseconds of ``action`` over ``paths`` (CPU kept in ``CPU``)."""
    best = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        for path in paths:
            action(path)
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    CPU[getattr(action, "__name__", "?")] = cpu / len(paths) * 1e6
    return best / len(paths) * 1e6


def read_floor(path: Path) -> None:
    with open(path, "rb") as handle:
        handle.read(65536)


def naive_pillow(path: Path) -> None:
    with Image.open(path) as image:
        image.size  # noqa: B018 - the point is to read it


def child_env() -> dict[str, str]:
    """The environment of a user's shell: not under pre-commit, and writing bytecode.

    ``PYTHONDONTWRITEBYTECODE`` (set on some CI images) would make every run of a development
    install compile sora-lint from source; a ``pip install`` ships compiled bytecode, so
    that is what is measured (the first run writes it).
    """
    drop = ("PRE_COMMIT", "PYTHONDONTWRITEBYTECODE")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def timed(command: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (the child and its workers) of one run of ``command``."""
    env = child_env()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best_of(commands: dict[str, list[str]], cwd: Path, repeat: int) -> dict[str, float]:
    """Best wall time of each command, the runs interleaved (best CPU time in ``CPU``)."""
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, command in commands.items():
            wall, cpu = timed(command, cwd)
            best[name] = min(best[name], wall)
            CPU[name] = min(CPU.get(name, float("inf")), cpu)
    return best


def lint(*args: str) -> list[str]:
    return [sys.executable, "-m", "sora_lint", "--exit-zero", "-q", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=8000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", default="0", help="sora-lint --jobs (0: its default)")
    parser.add_argument("--corpus", type=Path, help="an existing make_corpus.py folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sora-lint-bench-") as scratch:
        root = args.corpus or Path(scratch) / "corpus"
        if args.corpus is None:
            print(f"making a corpus of {args.files} files in {root} ...", flush=True)
            make_corpus(root, args.files, parts=4)
        run(root, args)


def run(root: Path, args: argparse.Namespace) -> None:
    paths = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    small = [p for p in paths if p.parts[len(root.parts)] == "part0"]
    n_big, n_small = len(paths), len(small)
    for path in paths:  # warm page cache, as on a developer's machine or a CI re-run
        read_floor(path)
    floor = per_file(paths, read_floor, args.repeat)
    naive = per_file(paths, naive_pillow, args.repeat)
    try:
        import imagesize

        sizes: float | None = per_file(paths, imagesize.get, args.repeat)
    except ImportError:
        sizes = None
    jobs = ["--jobs", args.jobs]
    cold = best_of(
        {"small": lint("--no-cache", *jobs, "part0"), "big": lint("--no-cache", *jobs, "."),
         "small1": lint("--no-cache", "--jobs", "1", "part0"),
         "big1": lint("--no-cache", "--jobs", "1", ".")},
        root, args.repeat,
    )  # fmt: skip
    marginal = (cold["big"] - cold["small"]) / (n_big - n_small) * 1e6
    marginal1 = (cold["big1"] - cold["small1"]) / (n_big - n_small) * 1e6
    timed(lint(*jobs, "."), root)  # fill the cache
    warm = best_of(
        {"rerun": lint(*jobs, "."), "walk": [sys.executable, "-c", STAT_WALK, "."],
         "python": [sys.executable, "-c", "pass"], "help": lint("--help")},
        root, args.repeat,
    )  # fmt: skip
    stat_in_process = per_file(paths, os.stat, args.repeat)
    print(f"\nsora-lint check-mode benchmark: {n_big} files ({n_small} for the marginal base)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'per file':<44}{'µs':>10}")
    rows = [
        ("read 64 KiB (I/O floor)", floor),
        ("naive Image.open(p).size", naive),
        ("imagesize.get(p)", sizes),
        (f"sora-lint --no-cache --jobs {args.jobs} (marginal)", marginal),
        ("sora-lint --no-cache --jobs 1 (marginal)", marginal1),
        ("os.stat (in process)", stat_in_process),
    ]
    for label, value in rows:
        print(f"  {label:<42}{'n/a' if value is None else f'{value:10.1f}'}")
    print(f"{'whole runs':<44}{'ms':>10}")
    for label, key in (("sora-lint cached re-run", "rerun"), ("stat walk (fresh python)", "walk"),
                       ("python -c pass", "python"), ("sora-lint --help", "help")):  # fmt: skip
        print(f"  {label:<42}{warm[key] * 1e3:10.1f}")
    ratios = [
        ("lint/floor", marginal / floor, "<=", 2.0),
        ("naive/lint", naive / marginal, ">=", 3.0),
        ("re-run/stat-walk", warm["rerun"] / warm["walk"], "<=", 4.0),
    ]
    lint_cpu = (CPU["big1"] - CPU["small1"]) / (n_big - n_small) * 1e6
    cpu_ratios = [
        CPU["read_floor"] and lint_cpu / CPU["read_floor"],
        lint_cpu and CPU["naive_pillow"] / lint_cpu,
        CPU["walk"] and CPU["rerun"] / CPU["walk"],
    ]
    print(f"ratios (goal){'wall':>16}{'cpu':>8}   cpu: --jobs 1, robust to other load")
    for (name, value, op, goal), cpu_value in zip(ratios, cpu_ratios, strict=True):
        verdict = "met" if (value <= goal if op == "<=" else value >= goal) else "MISSED"
        print(f"  {name:<18}{op} {goal:<5}{value:8.2f}{cpu_value:8.2f}  {verdict}")
    print(f"  (sora-lint --jobs 1 marginal CPU: {lint_cpu:.1f} µs/file; floor CPU: "
          f"{CPU['read_floor']:.1f}; naive CPU: {CPU['naive_pillow']:.1f})")  # fmt: skip


if __name__ == "__main__":
    main()
