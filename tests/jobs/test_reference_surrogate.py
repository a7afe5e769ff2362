"""An ``input_reference`` that cannot be a file name on the disk (a lone surrogate, which JSON
allows) is a missing file inside the repository, not one outside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.jobs.test_rules_jobs import J, found, job, project


@pytest.mark.parametrize(
    "reference", ["assets/\ud800.png", "\udcff/land.png", "./../assets/x\ud83d.png"]
)
def test_a_lone_surrogate_inside_the_repository_is_a_missing_file(
    tmp_path: Path, cli: Callable[..., CliResult], reference: str
) -> None:
    root = project(tmp_path, job(input_reference=reference) + "\n")
    result = cli("--output-format", "json", cwd=root)
    assert found(result) == [("SL014", J, 1, None)], result.out
    assert result.err == ""


def test_a_lone_surrogate_outside_the_repository_is_still_outside(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    root = project(tmp_path, job(input_reference="./../../\ud800/x.png") + "\n")
    assert found(cli("--output-format", "json", cwd=root)) == [("SL015", J, 1, None)]
