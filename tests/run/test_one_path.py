"""A file's outcome is worked out in one place, whoever asks: this process, a worker, or the
cache handing over the probe result it kept (then the file is not read again)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome, process_file, recheck
from sora_lint.run.probing import probe_file
from tests.conftest import make_image
from tests.run.support import bundled_session
from tests.speed_support import mixed_tree


def _candidate(path: Path, cwd: Path) -> Candidate:
    return Candidate(path, os.path.relpath(path, cwd), False, str(path))


def test_a_kept_probe_result_gives_the_outcome_without_reading_the_file(tmp_path: Path) -> None:
    """The cache's recheck goes through process_file with the asset it kept: the same
    outcome as probing, and the file itself is never opened (here it is gone)."""
    paths = mixed_tree(tmp_path)
    probing, cached = bundled_session(tmp_path), bundled_session(tmp_path)
    expected: dict[Path, FileOutcome] = {}
    kept = {}
    for path in paths:
        candidate = _candidate(path, tmp_path)
        expected[path] = process_file(candidate, probing)
        kept[path] = probe_file(path, candidate.display, cached.host, cached.roots)
    for path in paths:
        path.unlink()
    for path in paths:
        candidate = _candidate(path, tmp_path)
        outcome = recheck(kept[path], candidate, cached)
        assert outcome == expected[path]
        assert outcome.diagnostics == process_file(candidate, cached, kept[path]).diagnostics
    assert any(o.diagnostics for o in expected.values())  # the tree has findings to compare


@pytest.mark.parametrize(("argv", "keeps"), [((), True), (("--no-cache",), False)])
def test_a_clean_files_probe_result_is_kept_only_for_the_cache(
    tmp_path: Path, argv: tuple[str, ...], keeps: bool
) -> None:
    good = make_image(tmp_path / "good.png")
    bad = make_image(tmp_path / "small.png", (640, 360))
    session = bundled_session(tmp_path, *argv)
    assert session.keeps_assets is keeps
    clean = process_file(_candidate(good, tmp_path), session)
    found = process_file(_candidate(bad, tmp_path), session)
    assert clean.diagnostics == () and (clean.asset is not None) is keeps
    assert found.diagnostics and found.asset is not None  # reports need it either way
