"""The JSON shape of one diagnostic, shared by every machine-readable reporter.

The ``json``, ``json-lines`` and ``sarif`` reporters (and any third-party one) build their
objects here so every format agrees on the keys; ``report.schema.json`` beside this file
publishes the shape. A fix carries its public fields (``fixer``, ``applicability``,
``description`` and any other field of :class:`~sora_lint.types.Fix` that is set), never the
fixer's internal ``data`` unless a report asks for it (``--report-fix-data``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sized
from enum import Enum
from fractions import Fraction
from pathlib import PurePath
from typing import Any

from sora_lint.output.json_splice import SCALARS, Splicer
from sora_lint.types import Diagnostic, Fix, Size

#: The option that puts each fix's internal ``data`` into the JSON reports.
FIX_DATA_OPTION = "report-fix-data"

#: Fields of a fix that are not shown as such: ``data`` is the fixer's own (behind the option
#: above) and ``report_fields`` are merged into the diagnostic's object instead.
_INTERNAL_FIX_FIELDS = ("data", "report_fields")
_ALWAYS_SHOWN = ("fixer", "applicability", "description")


def jsonable(value: Any) -> Any:
    """Turn a value from a fix (``data``, ``report_fields``, a field a plugin added) into plain
    JSON types (never raises)."""
    kind = type(value)
    if kind in SCALARS:  # most values, and every item of a box: no isinstance chain
        return value
    if kind is tuple or kind is list:
        return [item if type(item) in SCALARS else jsonable(item) for item in value]
    if kind is Size:
        return str(value)
    if kind is dict:
        return {str(key): jsonable(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Size):
        return str(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    return str(value)


_OPTIONAL_FIELDS: dict[type, tuple[str, ...]] = {}


def _optional_fields(kind: type[Fix]) -> tuple[str, ...]:
    """The fields of a fix class a report shows when they are set, in declaration order."""
    found = _OPTIONAL_FIELDS.get(kind)
    if found is None:
        names = [f.name for f in dataclasses.fields(kind)]
        found = tuple(n for n in names if n not in _INTERNAL_FIX_FIELDS + _ALWAYS_SHOWN)
        _OPTIONAL_FIELDS[kind] = found
    return found


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if type(value) in SCALARS or type(value) is float:  # no ABC check for the common case
        return type(value) is str and not value
    return isinstance(value, Sized) and not value


def fix_to_dict(fix: Fix, with_data: bool = False) -> dict[str, Any]:
    """One fix as a JSON object: fixer, applicability, description, then every other public
    field that is set; the fixer's internal ``data`` only ``with_data``."""
    out: dict[str, Any] = {
        "fixer": fix.fixer,
        "applicability": fix.applicability.value,
        "description": fix.description,
    }
    for name in _optional_fields(type(fix)):
        value = getattr(fix, name, None)
        if not _empty(value):
            out[name] = jsonable(value)
    if with_data:
        out["data"] = jsonable(fix.data)
    return out


def _finding(d: Diagnostic, with_data: bool) -> dict[str, Any]:
    """Every key of :func:`diagnostic_to_dict` but ``path``."""
    out: dict[str, Any] = {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message,
    }
    if d.line is not None:
        out["line"] = d.line
    if d.asset is not None:
        out["asset"] = d.asset
    if d.size is not None:
        out["size"] = str(d.size)
    if d.target is not None:
        out["target"] = str(d.target)
    out["fixes"] = [fix_to_dict(fix, with_data) for fix in d.fixes]
    for fix in d.fixes:
        for key, value in fix.report_fields.items():
            if key not in out and key != "path":
                out[str(key)] = jsonable(value)
    return out


def diagnostic_to_dict(d: Diagnostic, with_data: bool = False) -> dict[str, Any]:
    """One diagnostic as the JSON object every machine-readable reporter emits.

    Keys: ``path``, ``code``, ``name``, ``severity``, ``message``, then ``line`` and ``asset``
    when known, ``size``/``target`` as ``"WxH"`` strings when known, ``fixes`` (a list), and
    each fix's ``report_fields`` merged in. A report field never replaces a key above, and
    when two fixes offer the same key the first fix wins, so the shape is predictable.
    """
    return {"path": d.path, **_finding(d, with_data)}


class Members:
    """The members of a distinct finding's JSON object but ``path``: one object per distinct
    finding, so templates key on its identity (never change ``value``)."""

    __slots__ = ("value",)

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value


def _with_path(members: Members, path: str) -> dict[str, Any]:
    return {"path": path, **members.value}


class Shapes:
    """The JSON objects of one report's diagnostics, each distinct finding's built once.

    Files of one kind share their findings' values (the engine reuses them across files, the
    cache and the workers share them), so a report of thousands of findings holds a few
    hundred distinct ones: everything but the path is built once per distinct finding and the
    objects share it (never mutate what :meth:`finding` returns). A report's diagnostics are
    alive while it is written, so identities of their values are a safe key for that time.
    """

    def __init__(self, with_data: bool = False) -> None:
        self.with_data = with_data
        #: The finding's members by its values, with the values whose identity is in the key
        #: (kept alive, so no id is reused while the key is known).
        self._known: dict[tuple[Any, ...], tuple[tuple[Any, ...], Members]] = {}

    def members(self, d: Diagnostic) -> Members:
        """Every member of the diagnostic's object but ``path``, encoded once however many
        objects share them (do not change its ``value``)."""
        # Identities where hashing costs (a Size's hash, an Enum member's, are Python code).
        key = (d.code, d.message, d.line, d.asset, id(d.size), id(d.target), id(d.fixes),
               d.name, id(d.severity))  # fmt: skip
        known = self._known.get(key)
        if known is None:
            shared = Members(_finding(d, self.with_data))
            known = self._known[key] = ((d.size, d.target, d.fixes), shared)
        return known[1]

    def diagnostics(self, found: Iterable[Diagnostic], splicer: Splicer, level: int = 1) -> Any:
        """The diagnostics' objects as a JSON document's array at depth ``level`` (see
        :mod:`~sora_lint.output.json_splice`)."""
        members, build = self.members, splicer.template(level, _with_path)
        return splicer.array(level, (build(members(d), d.path) for d in found))
