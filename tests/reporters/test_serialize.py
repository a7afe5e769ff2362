"""The shared JSON shape of a diagnostic and the GitHub annotation cap."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from sora_lint_plugins.reporters.github import cap_annotations, overflow_notices

from sora_lint.output.json_shape import diagnostic_to_dict
from sora_lint.types import Applicability, Diagnostic, Fix, Severity, Size


def _diag(code: str = "SL001", severity: Severity = Severity.ERROR, **extra: Any) -> Diagnostic:
    return Diagnostic(code, "size-mismatch", severity, "msg", "a/b.png", **extra)


def test_minimal_diagnostic_has_only_required_keys() -> None:
    out = diagnostic_to_dict(_diag())
    assert out == {
        "path": "a/b.png",
        "code": "SL001",
        "name": "size-mismatch",
        "severity": "error",
        "message": "msg",
        "fixes": [],
    }


def test_full_diagnostic_with_fix_report_fields() -> None:
    fix = Fix(
        "crop_bounds",
        Applicability.DISPLAY_ONLY,
        "suggest crop",
        data={"box": (0, 0, 10, 10), "ratio": Fraction(16, 9)},
        report_fields={"crop_bounds": {"left": 0.0, "top": 0.1}, "code": "HIJACK"},
    )
    second = Fix("pad", Applicability.SAFE, "pad", report_fields={"crop_bounds": "second"})
    d = _diag(
        line=3, asset="img.png", size=Size(10, 20), target=Size(1280, 720), fixes=(fix, second)
    )
    out = diagnostic_to_dict(d)
    assert out["line"] == 3
    assert out["asset"] == "img.png"
    assert out["size"] == "10x20"
    assert out["target"] == "1280x720"
    assert out["code"] == "SL001"  # a report field never replaces a base key
    assert out["crop_bounds"] == {"left": 0.0, "top": 0.1}  # the first fix wins
    assert out["fixes"][0] == {  # the fixer's internal data is not part of the contract
        "fixer": "crop_bounds",
        "applicability": "display-only",
        "description": "suggest crop",
    }
    assert "data" not in out["fixes"][1]
    json.dumps(out)  # plain JSON types only
    with_data = diagnostic_to_dict(d, with_data=True)
    assert with_data["fixes"][0]["data"] == {"box": [0, 0, 10, 10], "ratio": "16/9"}
    assert with_data["fixes"][1]["data"] == {}
    json.dumps(with_data)


@pytest.mark.parametrize(
    ("errors", "warnings", "limit", "shown", "hidden"),
    [
        (0, 0, 10, 0, {}),
        (10, 10, 10, 20, {}),
        (11, 3, 10, 13, {Severity.ERROR: 1}),
        (25, 12, 10, 20, {Severity.ERROR: 15, Severity.WARNING: 2}),
        (3, 3, 1, 2, {Severity.ERROR: 2, Severity.WARNING: 2}),
    ],
)
def test_cap_annotations(
    errors: int, warnings: int, limit: int, shown: int, hidden: dict[Severity, int]
) -> None:
    diags = [_diag(f"E{i}") for i in range(errors)]
    diags += [_diag(f"W{i}", Severity.WARNING) for i in range(warnings)]
    got_shown, got_hidden = cap_annotations(diags, limit=limit)
    assert len(got_shown) == shown
    assert got_hidden == hidden
    assert list(got_shown) == [d for d in diags if d in got_shown]  # order kept


def test_overflow_notices_text() -> None:
    lines = overflow_notices({Severity.WARNING: 1, Severity.ERROR: 15})
    assert [line.split(" (GitHub")[0] for line in lines] == [
        "::notice::15 more errors not annotated",
        "::notice::1 more warning not annotated",
    ]
    assert all("every finding is in the log below" in line for line in lines)
    assert overflow_notices({}) == []
