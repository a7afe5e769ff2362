"""``--jobs``: a pool gives exactly the single-process output, and stays off when not worth it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sora_lint.parallel import pool as parallel
from sora_lint.parallel.pool import MIN_PARALLEL_FILES, plan_jobs
from sora_lint.run import pipeline
from tests.conftest import CliResult
from tests.speed_support import mixed_tree, run_cli


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    mixed_tree(tmp_path / "assets", copies=4)
    return tmp_path


def test_two_jobs_print_exactly_what_one_job_prints(
    tree: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pipeline.DEBUG_ENV, "1")
    for output in ("json", "text"):
        one = cli("--no-cache", "--jobs", "1", "--output-format", output, cwd=tree)
        two = cli("--no-cache", "--jobs", "2", "--output-format", output, cwd=tree)
        assert "jobs=1" in one.err
        assert "jobs=2" in two.err
        assert two.code == one.code == 1
        assert two.out == one.out
    assert len(one.out.splitlines()) > 4 * 10  # every set reported something


def test_pool_and_cache_together_match_a_plain_run(tree: Path) -> None:
    plain = run_cli("--no-cache", "--jobs", "1", "--output-format", "json", cwd=tree)
    first = run_cli("--jobs", "2", "--output-format", "json", cwd=tree, SORA_LINT_DEBUG="1")
    again = run_cli("--jobs", "2", "--output-format", "json", cwd=tree, SORA_LINT_DEBUG="1")
    assert plain.stdout == first.stdout == again.stdout
    assert "jobs=2" in first.stderr
    assert " 0 to probe" in again.stderr, again.stderr


def test_spawned_workers_rebuild_the_same_host(
    tree: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What macOS and Windows do: workers start fresh and rebuild plugins from the spec."""
    one = cli("--no-cache", "--jobs", "1", "--output-format", "json", "-p", "no:rules_pixels",
              cwd=tree)  # fmt: skip
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")
    two = cli("--no-cache", "--jobs", "2", "--output-format", "json", "-p", "no:rules_pixels",
              cwd=tree)  # fmt: skip
    assert two.out == one.out
    assert "SL009" not in two.out  # the blocked plugin stayed blocked in the workers


def test_plugin_objects_keep_the_run_in_process(
    tree: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Extra:
        __name__ = "extra"

    monkeypatch.setenv(pipeline.DEBUG_ENV, "1")
    result = cli("--no-cache", "--jobs", "2", cwd=tree, plugins=(Extra(),))
    assert "jobs=1" in result.err


@pytest.mark.parametrize(
    ("requested", "files", "pre_commit", "expected"),
    [
        (0, MIN_PARALLEL_FILES - 1, False, 1),  # few files: a pool costs more than it saves
        (0, 10_000, True, 1),  # pre-commit already runs one process per CPU
        (1, 10_000, False, 1),
        (3, 10_000, False, 3),  # asked for explicitly
        (3, 10_000, True, 3),
        (8, 2, False, 2),  # never more workers than files
        (4, 0, False, 1),
    ],
)
def test_plan_jobs(
    requested: int, files: int, pre_commit: bool, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if pre_commit:
        monkeypatch.setenv("PRE_COMMIT", "1")
    assert plan_jobs(requested, files) == expected


def test_default_uses_every_cpu_on_big_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "available_cpus", lambda: 6)
    assert plan_jobs(0, 10_000) == 6
    assert plan_jobs(0, 10_000, fixing=True) == 6
    assert plan_jobs(0, 3) == 1  # not worth a pool
    assert plan_jobs(4, 10_000) == 4  # asked for explicitly


@pytest.mark.parametrize("bad", ["-1", "two", "1.5"])
def test_bad_jobs_is_a_usage_error(bad: str, cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = cli("--jobs", bad, str(tmp_path), cwd=tmp_path)
    assert result.code == 2
    assert "--jobs" in result.err


def test_jobs_from_config(
    tree: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "sora-lint.toml").write_text("jobs = 2\nno-cache = true\n")
    monkeypatch.setenv(pipeline.DEBUG_ENV, "1")
    result = cli(cwd=tree)
    assert "jobs=2" in result.err
    assert "cache off" in result.err


def test_fix_runs_use_a_pool_from_a_handful_of_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    monkeypatch.setattr("sora_lint.parallel.pool.available_cpus", lambda: 2)
    assert plan_jobs(0, 48, fixing=True) == 2
    assert plan_jobs(0, 48, fixing=False) == 1
    assert plan_jobs(0, 3, fixing=True) == 1
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert plan_jobs(0, 48, fixing=True) == 1
