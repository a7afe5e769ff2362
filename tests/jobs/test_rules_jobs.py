"""Job files through the command: each rule at the right file and line, the job's target for
its image, precedence, which files a run covers, options and errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import CliResult

Found = list[tuple[str, str, int | None, str | None]]


def png(path: Path, size: tuple[int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (40, 80, 120)).save(path)


def project(root: Path, jobs: str, name: str = "jobs/batch.jsonl", config: str = "") -> Path:
    """A repository with landscape/portrait/wide images (wide.png is for runway-gen4, which
    takes it as it is), one job file and its config."""
    png(root / "assets" / "land.png", (1280, 720))
    png(root / "assets" / "port.png", (720, 1280))
    png(root / "assets" / "wide.png", (1920, 1080))
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(jobs, encoding="utf-8")
    wide = '[[tool.sora-lint.overrides]]\npaths = ["assets/wide.png"]\nmodel = "runway-gen4"\n'
    (root / "pyproject.toml").write_text(
        f'[tool.sora-lint]\njob-files = ["jobs/*"]\n{config}{wide}', encoding="utf-8"
    )
    return root


def found(result: CliResult) -> Found:
    assert result.err == "", result.err
    return sorted((d["code"], d["path"], d.get("line"), d.get("asset")) for d in result.json)


def job(**fields: object) -> str:
    return json.dumps(fields)


J = "jobs/batch.jsonl"
CASES: list[tuple[str, list[str], Found]] = [
    (
        "clean",
        [
            job(
                model="sora-2",
                size="1280x720",
                input_reference="assets/land.png",
                prompt="a",
                seconds="8",
            )
        ],
        [],
    ),
    (
        "size-mismatch-at-job",
        [job(size="720x1280", input_reference="assets/land.png")],
        [("SL001", J, 1, "assets/land.png")],
    ),
    (
        "unsupported-size",
        [job(model="sora-2", size="1792x1024", input_reference="assets/land.png")],
        [("SL003", J, 1, "assets/land.png")],
    ),
    (
        "pro-size-ok",
        [job(model="sora-2-pro", size="1280x720", input_reference="assets/land.png")],
        [],
    ),
    ("unparseable", ["{}", '{"size": }'], [("SL012", J, 2, None)]),
    ("not-an-object", ["[1, 2]"], [("SL013", J, 1, None)]),
    (
        "unknown-model",
        [job(model="sora-3", input_reference="assets/land.png")],
        [("SL013", J, 1, "assets/land.png")],
    ),
    (
        "bad-size-text",
        [job(size="1280*720", input_reference="assets/land.png")],
        [("SL013", J, 1, "assets/land.png")],
    ),
    ("missing", ["", job(input_reference="assets/gone.png")], [("SL014", J, 2, None)]),
    ("relative-to-job", [job(input_reference="../assets/land.png", size="1280x720")], []),
    ("relative-to-root", [job(input_reference="land.png")], [("SL014", J, 1, None)]),
    ("dot-relative-ok", [job(input_reference="./../assets/land.png", size="1280x720")], []),
    ("outside", [job(input_reference="./../../elsewhere.png")], [("SL015", J, 1, None)]),
    ("url-skipped", [job(input_reference="https://example.com/a.png")], []),
    (
        "conflict",
        [
            job(size="1280x720", input_reference="assets/land.png"),
            job(size="1280x720", input_reference="assets/land.png"),
            job(size="720x1280", input_reference="assets/land.png"),
        ],
        [("SL016", J, 3, "assets/land.png")],
    ),
    (
        "seconds",
        [job(seconds="10", input_reference="assets/land.png"), job(seconds=8), job(seconds=8.0)],
        [("SL017", J, 1, "assets/land.png"), ("SL017", J, 3, None)],
    ),
    (
        "prompt",
        [job(prompt="  "), job(prompt="x" * 32_001), job(prompt="x" * 32_000), job(prompt=["a"])],
        [("SL013", J, 4, None), ("SL018", J, 1, None), ("SL018", J, 2, None)],
    ),
    (
        "second-job-size-sl003",
        [
            job(size="1280x720", input_reference="assets/land.png"),
            job(size="1024x1792", input_reference="assets/land.png"),
        ],
        [("SL003", J, 2, "assets/land.png"), ("SL016", J, 2, "assets/land.png")],
    ),
    ("ratio-profile", [job(model="runway-gen4", input_reference="assets/wide.png")], []),
]


@pytest.mark.parametrize(("lines", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_job_rules_fire_at_file_and_line(
    tmp_path: Path, cli: Callable[..., CliResult], lines: list[str], expected: Found
) -> None:
    root = project(tmp_path, "\n".join(lines) + "\n")
    result = cli("--output-format", "json", cwd=root)
    assert found(result) == expected
    assert result.code == (1 if expected else 0)


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("jobs/a.json", '[\n  {"model": "sora-2"},\n  {"size": "720x1280",\n'
         '   "input_reference": "assets/land.png"}\n]\n', 3),
        ("jobs/a.yaml", "- model: sora-2\n- size: 720x1280\n"
         "  input_reference: assets/land.png\n", 2),
        ("jobs/a.csv", "size,input_reference,prompt\n1280x720,assets/port.png,\"a\nb\"\n"
         "720x1280,assets/land.png,c\n", 4),
    ],
)  # fmt: skip
def test_every_format_points_at_the_job_line(
    tmp_path: Path, cli: Callable[..., CliResult], name: str, text: str, line: int
) -> None:
    root = project(tmp_path, text, name=name)
    codes = found(cli("assets", "--output-format", "json", "--select", "SL001", cwd=root))
    assert ("SL001", name, line, "assets/land.png") in codes


def test_job_fields_map_a_pipelines_own_names(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    jobs = json.dumps({"params": {"resolution": "720x1280"}, "image": "assets/land.png"})
    config = 'job-fields = { size = "params.resolution", input_reference = "image" }\n'
    root = project(tmp_path, jobs + "\n", config=config)
    assert found(cli("--output-format", "json", cwd=root)) == [("SL001", J, 1, "assets/land.png")]
    flag = cli("--output-format", "json", "--job-fields", "input_reference=image", cwd=root)
    assert found(flag) == []  # size is read from "size" again: absent, so auto


def test_a_job_target_beats_config_and_command_line(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    """Precedence: job > file name > --target/config/overrides (documented in plugins/jobs)."""
    config = '[[tool.sora-lint.overrides]]\npaths = ["assets/*"]\ntarget = "720x1280"\n'
    root = project(tmp_path, job(size="1280x720", input_reference="assets/land.png"), config=config)
    png(root / "assets" / "hero_720x1280.png", (1280, 720))
    result = found(cli("assets", "--output-format", "json", "--target-from-filename", cwd=root))
    assert result == [
        ("SL001", "assets/hero_720x1280.png", None, None),  # the file name beats overrides
        ("SL001", "assets/wide.png", None, None),  # overrides: 720x1280 for the rest
    ]  # land.png: its job asks 1280x720, which beats the override's 720x1280
    result = found(cli("assets", "--output-format", "json", "--target", "720x1280", cwd=root))
    assert ("SL001", "assets/land.png", None, None) not in result


def test_which_files_a_run_covers(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """A job file's findings and images belong to a run that covers the job file."""
    lines = [job(size="720x1280", input_reference="assets/land.png"), job(prompt="")]
    root = project(tmp_path, "\n".join(lines) + "\n")
    (root / "other").mkdir()
    png(root / "other" / "ok.png", (1280, 720))
    assert found(cli("other", "--output-format", "json", cwd=root)) == []
    everything = found(cli("--output-format", "json", cwd=root))
    assert everything == [("SL001", J, 1, "assets/land.png"), ("SL018", J, 2, None)]
    # Naming the job file (as pre-commit does) lints it and its image, not as an image.
    assert found(cli(J, "--output-format", "json", cwd=root)) == everything
    # Naming only the image checks it against its job.
    only_image = found(cli("assets/land.png", "--output-format", "json", cwd=root))
    assert only_image == [("SL001", J, 1, "assets/land.png")]
    # Exclude still applies to the images jobs bring in.
    excluded = found(cli(J, "--exclude", "assets", "--output-format", "json", cwd=root))
    assert excluded == [("SL018", J, 2, None)]


def test_job_file_option_and_select(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    root = tmp_path
    png(root / "a.png", (1280, 720))
    (root / "more.yaml").write_text("- prompt: ''\n  input_reference: a.png\n", encoding="utf-8")
    result = cli("--isolated", "--job-file", "more.yaml", "--output-format", "json", "x", cwd=root)
    assert result.code == 2  # x does not exist
    (root / "x").mkdir()
    result = cli("--isolated", "--job-file", "more.yaml", "--output-format", "json", "x", cwd=root)
    assert found(result) == [("SL018", "more.yaml", 1, "a.png")]
    ignored = cli("--isolated", "--job-file", "more.yaml", "--ignore", "SL018", "x", cwd=root)
    assert ignored.code == 0


@pytest.mark.parametrize(
    ("argv", "config", "message"),
    [
        (["--job-file", "nope.jsonl"], "", "--job-file nope.jsonl: no such file"),
        ([], 'job-fields = { picture = "image" }\n', "unknown job field 'picture'"),
        ([], 'job-files = ["/abs/*.json"]\n', "globs are relative to the project root"),
        (["--job-fields", "image"], "", "is not FIELD=NAME"),
    ],
)
def test_job_option_errors_exit_2(
    tmp_path: Path, cli: Callable[..., CliResult], argv: list[str], config: str, message: str
) -> None:
    (tmp_path / "sora-lint.toml").write_text(config, encoding="utf-8")
    result = cli(*argv, cwd=tmp_path)
    assert result.code == 2 and message in result.err
    assert "Traceback" not in result.err and len(result.err.splitlines()) == 1


def test_text_output_names_job_line_and_image(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    root = project(tmp_path, job(size="720x1280", input_reference="assets/land.png") + "\n")
    result = cli(cwd=root)
    assert f"{J}:1 (assets/land.png): SL001" in result.out
    github = cli("--output-format", "github", cwd=root).out
    assert f"::error file={J},line=1,title=SL001 size-mismatch::" in github


def test_hostile_job_fields_become_diagnostics(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    lines = [
        job(input_reference="a" * 5000),
        job(input_reference="x\u0000y.png"),
        job(input_reference="/"),
        job(input_reference="."),
        job(prompt={"nested": [1] * 10}),
        job(size=10**100),
        job(model=["sora-2"]),
        job(seconds=[4]),
    ]
    root = project(tmp_path, "\n".join(lines) + "\n")
    result = cli("jobs", "--output-format", "json", cwd=root)
    assert result.code == 1 and result.err == ""
    assert [(d["code"], d["line"]) for d in result.json] == [
        ("SL013", 1), ("SL013", 2), ("SL015", 3), ("SL014", 4), ("SL013", 5), ("SL013", 6),
        ("SL013", 7), ("SL017", 8),
    ]  # fmt: skip
    assert all(len(d["message"]) < 200 for d in result.json)


def test_runs_share_no_state(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """The job index lives as long as the run's settings: a second run reads files afresh."""
    import gc

    from sora_lint_plugins.jobs import index as _jobs_index

    root = project(tmp_path, job(size="720x1280", input_reference="assets/land.png") + "\n")
    assert found(cli("--output-format", "json", cwd=root)) == [("SL001", J, 1, "assets/land.png")]
    (root / J).write_text(job(size="1280x720", input_reference="assets/land.png") + "\n")
    assert found(cli("--output-format", "json", cwd=root)) == []
    gc.collect()
    assert _jobs_index._INDEXES == {}


@pytest.mark.parametrize(
    ("stem", "size"),
    [
        ("hero_1280x720", (1280, 720)),
        ("1280x720-hero", (1280, 720)),
        ("shot.720X1280", (720, 1280)),
        ("a_640x480_v2_1792x1024", (1792, 1024)),
        ("hero1280x720", None),
        ("hero_1280x720px", None),
        ("hero_0x720", None),
        ("hero", None),
    ],
)
def test_size_in_file_name(stem: str, size: tuple[int, int] | None) -> None:
    from sora_lint_plugins.targets.filename import size_in_name

    from sora_lint.types import Size

    assert size_in_name(stem) == (Size(*size) if size else None)
