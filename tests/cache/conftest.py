"""Fixtures of the cache tests: the command run with the cache's debug line on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sora_lint.run import pipeline
from tests.conftest import CliResult


@pytest.fixture
def lint(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    monkeypatch.setenv(pipeline.DEBUG_ENV, "1")

    def run(folder: Path, *argv: str) -> CliResult:
        return cli("--output-format", "json", *argv, cwd=folder)

    return run
