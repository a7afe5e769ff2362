"""Standard output for a report of megabytes: a larger pipe buffer when a pipe takes it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sora_lint.cli.stdout import PIPE_BYTES
from tests.conftest import sora_lint_env

fcntl = pytest.importorskip("fcntl")
if not hasattr(fcntl, "F_GETPIPE_SZ"):
    pytest.skip("pipe buffer sizes are a Linux feature", allow_module_level=True)


def test_a_pipe_gets_a_larger_buffer_and_the_report_arrives_whole(
    tmp_path: Path, image: Callable[..., Path]
) -> None:
    """The run asks for a 1 MB buffer on the pipe it writes to (the reader's end shows the
    pipe's size); a file or a terminal is left alone."""
    for index in range(3):
        image(tmp_path / f"wide{index}.png", (64 + index, 36))
    command = [sys.executable, "-m", "sora_lint", "--target", "1280x720", "--output-format",
               "sarif", "--exit-zero", "."]  # fmt: skip
    with subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                          env=sora_lint_env()) as child:  # fmt: skip
        assert child.stdout is not None
        before = fcntl.fcntl(child.stdout.fileno(), fcntl.F_GETPIPE_SZ)
        report = child.stdout.read()
        after = fcntl.fcntl(child.stdout.fileno(), fcntl.F_GETPIPE_SZ)
    assert child.returncode == 0
    results = json.loads(report)["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        f"wide{index}.png" for index in range(3)
    }
    assert before < PIPE_BYTES <= after
    with (tmp_path / "out.sarif").open("wb") as out:  # not a pipe: written as ever
        done = subprocess.run(command, cwd=tmp_path, stdout=out, env=sora_lint_env())
    assert done.returncode == 0
    assert json.loads((tmp_path / "out.sarif").read_bytes())["runs"][0]["results"]
