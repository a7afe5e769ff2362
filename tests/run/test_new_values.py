"""``new_diagnostic``/``new_asset`` build the frozen values cheaply: the same in every respect."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path
from typing import Any

import pytest

from sora_lint.types import (
    Applicability,
    Asset,
    CheckContext,
    Diagnostic,
    Fix,
    ImageHeader,
    Problem,
    ProblemKind,
    Settings,
    Severity,
    Size,
    new_asset,
    new_context,
    new_diagnostic,
)

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


HEADER = ImageHeader(Size(1920, 1080), "RGB", orientation=6)


@pytest.mark.parametrize(
    "args",
    [
        (Path("/r/a.png"), "a.png", 10),
        (Path("/r/b.jpg"), "b.jpg", 2048, "JPEG", HEADER),
        (Path("/r/c.bin"), "c.bin", 0, None, None, Problem(ProblemKind.EMPTY, "empty file")),
    ],
)
def test_new_asset_is_the_constructors_value(args: tuple[Any, ...]) -> None:
    made, built = new_asset(*args), Asset(*args)
    assert type(made) is Asset and made == built and hash(made) == hash(built)
    assert repr(made) == repr(built) and pickle.loads(pickle.dumps(made)) == built
    assert dataclasses.replace(made, display="x") == dataclasses.replace(built, display="x")
    assert set(vars(made)) == {f.name for f in dataclasses.fields(Asset)}
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.display = "y"  # type: ignore[misc]


def test_new_context_is_the_constructors_value() -> None:
    asset = new_asset(Path("/r/b.jpg"), "b.jpg", 2048, "JPEG", HEADER)
    settings = Settings({"model": "sora-2"})
    made, built = new_context(asset, None, settings), CheckContext(asset, None, settings)
    assert type(made) is CheckContext and made == built and repr(made) == repr(built)
    assert dataclasses.replace(made, target=None) == built
    assert set(vars(made)) == {f.name for f in dataclasses.fields(CheckContext)}
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.asset = asset  # type: ignore[misc]
