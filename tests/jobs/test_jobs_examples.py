"""The bundled job-file example (examples/jobs): every job and profile rule fires at its file
and line, for jobs in OpenAI's, Runway's, Veo's and Kling's request shapes."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import CliResult

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jobs"


def expected() -> list[Any]:
    spec = importlib.util.spec_from_file_location(
        "make_jobs_examples", EXAMPLE / "make_jobs_examples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.EXPECTED)


def test_every_new_rule_fires_at_the_right_file_and_line(cli: Callable[..., CliResult]) -> None:
    result = cli("--output-format", "json", cwd=EXAMPLE)
    assert result.code == 1 and result.err == ""
    found = sorted(
        ((d["code"], d["path"], d.get("line"), d.get("asset")) for d in result.json), key=repr
    )
    assert found == expected()
    codes = {code for code, *_ in found}
    assert {f"SL0{n}" for n in range(12, 24)} <= codes, "every rule from SL012 to SL023 fires"
    assert {f"SL0{n}" for n in range(30, 36)} <= codes, "every rule from SL030 to SL035 fires"
    assert {"jobs/launch.jsonl", "jobs/shots.json", "jobs/social.yaml", "jobs/batch.csv",
            "jobs/runway.json", "jobs/veo.json", "jobs/kling.jsonl"} <= {
        path for _, path, *_ in found
    }  # fmt: skip


def test_the_example_runs_from_the_repository_root_with_its_config(
    cli: Callable[..., CliResult],
) -> None:
    argv = ["--config", "examples/jobs/sora-lint.toml", "examples/jobs", "--select", "SL019"]
    result = cli(*argv, "--output-format", "github", cwd=EXAMPLE.parents[1])
    assert result.code == 1
    line = (
        "::error file=examples/jobs/jobs/social.yaml,line=5,title=SL019 unsupported-aspect-ratio::"
    )
    assert any(out.startswith(line) for out in result.out.splitlines()), result.out
    assert "[examples/jobs/assets/pano.png]" in result.out
