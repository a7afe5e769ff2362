"""How a worker sends a file's outcome back: plain tuples, not pickled dataclasses.

Unpickling an outcome (an asset, its diagnostics, four fix proposals each) costs the main
process about as much as probing the file did in the worker, and the main process is the
one that cannot be parallel. So a check-mode outcome travels as the asset's plain fields
and, per diagnostic, its path and a ``marshal``-ed template of everything else (fixes
included). Files of one size and target get the same findings, so the main process decodes
each template, fix and header once and shares the frozen values. Anything
``marshal`` cannot carry exactly (a plugin's object in ``data``), and every fix run's
outcome, travels pickled as before.
"""

from __future__ import annotations

import marshal
from typing import Any

from sora_lint.cache_codec import decode_asset, encode_asset
from sora_lint.discovery import Candidate
from sora_lint.engine import FileOutcome
from sora_lint.types import (
    Applicability,
    Diagnostic,
    Fix,
    Severity,
    Size,
    new_diagnostic,
)

_SEVERITIES = {s.value: s for s in Severity}
_SEVERITY_VALUES = {s: s.value for s in Severity}  # an Enum's .value is a slow descriptor
_APPLICABILITIES = {a.value: a for a in Applicability}

#: A worker's marshalled fixes by ``id``: files of one size share their (frozen) proposals,
#: so each is marshalled once. The fix is kept in the value, so its id is never reused.
_FIX_BLOBS: dict[int, tuple[Fix, bytes]] = {}
_MAX_FIX_BLOBS = 65536


#: The outcome's fields beyond display, diagnostics and asset, with their defaults: a
#: check-mode outcome leaves them all at the default (whatever fields fixing adds later).
_FIX_FIELDS = tuple((name, FileOutcome._field_defaults[name]) for name in FileOutcome._fields[3:])


def check_only(outcome: FileOutcome) -> bool:
    """Whether ``outcome`` is a plain check result: nothing fixed, held back or skipped."""
    return all(getattr(outcome, name) == default for name, default in _FIX_FIELDS)


def pack(outcome: FileOutcome) -> Any:
    """What a worker returns for ``outcome``: ``None`` for a clean file with nothing to
    carry, a tuple for a checked file, the outcome itself otherwise."""
    if not check_only(outcome):
        return outcome
    if not outcome.diagnostics and outcome.asset is None:
        return None
    try:
        diagnostics = tuple(_pack_diagnostic(d) for d in outcome.diagnostics)
    except ValueError:  # marshal refuses the object: let pickle carry it
        return outcome
    asset = None if outcome.asset is None else encode_asset(outcome.asset)
    return (asset, diagnostics)


def _fix_blob(fix: Fix) -> bytes:
    known = _FIX_BLOBS.get(id(fix))
    if known is not None and known[0] is fix:
        return known[1]
    blob = marshal.dumps(
        (fix.fixer, fix.applicability.value, fix.description, dict(fix.data),
         dict(fix.report_fields))
    )  # fmt: skip
    if len(_FIX_BLOBS) >= _MAX_FIX_BLOBS:
        _FIX_BLOBS.clear()
    _FIX_BLOBS[id(fix)] = (fix, blob)
    return blob


def _pack_diagnostic(d: Diagnostic) -> tuple[bytes, str]:
    """``(template, path)``: everything but the path, marshalled. Files of one size and
    target get the same findings, so the main process decodes each template once."""
    fixes = tuple(_fix_blob(f) for f in d.fixes)
    template = marshal.dumps(
        (d.code, d.name, _SEVERITY_VALUES[d.severity], d.message, d.line, d.asset,
         None if d.size is None else (d.size.width, d.size.height),
         None if d.target is None else (d.target.width, d.target.height),
         fixes, dict(d.data))
    )  # fmt: skip
    return template, d.path


#: A decoded template: a diagnostic's fields but its path, in constructor order.
_Template = tuple[str, str, Severity, str, "int | None", "str | None", "Size | None",
                  "Size | None", tuple[Fix, ...], Any]  # fmt: skip

#: Distinct values kept per run at most, so a run of unlike files cannot grow without bound.
_MAX_SHARED = 65536


class Unpacker:
    """Rebuilds outcomes in the main process, sharing identical fixes and findings."""

    def __init__(self) -> None:
        self.fixes: dict[bytes, Fix] = {}
        self.templates: dict[bytes, _Template] = {}

    def outcome(self, packed: Any, candidate: Candidate) -> FileOutcome:
        if packed is None:
            return FileOutcome(candidate.display, ())
        if isinstance(packed, FileOutcome):
            return packed
        raw_asset, raw_diagnostics = packed
        # The cache's decoder: each distinct header is decoded once and shared.
        asset = None if raw_asset is None else decode_asset(raw_asset, candidate)
        diagnostics = tuple([self._diagnostic(t, path) for t, path in raw_diagnostics])
        return FileOutcome(candidate.display, diagnostics, asset)

    def _diagnostic(self, template: bytes, path: str) -> Diagnostic:
        fields = self.templates.get(template)
        if fields is None:
            code, name, severity, message, line, asset, size, target, fixes, data = marshal.loads(
                template
            )
            fields = (
                code, name, _SEVERITIES[severity], message, line, asset,
                None if size is None else Size(*size), None if target is None else Size(*target),
                tuple([self._fix(blob) for blob in fixes]), data,
            )  # fmt: skip
            if len(self.templates) < _MAX_SHARED:
                self.templates[template] = fields
        code, name, severity, message, line, asset, size, target, fixes, data = fields
        return new_diagnostic(
            code, name, severity, message, path, line, asset, size, target, fixes, data
        )

    def _fix(self, blob: bytes) -> Fix:
        fix = self.fixes.get(blob)
        if fix is None:
            fixer, applicability, description, data, report_fields = marshal.loads(blob)
            fix = Fix(fixer, _APPLICABILITIES[applicability], description, data, report_fields)
            if len(self.fixes) < _MAX_SHARED:
                self.fixes[blob] = fix
        return fix
