"""Every input that used to end in a traceback is exit 2 with one line naming the key, path or
value (issue 11, item 12), or an ordinary finding when it is about a file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import make_image
from tests.security.support import one_error_line, sora_lint

#: (pyproject.toml bytes or None, sora-lint.toml text or None, extra argv, words in the line)
CASES = [
    (None, 'include = ["[z-a]"]\n', (), "include"),
    (None, "", ("--exclude", "\\"), "--exclude"),
    (None, "max-pixels = inf\n", (), "max-pixels"),
    (None, "max-pixels = 1.5\n", (), "max-pixels"),
    (None, "jobs = inf\n", (), "jobs"),
    (None, "jpeg-quality = nan\n", (), "jpeg-quality"),
    (None, "pad-blur-radius = -inf\n", (), "pad-blur-radius"),
    (None, "pad-blur-radius = 1000000000000000\n", (), "pad-blur-radius"),  # was a fix failure
    (None, "", ("--pad-blur-radius", "4097"), "--pad-blur-radius"),
    (None, 'per-file-ignores = { "[z-a]" = ["SL001"] }\n', (), "per-file-ignores"),
    (None, '[[overrides]]\npaths = ["a\\\\"]\ntarget = "1280x720"\n', (), "overrides[0].paths"),
    (b"[tool.sora-lint]\nmodel = '\xff\xfe'\n", None, (), "not UTF-8"),
    (b'tool = "x"\n', None, (), "tool: expected a table"),
    (b"[tool]\nsora-lint = 3\n", None, (), "expected a table"),
    (None, 'baseline = "\\u0000"\n', (), "baseline"),
    (None, 'cache-dir = "\\u0000"\n', (), "cache-dir"),
    (None, "a = " + "[" * 5000 + "]" * 5000 + "\n", (), "invalid TOML"),
]


@pytest.mark.parametrize(("pyproject", "config", "argv", "words"), CASES)
def test_config_and_usage_errors_are_one_line(
    tmp_path: Path, pyproject: bytes | None, config: str | None, argv: tuple[str, ...], words: str
) -> None:
    make_image(tmp_path / "a.png")
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_bytes(pyproject)
    if config is not None:
        (tmp_path / "sora-lint.toml").write_text(config)
    assert words in one_error_line(sora_lint(*argv, ".", cwd=tmp_path))


def test_a_baseline_nested_100k_deep_is_one_line(tmp_path: Path) -> None:
    make_image(tmp_path / "a.png")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    line = one_error_line(sora_lint("--baseline", "deep.json", ".", cwd=tmp_path))
    assert "deep.json" in line


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlink_loop_named_on_the_command_line_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "loop.png").symlink_to("loop.png")
    run = sora_lint("--output-format", "json", "loop.png", cwd=tmp_path)
    assert "Traceback" not in run.err and run.code == 1, run.err
    assert [d["code"] for d in json.loads(run.out)] == ["SL004"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_standard_output_on_a_full_device_is_one_line(tmp_path: Path) -> None:
    make_image(tmp_path / "a.png", size=(640, 360))
    import subprocess
    import sys

    from tests.conftest import sora_lint_env

    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "sora_lint", "."], cwd=tmp_path, stdout=full,
            stderr=subprocess.PIPE, text=True, env=sora_lint_env(), timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines() == [
        "sora-lint: error: cannot write to standard output: No space left on device"
    ]


@pytest.mark.skipif(os.name != "posix", reason="closes descriptor 1 with a POSIX shell")
def test_a_closed_standard_output_is_one_line(tmp_path: Path) -> None:
    """Started with descriptor 1 closed (``>&-``), Python has no ``sys.stdout``: a run that
    prints is exit 2 with the usual line, a run writing its report to a file is unchanged."""
    make_image(tmp_path / "a.png", size=(640, 360))
    import subprocess
    import sys

    from tests.conftest import sora_lint_env

    def closed(*args: str) -> subprocess.CompletedProcess[str]:
        command = " ".join([sys.executable, "-m", "sora_lint", *args])
        return subprocess.run(
            ["sh", "-c", f"exec {command} >&-"], cwd=tmp_path, stderr=subprocess.PIPE,
            text=True, env=sora_lint_env(), timeout=60, check=False,
        )  # fmt: skip

    done = closed(".")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines() == [
        "sora-lint: error: cannot write to standard output: it is closed"
    ]
    to_file = closed("--output-file", "report.txt", ".")
    assert to_file.returncode == 1 and to_file.stderr == "", to_file.stderr
    assert "a.png: SL001" in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_an_ascii_only_standard_output_shows_escapes(tmp_path: Path) -> None:
    make_image(tmp_path / "phone.jpg", orientation=6)  # SL006 says "90°"
    make_image(tmp_path / "caf\u00e9.png", size=(640, 360))
    run = sora_lint(".", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert "90\\xb0" in run.out and "caf\\xe9.png" in run.out, run.out
