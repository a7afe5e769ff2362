"""``new_diagnostic`` is ``Diagnostic(...)`` made cheaply: the same value in every respect."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest

from sora_lint.types import Applicability, Diagnostic, Fix, Severity, Size, new_diagnostic

FIX = Fix("pad", Applicability.SAFE, "pad to 1280x720", {"target": [1280, 720]})
CASES: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("SL001", "size-mismatch", Severity.ERROR, "wrong size", "a.png"), {}),
    (
        ("SL003", "unsupported-size", Severity.ERROR, "not allowed", "jobs.jsonl"),
        {"line": 3, "asset": "a.png", "size": Size(1, 2), "target": Size(3, 4)},
    ),
    (
        ("SL006", "exif-orientation", Severity.WARNING, "turned", "b.jpg"),
        {"fixes": (FIX, FIX), "data": {"orientation": 6}},
    ),
]


@pytest.mark.parametrize(("args", "kwargs"), CASES)
def test_same_value_as_the_constructor(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    made, built = new_diagnostic(*args, **kwargs), Diagnostic(*args, **kwargs)
    assert type(made) is Diagnostic
    assert made == built and repr(made) == repr(built)
    assert dataclasses.asdict(made) == dataclasses.asdict(built)
    assert pickle.loads(pickle.dumps(made)) == built
    assert copy.copy(made) == built
    assert dataclasses.replace(made, path="c.png") == dataclasses.replace(built, path="c.png")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.code = "SL999"  # type: ignore[misc]


def test_every_field_is_set_and_data_is_never_shared() -> None:
    first = new_diagnostic("SL001", "size-mismatch", Severity.ERROR, "m", "a.png")
    second = new_diagnostic("SL001", "size-mismatch", Severity.ERROR, "m", "a.png")
    assert set(vars(first)) == {f.name for f in dataclasses.fields(Diagnostic)}
    assert first.data == {} and first.data is not second.data
