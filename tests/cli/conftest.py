"""The console script run for real, as a user, a hook or CI runs it."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import sora_lint_env

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def sora_lint() -> Run:
    """``sora_lint(*args, cwd=..., **env)``: the installed ``sora-lint`` in a subprocess."""

    def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["sora-lint", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            env=sora_lint_env(COLUMNS="100", **env),
            timeout=120,
        )

    return run
