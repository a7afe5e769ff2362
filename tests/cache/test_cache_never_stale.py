"""Never a stale verdict: settings, job files and command-line keys are part of the key, fresh
files are not stored, and --fix re-probes what it fixes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cache.support import age_image, counts
from tests.conftest import CliResult, make_image
from tests.speed_support import age, mixed_tree


def test_settings_that_change_results_change_the_key(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    mixed_tree(tmp_path)
    lint(tmp_path)
    portrait = lint(tmp_path, "--target", "720x1280")
    assert counts(portrait.err)[0] == 0
    assert '"target": "720x1280"' in portrait.out
    text = lint(tmp_path, "--output-format", "text", "--quiet")  # output only: same key
    assert counts(text.err)[2] == 0


def test_fresh_files_are_not_stored(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    """A file written moments ago could change again within the same timestamp tick."""
    make_image(tmp_path / "new.png")
    lint(tmp_path)
    assert counts(lint(tmp_path).err) == (0, 0, 1)


def test_fix_never_trusts_a_cached_finding(tmp_path: Path, lint: Callable[..., CliResult]) -> None:
    small = age_image(tmp_path / "small.png", (640, 360))
    good = age_image(tmp_path / "good.png", (1280, 720))
    lint(tmp_path)
    fixed = lint(tmp_path, "--fix")
    if "unrecognized arguments: --fix" in fixed.err:
        pytest.skip("the fixer plugins are not installed in this checkout yet")
    assert counts(fixed.err) == (1, 0, 1)  # the clean file may hit; the bad one is re-probed
    assert small.stat().st_size != 0 and good.exists()
    assert lint(tmp_path, "--no-cache").out == "[]\n"


def test_a_job_file_edit_reruns_the_rules_without_reading_images(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    """The jobs plugin's cache stamp: a new target in a job file is never a stale verdict."""
    (tmp_path / "pyproject.toml").write_text('[tool.sora-lint]\njob-files = ["jobs/*"]\n')
    landscape = make_image(tmp_path / "shots" / "a.png", size=(1280, 720))
    other = make_image(tmp_path / "shots" / "b.png", size=(1280, 720))
    jobs = tmp_path / "jobs" / "run.jsonl"
    jobs.parent.mkdir()
    jobs.write_text('{"input_reference": "shots/a.png", "size": "1280x720"}\n')
    for path in (landscape, other, jobs):
        age(path)
    first = lint(tmp_path, "shots")
    assert first.code == 0, first.out
    assert counts(lint(tmp_path, "shots").err) == (2, 0, 0)
    jobs.write_text('{"input_reference": "shots/a.png", "size": "720x1280"}\n')
    age(jobs)
    edited = lint(tmp_path, "shots")
    assert counts(edited.err) == (0, 2, 0)  # both rechecked from the cache, none re-probed
    assert edited.code == 1 and '"target": "720x1280"' in edited.out
    assert counts(lint(tmp_path, "shots").err) == (2, 0, 0)


def test_cli_keys_that_decide_overrides_are_part_of_the_key(
    tmp_path: Path, lint: Callable[..., CliResult]
) -> None:
    """``--target auto`` on the command line beats an override that config alone would apply."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.sora-lint]\ntarget = "auto"\n'
        '[[tool.sora-lint.overrides]]\npaths = ["*.png"]\ntarget = "720x1280"\n'
    )
    age(make_image(tmp_path / "wide.png", size=(1280, 720)))
    assert lint(tmp_path, "wide.png").code == 1  # the override asks for portrait
    assert lint(tmp_path, "wide.png").code == 1
    overridden = lint(tmp_path, "--target", "auto", "wide.png")
    assert overridden.code == 0, overridden.out
    assert counts(overridden.err)[0] == 0


def test_every_module_of_the_core_and_the_bundled_plugins_is_in_the_key() -> None:
    """A development install changes modules without changing the version: every one, in
    every sub-package, is stamped (the key once covered only the cache's own folder)."""
    import sora_lint_plugins

    import sora_lint
    from sora_lint.cache.keys import _core_stamp

    stamped = {entry[0].split("/", 1)[1] for entry in _core_stamp()}
    for package in (sora_lint, sora_lint_plugins):
        top = Path(package.__file__).parent
        modules = {p.relative_to(top).as_posix() for p in top.rglob("*.py")}
        assert modules <= stamped
    assert {"run/engine.py", "cache/keys.py", "rules/size.py", "probes/jpeg_segments.py"} <= stamped
