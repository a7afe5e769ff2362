"""Job files parse in linear time and bounded memory (issue 11, item 10), and no text makes a
job-file parser raise (a hypothesis fuzz of every format)."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.jobs.files import FORMATS, parse_jobs
from tests.conftest import make_image
from tests.security.support import sora_lint, sora_lint_measured

MAX_JOBS = 100_000  # plugins.jobs.parsed.MAX_JOBS (spelt out so the test runs on older code)


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (not hang) when the block takes longer than ``seconds``: a guard against the
    quadratic case, far above what the linear one takes."""
    if sys.platform == "win32":
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_long_json_array_gets_its_line_numbers_in_one_pass() -> None:
    """640 KB of ``{}`` items took 44.5 s: each item's line was counted from the start."""
    items = ",\n".join(["{}"] * 150_000)
    with deadline(20):
        parsed = parse_jobs(f"[\n{items}\n]", "json")
    assert parsed.error is not None and f"more than {MAX_JOBS:,} jobs" in parsed.error.message
    assert len(parsed.jobs) == MAX_JOBS
    assert [job.line for job in parsed.jobs[:3]] == [2, 3, 4]
    assert parsed.jobs[-1].line == MAX_JOBS + 1


def test_many_yaml_aliases_end_in_seconds(tmp_path: Path) -> None:
    """300,000 aliases took 53 s (the cache stamp printed every job's value)."""
    make_image(tmp_path / "a.png")
    lines = ["base: &b {input_reference: a.png, size: 1280x720}", "jobs:"]
    lines += ["  - *b"] * 300_000
    (tmp_path / "jobs.yaml").write_text("\n".join(lines) + "\n")
    run = sora_lint("--job-file", "jobs.yaml", ".", cwd=tmp_path, timeout=30)
    assert run.code == 1 and "jobs.yaml:1: SL012" in run.out, run.err
    assert "expands to more than" in run.out


def test_a_large_jsonl_file_takes_bounded_memory(tmp_path: Path) -> None:
    """2 MB of JSON Lines took 0.7-1.0 GB."""
    make_image(tmp_path / "a.png")
    (tmp_path / "jobs.jsonl").write_text("{}\n" * 700_000)
    run = sora_lint_measured(
        "--job-file", "jobs.jsonl", ".", cwd=tmp_path, peak_file=tmp_path / "peak", timeout=60
    )
    assert f"jobs.jsonl:{MAX_JOBS + 1}: SL012" in run.out, run.err
    assert run.peak_mib < 200, run.peak_mib


def test_job_files_hold_a_bounded_number_of_values_each_and_in_all(tmp_path: Path) -> None:
    """12 MB of ``[[{},{},…]]`` parsed to ~4 million objects (~20x its size in memory), and
    nothing bounded the job files of a run together: three such files took ~0.9 GB."""
    make_image(tmp_path / "a.png")
    for name in ("a.json", "b.json", "c.json"):
        (tmp_path / name).write_text("[[" + "{}," * 4_000_000 + "{}]]")
    (tmp_path / "sora-lint.toml").write_text('job-files = ["*.json"]\n')
    run = sora_lint_measured(".", cwd=tmp_path, peak_file=tmp_path / "peak", timeout=60)
    for name in ("a.json", "b.json", "c.json"):
        assert f"{name}:1: SL012" in run.out, run.out + run.err
    assert "may hold 4,000,003 values, more than the 1,000,000 left to read" in run.out
    assert run.peak_mib < 200, run.peak_mib

    # Under the cap each, but not in all: the third file is not read.
    for name in ("a.json", "b.json", "c.json"):
        job = '{"a":[0,0,0,0,0,0,0,0]}'  # ten values a job: 800,000 a file
        (tmp_path / name).write_text("[" + ",".join([job] * 80_000) + "]")
    run = sora_lint(".", cwd=tmp_path, timeout=60)
    assert "a.json:1: SL012" not in run.out and "b.json:1: SL012" not in run.out, run.out
    assert "c.json:1: SL012" in run.out and "left to read" in run.out, run.out


TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
#: Text shaped like job files: brackets, quotes, anchors, commas and newlines from the grammar.
SHAPED = st.lists(
    st.sampled_from(
        ["{", "}", "[", "]", '"', ",", ":", "\n", " ", "- ", "&a ", "*a", "<<: ", "jobs",
         "input_reference", "1280x720", "a.png", "---\n", "\t", "#", "'", "\\"]
    ),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(TEXT, SHAPED), fmt=st.sampled_from(sorted(set(FORMATS.values()))))
def test_no_text_makes_a_job_parser_raise(text: str, fmt: str) -> None:
    parsed = parse_jobs(text, fmt)
    assert len(parsed.jobs) <= MAX_JOBS
    for job in parsed.jobs:
        assert job.line >= 1
    if parsed.error is not None:
        assert parsed.error.line >= 1 and parsed.error.column >= 1
        json.dumps(parsed.error.message)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml", "csv"])
def test_lines_come_from_the_text(fmt: str) -> None:
    texts = {
        "json": '[\n  {"a": 1},\n\n  {"b": 2}\n]',
        "jsonl": '{"a": 1}\n\n{"b": 2}\n',
        "yaml": "- a: 1\n\n- b: 2\n",
        "csv": "a,b\n1,2\n\n3,4\n",
    }
    assert [job.line for job in parse_jobs(texts[fmt], fmt).jobs] == (
        [2, 4] if fmt == "csv" else [2, 4] if fmt == "json" else [1, 3]
    )


def _nest_past_path_max(folder: Path) -> None:
    """Folders nested past Linux's 4,096-byte PATH_MAX under ``folder``, one at a time."""
    folder.mkdir(parents=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(22):
            os.mkdir("d" * 199, dir_fd=fd)
            inner = os.open("d" * 199, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


@pytest.mark.skipif(sys.platform != "linux", reason="PATH_MAX and symlinks as on Linux")
def test_a_job_files_glob_never_walks_out_of_the_root(tmp_path: Path) -> None:
    """``job-files`` globs come from the repository: one through a committed symlink to
    ``/`` or through ``..`` walked the whole machine, and any folder there that could not be
    listed (vanished, nested past PATH_MAX) ended the run with exit 2. Globs now stay in the
    root, and a folder that cannot be listed is skipped."""
    outside = tmp_path / "outside"
    _nest_past_path_max(outside)
    (outside / "stolen.json").write_text('[{"input_reference": "a.png", "size": "64x64"}]')
    repo = tmp_path / "repo"
    _nest_past_path_max(repo / "deep")  # in the tree: discovery reports it (SL004)
    (repo / "link").symlink_to(outside)
    (repo / "jobs").mkdir()
    (repo / "jobs" / "ok.json").write_text('[{"input_reference": "a.png", "size": "1280x720"}]')
    make_image(repo / "a.png", size=(1280, 720))
    globs = ["link/**/*.json", "link/*.json", "../outside/**/*.json", "../*/stolen.json",
             "**/*.json"]  # fmt: skip
    (repo / "sora-lint.toml").write_text(f"job-files = {json.dumps(globs)}\n")
    run = sora_lint("--output-format", "json", ".", cwd=repo)
    assert run.code == 1 and run.err == "", (run.code, run.err)
    found = json.loads(run.out)
    assert [d["code"] for d in found] == ["SL004"], found  # the deep folder: a.png fits its job
    assert "stolen" not in run.out
