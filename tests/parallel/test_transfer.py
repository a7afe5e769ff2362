"""Outcomes sent back by pool workers come back equal, whatever a plugin put in them."""

from __future__ import annotations

import pickle
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from sora_lint.parallel import transfer
from sora_lint.parallel.transfer import Packer, Unpacker
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome
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
        (FileOutcome("assets/a.png", (diagnostic({"k": Fraction(1, 3)}),), ASSET), "tuple"),
        (FileOutcome("assets/a.png", (diagnostic(fix_data={"s": Severity.ERROR}),), ASSET),
         "tuple"),
        (FileOutcome("assets/a.png", (), ASSET, held_back_by=("--unsafe-fixes",)), "pickle"),
        (FileOutcome("assets/a.png", (), ASSET,
                     fixed=FixResult("assets/a.png", ("pad",), Size(640, 360), Size(1280, 720),
                                     CANDIDATE.path)), "pickle"),
    ],
)  # fmt: skip
def test_round_trip(outcome: FileOutcome, travels_as: str) -> None:
    packed = Packer().pack(outcome)
    kind = {type(None): "nothing", tuple: "tuple", FileOutcome: "pickle"}[type(packed)]
    assert kind == travels_as
    back = Unpacker().outcome(pickle.loads(pickle.dumps(packed)), CANDIDATE)
    assert back == outcome
    if back.diagnostics:
        assert list(back.diagnostics[0].data) == list(outcome.diagnostics[0].data)


def test_findings_of_one_kind_share_their_values() -> None:
    packer, unpacker = Packer(), Unpacker()
    first = diagnostic()
    back = [
        unpacker.outcome(pickle.loads(pickle.dumps(packer.pack(
            FileOutcome(name, (_moved(first, name),), ASSET)))), _candidate(name))
        for name in ("a.png", "b.png")
    ]  # fmt: skip
    one, two = (outcome.diagnostics[0] for outcome in back)
    assert (one.path, two.path) == ("a.png", "b.png")
    assert one.fixes is two.fixes and one.size is two.size  # loaded once, shared
    assert list(one.fixes[0].data) == ["box", "colour"]  # key order kept


def _candidate(name: str) -> Candidate:
    return Candidate(Path(f"/repo/{name}"), name, False, f"/repo/{name}")


def _moved(d: Diagnostic, path: str) -> Diagnostic:
    """``d`` shown at ``path``, sharing its values (as findings reused for a kind are)."""
    return Diagnostic(d.code, d.name, d.severity, d.message, path, d.line, d.asset, d.size,
                      d.target, d.fixes, d.data)  # fmt: skip


def test_a_packer_sends_each_finding_once_then_its_number() -> None:
    packer, unpacker = Packer(), Unpacker()
    first = diagnostic()
    job_line = Diagnostic("SL003", "unsupported-size", Severity.ERROR, "not a size",
                          "jobs.csv", line=4, asset="b.png")  # fmt: skip
    results = []
    for name in ("a.png", "b.png", "c.png"):
        path = f"/repo/{name}"
        candidate = Candidate(Path(path), name, False, path)
        found = (_moved(first, name), job_line) if name == "b.png" else (_moved(first, name),)
        outcome = FileOutcome(name, found, ASSET)
        packed = pickle.loads(pickle.dumps(packer.pack(outcome)))
        results.append(packed)
        back = unpacker.outcome(packed, candidate)
        assert back.diagnostics == found
    assert [len(p[3]) for p in results] == [1, 1, 0]  # templates defined: SL001, then SL003
    assert results[2][2] == (0,)  # c.png: the number alone, its own path implied
    assert results[1][2] == (0, (1, "jobs.csv"))


def test_numbers_of_two_workers_never_mix() -> None:
    one, two, unpacker = Packer(), Packer(), Unpacker()
    one.token, two.token = 1, 2
    small = diagnostic()
    large = Diagnostic("SL010", "too-many-pixels", Severity.ERROR, "a bomb", "assets/a.png")
    from_one = one.pack(FileOutcome("assets/a.png", (small,), ASSET))
    from_two = two.pack(FileOutcome("assets/a.png", (large,), ASSET))
    assert from_one[2] == from_two[2] == (0,)  # both number their first finding 0
    assert unpacker.outcome(from_one, CANDIDATE).diagnostics == (small,)
    assert unpacker.outcome(from_two, CANDIDATE).diagnostics == (large,)
    again = one.pack(FileOutcome("assets/a.png", (small,), ASSET))
    assert unpacker.outcome(again, CANDIDATE).diagnostics == (small,)


def test_past_the_limit_each_finding_carries_its_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transfer, "_MAX_SHARED", 1)
    packer, unpacker = Packer(), Unpacker()
    found = [Diagnostic("SL001", "size-mismatch", Severity.ERROR, f"message {i}", "assets/a.png")
             for i in range(3)]  # fmt: skip
    for d in found:
        back = unpacker.outcome(packer.pack(FileOutcome("assets/a.png", (d,), ASSET)), CANDIDATE)
        assert back.diagnostics == (d,)
    assert len(packer.numbers) == 1
