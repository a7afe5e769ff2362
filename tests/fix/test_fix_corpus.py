"""Idempotence on the shared corpus of third-party images: every file a check says ``--fix``
can fix is fixed once, and a second ``--fix`` rewrites nothing (issue #11, item 11)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import sora_lint_env
from tests.fix.test_fix_cli import snapshot

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = ("--no-cache", "--target", "1280x720", "--flatten")


def sora_lint(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command (a hostile file that crashed a decoder would not take pytest along)."""
    return subprocess.run(
        [sys.executable, "-m", "sora_lint", *OPTIONS, *argv], cwd=cwd, capture_output=True,
        text=True, timeout=300, env=sora_lint_env(PYTHONPATH=str(ROOT)),
    )  # fmt: skip


def test_a_second_fix_of_every_fixable_corpus_file_rewrites_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    checked = sora_lint("--output-format", "json", "--exit-zero", str(corpus), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    fixable = {
        Path(found.get("asset") or found["path"])
        for found in json.loads(checked.stdout)
        if any(fix["applicability"] != "display-only" for fix in found.get("fixes", ()))
    }
    assert len(fixable) > 100  # the corpus has many: a vacuous run would pass
    folder = tmp_path / "corpus"
    for path in fixable:
        copy = folder / path.relative_to(corpus)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    first = sora_lint("--fix", "--jobs", "2", "corpus", cwd=tmp_path)
    assert first.returncode in (0, 1) and "Traceback" not in first.stderr, first.stderr
    assert first.stdout.count("Fixed ") > 100, first.stdout[-3000:]
    before = snapshot(folder)
    second = sora_lint("--fix", "--jobs", "2", "corpus", cwd=tmp_path)
    assert second.returncode in (0, 1), second.stderr
    again = [line for line in second.stdout.splitlines() if line.startswith("Fixed ")]
    assert again == [], again
    changed = sorted(name for name, value in snapshot(folder).items() if before[name] != value)
    assert changed == []
