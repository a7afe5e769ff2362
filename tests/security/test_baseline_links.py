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

from tests.conftest import make_image
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


@pytest.mark.parametrize("exists", [True, False])
def test_a_baseline_entry_outside_the_tree_never_tells_whether_its_file_exists(
    tmp_path: Path, exists: bool
) -> None:
    """An entry naming ``../home/token.txt`` is stale whether or not that file exists: a
    baseline from a pull request cannot probe the machine's files through the stale count."""
    secret = tmp_path / "home" / "token.txt"
    secret.parent.mkdir()
    if exists:
        secret.write_bytes(b"hunter2\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "sora-lint.toml").write_text("")
    make_image(repo / "a.png", (1280, 720))
    (repo / "in").symlink_to(tmp_path / "home")
    entries = [
        {"path": path, "code": "SL001", "sha256": "0" * 64, "count": 1}
        for path in ("../home/token.txt", "in/token.txt", str(secret))
    ]
    (repo / "base.json").write_text(
        json.dumps({"tool": "sora-lint", "version": 1, "entries": entries})
    )
    run = sora_lint("--baseline", "base.json", "a.png", cwd=repo)
    assert run.code == 0, run.err
    assert "3 stale" in run.out + run.err, run.out + run.err
