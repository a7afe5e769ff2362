"""A baseline never reads a file outside the tree: a committed symlink to a secret is
reported (SL004), and neither ``--write-baseline`` nor ``--baseline`` hashes its target
(the hash would land in the baseline, and a baseline in the pull request could test
guesses of it: a matching entry hid the finding)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.security.support import sora_lint

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks as on POSIX")


def test_a_baseline_never_hashes_a_file_outside_the_tree(tmp_path: Path) -> None:
    secret = tmp_path / "home" / "token.txt"
    secret.parent.mkdir()
    secret.write_bytes(b"hunter2\n")
    secret_hash = hashlib.sha256(secret.read_bytes()).hexdigest()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "sora-lint.toml").write_text("")
    (repo / "leak.png").symlink_to(secret)

    written = sora_lint("--write-baseline", "base.json", ".", cwd=repo)
    assert written.code == 0, written.err
    (entry,) = json.loads((repo / "base.json").read_text())["entries"]
    assert entry["path"] == "leak.png" and entry["code"] == "SL004"
    assert entry["sha256"] != secret_hash
    # The baseline it wrote still hides the finding.
    assert sora_lint("--baseline", "base.json", ".", cwd=repo).code == 0

    # A baseline that guesses the secret right hides nothing.
    guess = {"tool": "sora-lint", "version": 1, "entries": [
        {"path": "leak.png", "code": "SL004", "sha256": secret_hash, "count": 1}]}  # fmt: skip
    (repo / "guess.json").write_text(json.dumps(guess))
    run = sora_lint("--output-format", "json", "--baseline", "guess.json", ".", cwd=repo)
    assert run.code == 1 and [d["code"] for d in json.loads(run.out)] == ["SL004"], run.out
