"""``--shard I/N``: the shards of a tree are disjoint, cover it, and never depend on the machine."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sora_lint.run.shard import parse_shard, shard_of
from tests.conftest import CliResult
from tests.speed_support import mixed_tree, run_cli


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    mixed_tree(tmp_path / "assets", copies=5)
    return tmp_path


def paths_of(result: CliResult) -> list[str]:
    return [item["path"] for item in result.json]


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_partition_the_tree(tree: Path, cli: Callable[..., CliResult], count: int) -> None:
    whole = cli("--output-format", "json", "--no-cache", cwd=tree)
    parts = [
        cli("--output-format", "json", "--no-cache", "--shard", f"{i}/{count}", cwd=tree)
        for i in range(1, count + 1)
    ]
    seen: list[str] = []
    for part in parts:
        seen += sorted(set(paths_of(part)))
    assert len(seen) == len(set(seen))  # disjoint: no file in two shards
    assert sorted(seen) == sorted(set(paths_of(whole)))  # together: the whole tree
    merged = [item for part in parts for item in part.json]  # what `jq -s add` does
    key = lambda d: (d["path"], d["code"])  # noqa: E731
    assert sorted(merged, key=key) == sorted(whole.json, key=key)
    if count > 1:
        assert all(part.json for part in parts[:2])  # a real split, not all in one shard


def test_each_shard_counts_only_its_files(tree: Path, cli: Callable[..., CliResult]) -> None:
    total = len([p for p in tree.rglob("*") if p.is_file()])
    checked = []
    for index in (1, 2):
        out = cli("--no-cache", "--shard", f"{index}/2", cwd=tree).out
        checked.append(int(out.rsplit(" of ", 1)[1].split()[0]))
    assert sum(checked) == total


def test_assignment_is_stable_across_machines() -> None:
    """CRC-32 of the root-relative path: these values must never change between releases."""
    assert shard_of("a.png", 4) == 4
    assert shard_of("assets/hero.png", 8) == 6
    assert {shard_of(f"img{n}.png", 3) for n in range(30)} == {1, 2, 3}


def test_shard_is_the_same_from_a_subfolder(tree: Path) -> None:
    (tree / "sora-lint.toml").write_text("")
    from_root = run_cli("--output-format", "json", "--shard", "1/3", "assets", cwd=tree)
    from_sub = run_cli("--output-format", "json", "--shard", "1/3", ".", cwd=tree / "assets")
    names = lambda r: sorted(d["path"].removeprefix("assets/") for d in json.loads(r.stdout))  # noqa: E731
    assert names(from_root) == names(from_sub)


@pytest.mark.parametrize(("raw", "expected"), [("1/1", (1, 1)), ("2/4", (2, 4)), (" 3/3 ", (3, 3))])
def test_parse_shard(raw: str, expected: tuple[int, int]) -> None:
    assert parse_shard(raw) == expected


@pytest.mark.parametrize("bad", ["0/4", "5/4", "1/0", "1", "a/b", "1/4/2", "-1/4", ""])
def test_bad_shard_is_a_usage_error(
    bad: str, cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    result = cli("--shard", bad, cwd=tmp_path)
    assert result.code == 2
    assert "--shard" in result.err
