"""The pre-commit hooks under a real ``pre-commit`` (issue 11, item 6; issue 12, the hooks
receive symlinks): a committed file named like an option stays a file name, and a symlink
pointing outside the repository reaches the check and is reported."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.test_precommit import _git, _repo, _try_repo, pre_commit_home

__all__ = ["pre_commit_home"]  # the module-scoped fixture, shared

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="such names and symlinks are POSIX"),
]


def test_an_option_named_file_is_a_path_and_symlinks_reach_the_hook(
    tmp_path: Path, image: Callable[..., Path], pre_commit_home: Path
) -> None:
    repo = _repo(tmp_path)
    image(repo / "victim.png")
    before = (repo / "victim.png").read_bytes()
    image(repo / "--output-file=victim.png", size=(640, 360))  # a wrong size: reported
    outside = image(tmp_path / "outside.png")
    (repo / "link.png").symlink_to(outside)
    _git(repo, "add", ".")
    proc = _try_repo(repo, pre_commit_home, "sora-lint", "--all-files")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert (repo / "victim.png").read_bytes() == before
    assert "--output-file=victim.png: SL001" in out, out
    assert "link.png: SL004" in out and "outside the repository" in out, out
