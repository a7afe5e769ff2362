"""Outcomes sent back by pool workers come back equal, whatever a plugin put in them."""

from __future__ import annotations

import pickle
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from sora_lint.discovery import Candidate
from sora_lint.engine import FileOutcome
from sora_lint.transfer import Unpacker, pack
from sora_lint.types import (
    Applicability,
    Asset,
    Diagnostic,
    Fix,
    FixResult,
    ImageHeader,
    Problem,
    ProblemKind,
    Severity,
    Size,
)

CANDIDATE = Candidate(Path("/repo/assets/a.png"), "assets/a.png", False, "/repo/assets/a.png")
ASSET = Asset(CANDIDATE.path, CANDIDATE.display, 1234, "PNG",
              ImageHeader(Size(640, 360), "RGBA", 6, 2, True, 16))  # fmt: skip
BROKEN = Asset(CANDIDATE.path, CANDIDATE.display, 0, None,
               problem=Problem(ProblemKind.EMPTY, "empty file"))  # fmt: skip


def diagnostic(data: dict[str, Any] | None = None, fix_data: Any = None) -> Diagnostic:
    fix = Fix("pad", Applicability.SAFE, "pad to 1280x720",
              {"box": [0, 0, 640, 360], "colour": "black"} if fix_data is None else fix_data,
              {"crop_bounds": {"left": 0.0}})  # fmt: skip
    return Diagnostic("SL001", "size-mismatch", Severity.ERROR, "Inpaint image must match",
                      "assets/a.png", size=Size(640, 360), target=Size(1280, 720),
                      fixes=(fix, fix), data=data or {})  # fmt: skip


@pytest.mark.parametrize(
    ("outcome", "travels_as"),
    [
        (FileOutcome("assets/a.png", ()), "nothing"),
        (FileOutcome("assets/a.png", (), ASSET), "tuple"),
        (FileOutcome("assets/a.png", (diagnostic(),), ASSET), "tuple"),
        (FileOutcome("assets/a.png", (diagnostic({"k": (1, 2)}),), BROKEN), "tuple"),
        (FileOutcome("assets/a.png", (diagnostic({"k": Fraction(1, 3)}),), ASSET), "pickle"),
        (FileOutcome("assets/a.png", (diagnostic(fix_data={"s": Severity.ERROR}),), ASSET),
         "pickle"),
        (FileOutcome("assets/a.png", (), ASSET, held_back_by=("--unsafe-fixes",)), "pickle"),
        (FileOutcome("assets/a.png", (), ASSET,
                     fixed=FixResult("assets/a.png", ("pad",), Size(640, 360), Size(1280, 720),
                                     CANDIDATE.path)), "pickle"),
    ],
)  # fmt: skip
def test_round_trip(outcome: FileOutcome, travels_as: str) -> None:
    packed = pack(outcome)
    kind = {type(None): "nothing", tuple: "tuple", FileOutcome: "pickle"}[type(packed)]
    assert kind == travels_as
    back = Unpacker().outcome(pickle.loads(pickle.dumps(packed)), CANDIDATE)
    assert back == outcome
    if back.diagnostics:
        assert list(back.diagnostics[0].data) == list(outcome.diagnostics[0].data)


def test_identical_fixes_are_shared() -> None:
    unpacker = Unpacker()
    first = unpacker.outcome(pack(FileOutcome("a", (diagnostic(),), ASSET)), CANDIDATE)
    second = unpacker.outcome(pack(FileOutcome("a", (diagnostic(),), ASSET)), CANDIDATE)
    assert first.diagnostics[0].fixes[0] is second.diagnostics[0].fixes[1]
    assert list(first.diagnostics[0].fixes[0].data) == ["box", "colour"]  # key order kept
