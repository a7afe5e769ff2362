"""Job-file parsers: every format gives each job its 1-based line; malformed files give the
line and column where reading stopped, as a value, never an exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sora_lint_plugins.jobs.files import MAX_JOB_FILE_BYTES, parse_jobs, read_job_file

JOB_A = {"model": "sora-2", "input_reference": "a.png"}
JOB_B = {"model": "sora-2-pro", "input_reference": "b.png"}


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("json", '{"model": "sora-2", "input_reference": "a.png"}', [(1, JOB_A)]),
        ("json", '\n\n  {"model": "sora-2",\n "input_reference": "a.png"}', [(3, JOB_A)]),
        (
            "json",
            '[\n  {"model": "sora-2", "input_reference": "a.png"},\n\n'
            '  {"model": "sora-2-pro",\n   "input_reference": "b.png"}\n]\n',
            [(2, JOB_A), (4, JOB_B)],
        ),
        (
            "json",
            '{"version": 1,\n "jobs": [\n  {"model": "sora-2", "input_reference": "a.png"},\n'
            '  {"model": "sora-2-pro", "input_reference": "b.png"}]}',
            [(3, JOB_A), (4, JOB_B)],
        ),
        ("json", "[]", []),
        (
            "jsonl",
            '{"model": "sora-2", "input_reference": "a.png"}\n\n'
            '{"model": "sora-2-pro", "input_reference": "b.png"}\n',
            [(1, JOB_A), (3, JOB_B)],
        ),
        (
            "yaml",
            "# jobs\n- model: sora-2\n  input_reference: a.png\n"
            "- model: sora-2-pro\n  input_reference: b.png\n",
            [(2, JOB_A), (4, JOB_B)],
        ),
        (
            "yaml",
            "jobs:\n  - model: sora-2\n    input_reference: a.png\n---\n"
            "model: sora-2-pro\ninput_reference: b.png\n",
            [(2, JOB_A), (5, JOB_B)],
        ),
        (
            "csv",
            'model,input_reference,prompt\nsora-2,a.png,"two\nlines"\n\nsora-2-pro,b.png,x\n',
            [(2, {**JOB_A, "prompt": "two\nlines"}), (5, {**JOB_B, "prompt": "x"})],
        ),
        ("tsv", "model\tinput_reference\nsora-2\ta.png\n", [(2, JOB_A)]),
    ],
    ids=[
        "json-object",
        "json-object-late",
        "json-list",
        "json-jobs-key",
        "json-empty",
        "jsonl",
        "yaml-list",
        "yaml-docs",
        "csv",
        "tsv",
    ],
)
def test_jobs_and_their_lines(fmt: str, text: str, expected: list[tuple[int, Any]]) -> None:
    parsed = parse_jobs(text, fmt)
    assert parsed.error is None
    assert [(job.line, job.value) for job in parsed.jobs] == expected


@pytest.mark.parametrize(
    ("fmt", "text", "line", "column", "kept", "words"),
    [
        ("json", '[\n {"model": "sora-2",\n  "size": }\n]', 3, 11, 0, "invalid JSON"),
        ("json", '{"a": 1}\n{"b": 2}', 2, 1, 0, "extra data"),
        ("jsonl", '{"a": 1}\n{"a": 2}\n{"a": \n{"a": 4}', 3, 7, 2, "invalid JSON"),
        ("yaml", "- model: sora-2\n- model: [sora-2\n  size: 1\n", 3, 7, 0, "invalid YAML"),
        ("yaml", "a: 1\n b: 2\n", 2, 3, 0, "invalid YAML"),
        ("csv", "model,size\nsora-2,1280x720,extra\n", 2, 1, 0, "header names 2"),
        ("csv", 'model,size\nsora-2,"1280x720\n', 2, 1, 0, "invalid CSV"),
        ("json", "[" * 100_000, 1, 1, 0, "nested too deeply"),
    ],
    ids=[
        "json-value",
        "json-extra",
        "jsonl-line",
        "yaml-flow",
        "yaml-indent",
        "csv-fields",
        "csv-quote",
        "json-deep",
    ],
)
def test_malformed_files_report_line_and_column(
    fmt: str, text: str, line: int, column: int, kept: int, words: str
) -> None:
    parsed = parse_jobs(text, fmt)
    assert parsed.error is not None
    assert (parsed.error.line, parsed.error.column) == (line, column), parsed.error
    assert words in parsed.error.message
    assert len(parsed.jobs) == kept


def test_yaml_is_read_with_the_safe_loader(tmp_path: Path) -> None:
    text = "- !!python/object/apply:os.system ['touch pwned']\n"
    parsed = parse_jobs(text, "yaml")
    assert parsed.error is not None and "invalid YAML" in parsed.error.message
    assert not (tmp_path / "pwned").exists()


def test_yaml_aliases_that_expand_too_far_are_refused_quickly() -> None:
    """A billion-laughs document (15 million values once expanded) is measured without being
    expanded and refused; a few aliases of a small anchor are fine."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    lines.append("jobs:\n  - prompt: *i\n    input_reference: a.png")
    parsed = parse_jobs("\n".join(lines) + "\n", "yaml")
    assert parsed.error is not None and "expands to more than" in parsed.error.message
    assert parsed.jobs == ()
    small = "base: &b {model: sora-2}\njobs:\n  - <<: *b\n    input_reference: a.png\n"
    parsed = parse_jobs(small, "yaml")
    assert parsed.error is None and [job.line for job in parsed.jobs] == [3]


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    parsed = parse_jobs("jobs: &j\n  - input_reference: a.png\n  - *j\n", "yaml")
    assert parsed.error is not None and "refers to itself" in parsed.error.message


@pytest.mark.parametrize(
    ("name", "data", "words", "line"),
    [
        ("jobs.txt", b"{}", "not a job file format", 1),
        ("jobs.json", b'{"a": 1}\n{"b": "\xff"}', "not UTF-8", 2),
        ("jobs.json", b"\xef\xbb\xbf[{}]", None, 1),  # a UTF-8 BOM is fine
    ],
)
def test_read_job_file(
    tmp_path: Path, name: str, data: bytes, words: str | None, line: int
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    parsed = read_job_file(path)
    if words is None:
        assert parsed.error is None and [job.line for job in parsed.jobs] == [line]
    else:
        assert parsed.error is not None and words in parsed.error.message
        assert parsed.error.line == line


def test_oversized_and_unreadable_files_are_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("wb") as handle:
        handle.truncate(MAX_JOB_FILE_BYTES + 1)
    parsed = read_job_file(big)
    assert parsed.error is not None and "larger than" in parsed.error.message
    folder = tmp_path / "folder.json"
    folder.mkdir()
    parsed = read_job_file(folder)
    assert parsed.error is not None and "cannot read" in parsed.error.message


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), fmt=st.sampled_from(["json", "jsonl", "yaml", "csv", "tsv"]))
def test_any_bytes_parse_to_jobs_or_an_error(data: bytes, fmt: str) -> None:
    parsed = parse_jobs(data.decode("utf-8", "replace"), fmt)
    assert all(job.line >= 1 for job in parsed.jobs)
    if parsed.error is not None:
        assert parsed.error.line >= 1 and parsed.error.column >= 1 and parsed.error.message


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet='[]{}",:-\n \t#&*!|>x1', max_size=300),
    fmt=st.sampled_from(["json", "jsonl", "yaml", "csv"]),
)
def test_structural_noise_never_escapes(text: str, fmt: str) -> None:
    parsed = parse_jobs(text, fmt)
    assert parsed.error is None or parsed.error.line >= 1
