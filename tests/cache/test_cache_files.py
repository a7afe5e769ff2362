"""The cache's files: damaged or forged ones cannot change a run, concurrent runs leave whole
files, --no-cache writes nothing and --cache-dir moves them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sora_lint.cache.layout import LAYOUT
from tests.cache.support import counts, entries, entries_of, findings_file
from tests.conftest import CliResult, sora_lint_env
from tests.speed_support import mixed_tree, run_cli


@pytest.mark.parametrize(
    "damage",
    [b"", b"{", b"\x00\xff garbage", b'{"layout": "v3", "entries": []}',
     b'{"layout": "v4", "entries": {"set000/good.png": ["x", 1, 2, 3, 4]}}',
     b'{"layout": "v4", "entries": {"set000/good.png": '
     b'[1, [1, "PNG", [1,1,"RGB",1,1,false,8], null], null, null, 0]}}',
     b'{"layout": "v4", "values": [], "days": 3}', b"[" * 100_000],
)  # fmt: skip
@pytest.mark.parametrize("which", ["buckets", "findings"])
def test_corrupt_cache_files_are_ignored(
    tmp_path: Path, lint: Callable[..., CliResult], damage: bytes, which: str
) -> None:
    mixed_tree(tmp_path)
    expected = lint(tmp_path).out
    damaged = entries(tmp_path) if which == "buckets" else [findings_file(tmp_path)]
    for path in damaged:
        path.write_bytes(damage)
    again = lint(tmp_path)
    assert again.out == expected
    if which == "buckets":
        assert counts(again.err)[0] == 0
    else:  # entries that name no finding are misses; clean files still hit
        assert 0 < counts(again.err)[2] < len(entries_of(tmp_path))
    assert counts(lint(tmp_path).err)[2] == 0  # rewritten whole


def test_forged_entry_with_the_right_key_cannot_crash_a_run(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    mixed_tree(tmp_path)
    expected = lint(tmp_path).out
    for path in entries(tmp_path):
        data = json.loads(path.read_text())
        for entry in data["entries"].values():
            entry[1:3] = [-1, [7, ["w", None, 3, {}, [], "x", 8], ["no-such-kind", 5]]]
            entry[4] = [["SL001"], {"a": 1}, 7]
        path.write_text(json.dumps(data))
    assert lint(tmp_path).out == expected
    # The shared values forged under the names the entries use: every shape is wrong.
    lint(tmp_path)
    table = findings_file(tmp_path)
    data = json.loads(table.read_text())
    forged = [7, ["w", None, 3, {}, [], "x", 8], ["no-such-kind", 5], None, {}]
    data["values"] = {name: forged[i % len(forged)] for i, name in enumerate(data["values"])}
    table.write_text(json.dumps(data))
    assert lint(tmp_path).out == expected


def test_concurrent_runs_leave_a_valid_cache(tmp_path: Path) -> None:
    mixed_tree(tmp_path, copies=8)
    args = [sys.executable, "-m", "sora_lint", "--output-format", "json", "--jobs", "1"]
    env = sora_lint_env(SORA_LINT_DEBUG="1")
    expected = run_cli("--no-cache", "--output-format", "json", cwd=tmp_path).stdout
    procs = [
        subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [proc.communicate(timeout=300)[0] for proc in procs]
    assert outputs == [expected] * 4
    for path in entries(tmp_path):
        json.loads(path.read_text())  # whole files only, never a partial write
    assert not list((tmp_path / ".sora-lint-cache").rglob("*.tmp"))
    final = run_cli("--output-format", "json", cwd=tmp_path, SORA_LINT_DEBUG="1")
    assert final.stdout == expected


def test_no_cache_writes_nothing(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    mixed_tree(tmp_path)
    assert "cache off" in lint(tmp_path, "--no-cache").err
    assert not (tmp_path / ".sora-lint-cache").exists()


def test_cache_dir_option(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    mixed_tree(tmp_path / "assets")
    lint(tmp_path, "--cache-dir", "build/lint-cache")
    assert list((tmp_path / "build" / "lint-cache").glob(f"{LAYOUT}/*/[0-9a-f][0-9a-f].json"))
    assert not (tmp_path / ".sora-lint-cache").exists()
