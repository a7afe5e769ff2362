"""The ``json-lines`` reporter: one object per line, the same shape as the ``json`` output."""

from __future__ import annotations

import io
import json

import pytest
from sora_lint_plugins.reporters import jsonlines as report_jsonlines

from sora_lint.output.json_shape import diagnostic_to_dict
from sora_lint.types import Applicability, Diagnostic, Fix, RunReport, Severity, Size

DIAGS = (
    Diagnostic(
        "SL001",
        "size-mismatch",
        Severity.ERROR,
        "Inpaint image must match the requested width and height",
        "ü/a\nb.png",
        size=Size(100, 50),
        target=Size(1280, 720),
        fixes=(
            Fix(
                "crop_bounds",
                Applicability.DISPLAY_ONLY,
                "crop",
                report_fields={
                    "crop_bounds": {"left": 0.1, "top": 0.0, "right": 0.9, "bottom": 1.0}
                },
            ),
        ),
    ),
    Diagnostic("SL005", "extension-mismatch", Severity.WARNING, "m", "bad\udcff.jpg"),
    Diagnostic("SL003", "unsupported-size", Severity.ERROR, "m", "jobs.toml", 3, "a.png"),
)


def _lines(diags: tuple[Diagnostic, ...]) -> list[str]:
    stream = io.StringIO()
    report_jsonlines.write(RunReport(diags, files_checked=3), stream)
    return stream.getvalue().splitlines()


def test_one_object_per_line_matching_the_json_shape() -> None:
    lines = _lines(DIAGS)
    assert len(lines) == len(DIAGS)
    for line, diagnostic in zip(lines, DIAGS, strict=True):
        assert json.loads(line) == diagnostic_to_dict(diagnostic)
    first = json.loads(lines[0])
    assert first["size"] == "100x50" and first["target"] == "1280x720"
    assert first["crop_bounds"]["left"] == 0.1
    assert json.loads(lines[2])["line"] == 3 and json.loads(lines[2])["asset"] == "a.png"


@pytest.mark.parametrize("index", range(len(DIAGS)))
def test_each_line_is_utf8_safe(index: int) -> None:
    _lines(DIAGS)[index].encode("utf-8")


def test_clean_run_prints_nothing() -> None:
    assert _lines(()) == []
