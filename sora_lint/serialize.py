"""Shared shapes for machine-readable outputs: one diagnostic as a JSON object, capped annotations.

The ``json`` and ``json-lines`` reporters (and any third-party one) call
:func:`diagnostic_to_dict` so every format agrees on the keys; :func:`cap_annotations` keeps the
``github`` reporter within GitHub's limit of 10 annotations per type per step.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from enum import Enum
from fractions import Fraction
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from sora_lint.types import Diagnostic, Fix, Severity, Size

#: GitHub shows at most this many annotations of each type (error, warning, notice) per step.
GITHUB_ANNOTATION_LIMIT = 10


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


def cap_annotations(
    diagnostics: Iterable[Diagnostic], limit: int = GITHUB_ANNOTATION_LIMIT
) -> tuple[tuple[Diagnostic, ...], dict[Severity, int]]:
    """Keep the first ``limit`` diagnostics of each severity, in order; count the rest.

    Returns ``(shown, hidden)`` where ``hidden`` maps a severity to how many of that
    severity were left out (only severities with something hidden appear).
    """
    seen: dict[Severity, int] = {}
    hidden: dict[Severity, int] = {}
    shown: list[Diagnostic] = []
    for diagnostic in diagnostics:
        count = seen.get(diagnostic.severity, 0)
        if count < limit:
            shown.append(diagnostic)
        else:
            hidden[diagnostic.severity] = hidden.get(diagnostic.severity, 0) + 1
        seen[diagnostic.severity] = count + 1
    return tuple(shown), hidden


def overflow_notices(hidden: Mapping[Severity, int]) -> list[str]:
    """The ``::notice::`` lines that say how many annotations were left out, errors first."""
    lines = []
    for severity in (Severity.ERROR, Severity.WARNING):
        count = hidden.get(severity, 0)
        if count:
            noun = severity.value if count == 1 else f"{severity.value}s"
            lines.append(f"::notice::{count} more {noun} not annotated; see the step summary")
    return lines


# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, U+FFFE/U+FFFF) and lone surrogates
# (undecodable bytes in a POSIX file name): they would make an XML/HTML/Markdown output invalid
# or make writing the stream fail, so text outputs replace them.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def safe_text(text: str) -> str:
    """``text`` with control characters and lone surrogates replaced by U+FFFD."""
    return _UNSAFE_TEXT.sub("\ufffd", text)


def relative_path(display: str, root: Path | None = None) -> str | None:
    """The POSIX path of ``display`` relative to ``root`` (default: the working directory).

    ``display`` is a path as given or relative to the working directory. ``None`` when the
    file lies outside ``root``: such a path cannot be given relative to the repository.
    Nothing is read from disk; symlinks are not resolved.
    """
    cwd = Path.cwd()
    base = Path(os.path.normpath(cwd / root)) if root is not None else cwd
    full = Path(os.path.normpath(cwd / display))
    try:
        rel = full.relative_to(base)
    except ValueError:
        return None
    text = rel.as_posix()
    return None if text in ("", ".") else text


def uri_path(posix: str) -> str:
    """Percent-encode a POSIX path for a URI; undecodable name bytes keep their value."""
    return quote(posix, safe="/", errors="surrogateescape")


def stable_fingerprints(diagnostics: Iterable[Diagnostic], root: Path | None = None) -> list[str]:
    """A fingerprint per diagnostic that survives edits elsewhere and re-runs.

    Built from facts that do not depend on the file's content or line: the code, the path
    relative to ``root``, the asset a job-file line names and the target. Two diagnostics that
    share those facts are told apart by their order of appearance.
    """
    seen: dict[str, int] = {}
    out = []
    for d in diagnostics:
        path = relative_path(d.path, root) or d.path
        asset = (relative_path(d.asset, root) or d.asset) if d.asset is not None else ""
        target = str(d.target) if d.target is not None else ""
        base = "\0".join((d.code, path, asset, target))
        index = seen.get(base, 0)
        seen[base] = index + 1
        raw = f"{base}\0{index}".encode("utf-8", errors="surrogateescape")
        out.append(hashlib.sha256(raw).hexdigest())
    return out
