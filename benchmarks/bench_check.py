"""Check-mode speed, for every output format, against baselines measured in the same run.

Prints per-file microseconds of: the I/O floor (read the first 64 KiB of each file), a naive
``Image.open(p).size`` loop, the ``imagesize`` package, and ``sora-lint --no-cache`` in each
output format it registers (marginal: time on N files minus time on N/4, so start-up
cancels out, the report included: a CI run pays for both). Then, per format, the ratios
and their goals: marginal within 1.3x of the text format's, lint/floor <= 2.0 and
naive/lint >= 3.0; and a no-change cached re-run against a bare ``os.stat`` walk of the same
tree (<= 4.0).

    pip install -e '.[bench]'
    python benchmarks/bench_check.py            # makes an 8,000-file corpus in a temp folder

The corpus (``make_corpus.py``) has hundreds of distinct image sizes, most of them findings,
as a real content repository has: a benchmark of a handful of kinds never sees what a report
of thousands of distinct findings costs. sora-lint runs as a real subprocess (``python -m
sora_lint``), exactly as a user or CI runs it, its report written to a pipe that is read and
thrown away. The floor, naive and imagesize loops run in this process, with no start-up to
subtract. Every figure is the best of ``--repeat`` runs, interleaved, so a busy machine biases
every side alike; CPU figures (the child and its workers) are printed beside the wall-clock
ones because they move less when other processes share the machine.
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

LIST_FORMATS = """
from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
print(" ".join(PluginHost(build_plugin_manager()).reporters))
"""

CPU: dict[str, float] = {}  # CPU seconds (in-process loops: per file µs), by label
OUTPUT: dict[str, int] = {}  # bytes each sora-lint run printed, by label
LINES: dict[str, int] = {}  # lines each sora-lint run printed, by label


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


def timed(command: Sequence[str], cwd: Path) -> tuple[float, float, int, int]:
    """Wall and CPU seconds (the child and its workers) of one run of ``command``, and the
    bytes and lines it printed (read from a pipe, as a CI log or a redirect takes them)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=cwd, env=child_env(), stdout=subprocess.PIPE) as child:
        assert child.stdout is not None
        printed = lines = 0
        while chunk := child.stdout.read(1 << 20):
            printed += len(chunk)
            lines += chunk.count(b"\n")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, printed, lines


def best_of(commands: dict[str, list[str]], cwd: Path, repeat: int) -> dict[str, float]:
    """Best wall time of each command, the runs interleaved (best CPU time in ``CPU``)."""
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, command in commands.items():
            wall, cpu, OUTPUT[name], LINES[name] = timed(command, cwd)
            best[name] = min(best[name], wall)
            CPU[name] = min(CPU.get(name, float("inf")), cpu)
    return best


def lint(*args: str) -> list[str]:
    return [sys.executable, "-m", "sora_lint", "--exit-zero", "-q", *args]


def output_formats() -> list[str]:
    """Every output format sora-lint registers, ``text`` first."""
    done = subprocess.run([sys.executable, "-c", LIST_FORMATS], capture_output=True,
                          text=True, check=True, env=child_env())  # fmt: skip
    names = done.stdout.split()
    return ["text", *sorted(name for name in names if name != "text")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=8000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="0", help="sora-lint --jobs (0: its default)")
    parser.add_argument("--corpus", type=Path, help="an existing make_corpus.py folder")
    parser.add_argument("--formats", help="comma-separated formats (default: all)")
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
    formats = args.formats.split(",") if args.formats else output_formats()
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
    commands = {"small1": lint("--no-cache", "--jobs", "1", "part0"),
                "big1": lint("--no-cache", "--jobs", "1", ".")}  # fmt: skip
    for name in formats:
        chosen = ["--no-cache", *jobs, "--output-format", name]
        commands[f"small {name}"] = lint(*chosen, "part0")
        commands[f"big {name}"] = lint(*chosen, ".")
    cold = best_of(commands, root, args.repeat)
    per = n_big - n_small

    def marginal(name: str, table: dict[str, float]) -> float:
        return (table[f"big {name}"] - table[f"small {name}"]) / per * 1e6

    timed(lint(*jobs, "."), root)  # fill the cache
    warm = best_of(
        {"rerun": lint(*jobs, "."), "walk": [sys.executable, "-c", STAT_WALK, "."],
         "python": [sys.executable, "-c", "pass"], "help": lint("--help")},
        root, args.repeat,
    )  # fmt: skip
    stat_in_process = per_file(paths, os.stat, args.repeat)
    print(f"\nsora-lint check-mode benchmark: {n_big} files ({n_small} for the marginal base)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'per file':<44}{'µs':>10}{'cpu µs':>10}")
    rows = [
        ("read 64 KiB (I/O floor)", floor, CPU["read_floor"]),
        ("naive Image.open(p).size", naive, CPU["naive_pillow"]),
        ("imagesize.get(p)", sizes, CPU.get("get")),
        ("os.stat (in process)", stat_in_process, CPU["stat"]),
        ("sora-lint --no-cache --jobs 1 (marginal)", marginal("1", {
            "big 1": cold["big1"], "small 1": cold["small1"]}),
         (CPU["big1"] - CPU["small1"]) / per * 1e6),
    ]  # fmt: skip
    for label, value, cpu in rows:
        shown = "n/a" if value is None else f"{value:10.1f}"
        print(f"  {label:<42}{shown:>10}{'' if cpu is None else f'{cpu:10.1f}'}")
    print(f"{'whole runs':<44}{'ms':>10}")
    for label, key in (("sora-lint cached re-run", "rerun"), ("stat walk (fresh python)", "walk"),
                       ("python -c pass", "python"), ("sora-lint --help", "help")):  # fmt: skip
        print(f"  {label:<42}{warm[key] * 1e3:10.1f}")
    text = marginal("text", cold)
    text_cpu = marginal("text", {k: CPU[k] for k in cold})
    print(f"\nper output format, --no-cache --jobs {args.jobs}, marginal per file "
          f"({LINES['big text']} findings, the lines of the text report)")  # fmt: skip
    print(f"  {'format':<12}{'µs':>8}{'/text':>7}{'lint/floor':>11}{'naive/lint':>11}"
          f"{'cpu µs':>8}{'cpu/text':>9}{'MB out':>8}  goals: /text <= 1.3, lint/floor <= 2.0, "
          "naive/lint >= 3.0")  # fmt: skip
    missed = []
    for name in formats:
        value = marginal(name, cold)
        cpu = marginal(name, {k: CPU[k] for k in cold})
        versus, over_floor, naive_over = value / text, value / floor, naive / value
        ok = versus <= 1.3 and over_floor <= 2.0 and naive_over >= 3.0
        if not ok:
            missed.append(name)
        print(f"  {name:<12}{value:8.1f}{versus:7.2f}{over_floor:11.2f}{naive_over:11.2f}"
              f"{cpu:8.1f}{cpu / text_cpu:9.2f}{OUTPUT[f'big {name}'] / 1e6:8.1f}  "
              f"{'met' if ok else 'MISSED'}")  # fmt: skip
    rerun = warm["rerun"] / warm["walk"]
    print(
        f"cached re-run / stat walk (<= 4.0): {rerun:.2f} wall, "
        f"{CPU['rerun'] / CPU['walk']:.2f} cpu  {'met' if rerun <= 4.0 else 'MISSED'}"
    )
    print(
        "all goals met"
        if not missed and rerun <= 4.0
        else f"goals missed: {', '.join(missed + (['re-run'] if rerun > 4.0 else []))}"
    )


if __name__ == "__main__":
    main()
