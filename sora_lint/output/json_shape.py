"""The JSON shape of one diagnostic, shared by every machine-readable reporter.

The ``json`` and ``json-lines`` reporters (and any third-party one) call
:func:`diagnostic_to_dict` so every format agrees on the keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from fractions import Fraction
from pathlib import PurePath
from typing import Any

from sora_lint.types import Diagnostic, Fix, Size


def jsonable(value: Any) -> Any:
    """Turn a value from ``Fix.data``/``report_fields`` into plain JSON types (never raises)."""
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


def fix_to_dict(fix: Fix) -> dict[str, Any]:
    """One fix as a JSON object: fixer, applicability, description and its data."""
    return {
        "fixer": fix.fixer,
        "applicability": fix.applicability.value,
        "description": fix.description,
        "data": jsonable(fix.data),
    }


def diagnostic_to_dict(d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as the JSON object every machine-readable reporter emits.

    Keys: ``path``, ``code``, ``name``, ``severity``, ``message``, then ``line`` and ``asset``
    when known, ``size``/``target`` as ``"WxH"`` strings when known, ``fixes`` (a list), and
    each fix's ``report_fields`` merged in. A report field never replaces a key above, and
    when two fixes offer the same key the first fix wins, so the shape is predictable.
    """
    out: dict[str, Any] = {
        "path": d.path,
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
    out["fixes"] = [fix_to_dict(fix) for fix in d.fixes]
    for fix in d.fixes:
        for key, value in fix.report_fields.items():
            if key not in out:
                out[str(key)] = jsonable(value)
    return out
