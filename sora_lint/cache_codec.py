"""Cache entries as plain JSON values, and back, validated on the way in.

The cache folder sits in the repository and may be committed or tampered with, so it is
never unpickled: entries are JSON lists of strings and numbers, and anything that does not
decode to exactly the expected shape raises :class:`ValueError` (the entry is then a miss).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sora_lint.discovery import Candidate
from sora_lint.types import (
    Applicability,
    Asset,
    Diagnostic,
    Fix,
    ImageHeader,
    Problem,
    ProblemKind,
    Severity,
    Size,
    new_asset,
    new_diagnostic,
)

Json = Any

# Plain dict lookups: an Enum call or a regex per field is most of the decoding time.
_SEVERITIES = {s.value: s for s in Severity}
_APPLICABILITIES = {a.value: a for a in Applicability}
_SIZES: dict[str, Size] = {}


def _enum(table: dict[str, Any], value: Json) -> Any:
    try:
        return table[value]
    except (KeyError, TypeError):
        raise ValueError(f"unknown value {value!r}") from None


def _size(value: Json) -> Size:
    size = _SIZES.get(value) if isinstance(value, str) else None
    if size is None:
        size = Size.parse(_str(value))
        if len(_SIZES) < 4096:
            _SIZES[value] = size
    return size


def encode_asset(asset: Asset) -> Json:
    header = asset.header
    encoded_header = None
    if header is not None:
        encoded_header = [
            header.size.width, header.size.height, header.mode, header.orientation,
            header.n_frames, header.has_alpha, header.bits,
        ]  # fmt: skip
    problem = asset.problem
    encoded_problem = None if problem is None else [problem.kind.value, problem.message]
    return [asset.byte_size, asset.format, encoded_header, encoded_problem]


def decode_asset(raw: Json, candidate: Candidate) -> Asset:
    byte_size, fmt, raw_header, raw_problem = raw
    if type(byte_size) is not int or not (fmt is None or type(fmt) is str):
        raise ValueError(f"not an asset: {raw!r}"[:200])
    header = None
    if raw_header is not None:
        width, height, mode, orientation, n_frames, has_alpha, bits = raw_header
        if not (
            type(width) is int and type(height) is int and type(mode) is str
            and type(orientation) is int and type(n_frames) is int
            and type(has_alpha) is bool and type(bits) is int
        ):  # fmt: skip
            raise ValueError(f"not an image header: {raw_header!r}"[:200])
        header = ImageHeader(Size(width, height), mode, orientation, n_frames, has_alpha, bits)
    problem = None
    if raw_problem is not None:
        kind, message = raw_problem
        problem = Problem(ProblemKind(kind), _str(message))
    return new_asset(candidate.path, candidate.display, byte_size, fmt, header, problem)


class FixTable:
    """Fixes stored once per cache file and named by a hash of their content.

    Files of the same size get the same fix proposals, so a tree of thousands of findings
    holds a few dozen distinct fixes: stored once, decoded once per run, shared (they are
    frozen).
    """

    def __init__(self, raw: Json = None) -> None:
        self.raw: dict[str, Json] = dict(raw) if isinstance(raw, dict) else {}
        self.decoded: dict[str, Fix] = {}

    def add(self, fix: Fix) -> str:
        encoded = [fix.fixer, fix.applicability.value, fix.description, dict(fix.data),
                   dict(fix.report_fields)]  # fmt: skip
        text = json.dumps(encoded, separators=(",", ":"))  # key order kept: reports show it
        name = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        self.raw.setdefault(name, json.loads(text))
        return name

    def get(self, name: Json) -> Fix:
        fix = self.decoded.get(name) if isinstance(name, str) else None
        if fix is None:
            if not isinstance(name, str) or name not in self.raw:
                raise ValueError(f"unknown fix {name!r}")
            fix = self.decoded[name] = _decode_fix(self.raw[name])
        return fix


def encode_diagnostics(diagnostics: tuple[Diagnostic, ...], fixes: FixTable) -> Json | None:
    """The diagnostics as JSON values (their fixes added to ``fixes``), or ``None`` when they
    would not come back equal (a plugin put a tuple or an object in ``data``): those are
    then never cached."""
    try:
        encoded = [_encode_diagnostic(d, fixes) for d in diagnostics]
        back = json.loads(json.dumps(encoded))
        if decode_diagnostics(back, fixes) == diagnostics:
            return back
    except (TypeError, ValueError):
        pass
    return None


def _encode_diagnostic(d: Diagnostic, fixes: FixTable) -> Json:
    return [
        d.code, d.name, d.severity.value, d.message, d.path, d.line, d.asset,
        None if d.size is None else str(d.size),
        None if d.target is None else str(d.target),
        [fixes.add(f) for f in d.fixes], dict(d.data),
    ]  # fmt: skip


def decode_diagnostics(raw: Json, fixes: FixTable) -> tuple[Diagnostic, ...]:
    if not isinstance(raw, list):
        raise ValueError("diagnostics: expected a list")
    return tuple(_decode_diagnostic(item, fixes) for item in raw)


def fix_names(raw: Json) -> list[str]:
    """The fixes an encoded diagnostics list refers to (for pruning the table)."""
    if not isinstance(raw, list):
        return []
    return [n for d in raw if isinstance(d, list) and len(d) == 11 and isinstance(d[9], list)
            for n in d[9] if isinstance(n, str)]  # fmt: skip


def _decode_diagnostic(raw: Json, fixes: FixTable) -> Diagnostic:
    code, name, severity, message, path, line, asset, size, target, fix_list, data = raw
    # One combined check, not a call per field: a cached re-run decodes thousands of these.
    if not (
        type(code) is str and type(name) is str and type(message) is str and type(path) is str
        and (line is None or type(line) is int) and (asset is None or type(asset) is str)
        and type(fix_list) is list and type(data) is dict
    ):  # fmt: skip
        raise ValueError(f"not a diagnostic: {raw!r}"[:200])
    return new_diagnostic(
        code, name, _enum(_SEVERITIES, severity), message, path, line, asset,
        None if size is None else _size(size), None if target is None else _size(target),
        tuple([fixes.get(n) for n in fix_list]), data,
    )  # fmt: skip


def _decode_fix(raw: Json) -> Fix:
    fixer, applicability, description, data, report_fields = raw
    return Fix(
        fixer=_str(fixer),
        applicability=_enum(_APPLICABILITIES, applicability),
        description=_str(description),
        data=_mapping(data),
        report_fields=_mapping(report_fields),
    )


def _str(value: Json) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


def _mapping(value: Json) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, got {value!r}")
    return value
