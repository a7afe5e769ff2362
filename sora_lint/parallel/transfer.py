"""How a worker sends a file's outcome back: plain tuples, not pickled dataclasses.

Unpickling an outcome (an asset, its diagnostics, four fix proposals each) costs the main
process about as much as probing the file did in the worker, and the main process is the
one that cannot be parallel. So a check-mode outcome travels as the asset's plain fields
and, per diagnostic, its path and a ``marshal``-ed template of everything else (fixes
included). Files of one size and target get the same findings, so the main process decodes
each template, fix and header once and shares the frozen values. Anything
``marshal`` cannot carry exactly (a plugin's object in ``data``), and every fix run's
outcome, travels pickled as before.

A worker's :class:`Packer` goes further: it numbers each distinct finding the first time it
sends it, and afterwards sends the number alone. A worker takes its files in order, so the
main process, reading results in file order, always meets a number's template first.
"""

from __future__ import annotations

import marshal
import os
from typing import Any

from sora_lint.cache.codec import (
    APPLICABILITIES,
    SEVERITIES,
    Template,
    decode_asset,
    encode_asset,
)
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome
from sora_lint.types import (
    Diagnostic,
    Fix,
    Severity,
    Size,
    new_diagnostic,
)

_SEVERITY_VALUES = {s: s.value for s in Severity}  # an Enum's .value is a slow descriptor


#: The defaults of the outcome's fields beyond display, diagnostics and asset: a check-mode
#: outcome leaves them all at the default (whatever fields fixing adds later).
_FIX_DEFAULTS = tuple(FileOutcome._field_defaults[name] for name in FileOutcome._fields[3:])


def check_only(outcome: FileOutcome) -> bool:
    """Whether ``outcome`` is a plain check result: nothing fixed, held back or skipped."""
    return outcome[3:] == _FIX_DEFAULTS


class Packer:
    """A worker's side of the transfer: each distinct finding's template is sent once, with a
    number; later findings like it travel as that number (and their path, when it is not the
    file's own). :meth:`pack` returns ``None`` for a clean file with nothing to carry, a
    tuple for a checked file, the outcome itself (pickled) otherwise."""

    def __init__(self) -> None:
        #: Tells this packer's numbers apart from another worker's in the main process.
        self.token = os.getpid()
        #: Number and first diagnostic (kept, so the ids in the key are never reused) by key.
        self.numbers: dict[tuple[Any, ...], tuple[int, Diagnostic]] = {}

    def pack(self, outcome: FileOutcome) -> Any:
        if not check_only(outcome):
            return outcome
        if not outcome.diagnostics and outcome.asset is None:
            return None
        display, numbers = outcome.display, self.numbers
        defined: list[tuple[int, bytes]] = []
        sent: list[Any] = []
        try:
            for d in outcome.diagnostics:
                # Findings moved between files of one kind share their values: identity is a
                # cheap, exact key (the first diagnostic is kept, so no id is ever reused).
                key = (d.code, d.message, d.name, d.severity, d.line, d.asset, id(d.size),
                       id(d.target), id(d.fixes), id(d.data))  # fmt: skip
                known = numbers.get(key)
                if known is not None:
                    number = known[0]
                elif len(numbers) < _MAX_SHARED:
                    number = len(numbers)
                    defined.append((number, _template(d)))
                    numbers[key] = (number, d)
                else:  # a run of unlike findings: each carries its template
                    sent.append((_template(d), d.path))
                    continue
                sent.append(number if d.path == display else (number, d.path))
        except ValueError:  # marshal refuses the object: let pickle carry it
            return outcome
        asset = None if outcome.asset is None else encode_asset(outcome.asset)
        return (self.token, asset, tuple(sent), tuple(defined))


def _fix_blob(fix: Fix) -> bytes:
    return marshal.dumps(
        (fix.fixer, fix.applicability.value, fix.description, dict(fix.data),
         dict(fix.report_fields))
    )  # fmt: skip


def _template(d: Diagnostic) -> bytes:
    """Everything but the path, marshalled (``ValueError`` when marshal cannot carry it);
    made once per distinct finding (see :class:`Packer`)."""
    fixes = tuple(_fix_blob(f) for f in d.fixes)
    return marshal.dumps(
        (d.code, d.name, _SEVERITY_VALUES[d.severity], d.message, d.line, d.asset,
         None if d.size is None else (d.size.width, d.size.height),
         None if d.target is None else (d.target.width, d.target.height),
         fixes, dict(d.data))
    )  # fmt: skip


#: Distinct values kept per run at most, so a run of unlike files cannot grow without bound.
_MAX_SHARED = 65536


class Unpacker:
    """Rebuilds outcomes in the main process, sharing identical fixes and findings."""

    def __init__(self) -> None:
        self.fixes: dict[bytes, Fix] = {}
        self.templates: dict[bytes, Template] = {}
        #: Decoded templates by packer token and number.
        self.numbered: dict[tuple[int, int], Template] = {}

    def outcome(self, packed: Any, candidate: Candidate) -> FileOutcome:
        if packed is None:
            return FileOutcome(candidate.display, ())
        if isinstance(packed, FileOutcome):
            return packed
        token, raw_asset, sent, defined = packed
        numbered = self.numbered
        for number, template in defined:
            numbered[token, number] = self._fields(template)
        # The cache's decoder: each distinct header is decoded once and shared.
        asset = None if raw_asset is None else decode_asset(raw_asset, candidate)
        display = candidate.display
        diagnostics: list[Diagnostic] = []
        for item in sent:
            if type(item) is int:
                fields, path = numbered[token, item], display
            elif type(item[0]) is int:
                fields, path = numbered[token, item[0]], item[1]
            else:
                fields, path = self._fields(item[0]), item[1]
            code, name, severity, message, line, where, size, target, fixes, data = fields
            diagnostics.append(
                new_diagnostic(
                    code, name, severity, message, path, line, where, size, target, fixes, data
                )
            )
        return FileOutcome(display, tuple(diagnostics), asset)

    def _fields(self, template: bytes) -> Template:
        fields = self.templates.get(template)
        if fields is None:
            code, name, severity, message, line, asset, size, target, fixes, data = marshal.loads(
                template
            )
            fields = (
                code, name, SEVERITIES[severity], message, line, asset,
                None if size is None else Size(*size), None if target is None else Size(*target),
                tuple([self._fix(blob) for blob in fixes]), data,
            )  # fmt: skip
            if len(self.templates) < _MAX_SHARED:
                self.templates[template] = fields
        return fields

    def _fix(self, blob: bytes) -> Fix:
        fix = self.fixes.get(blob)
        if fix is None:
            fixer, applicability, description, data, report_fields = marshal.loads(blob)
            fix = Fix(fixer, APPLICABILITIES[applicability], description, data, report_fields)
            if len(self.fixes) < _MAX_SHARED:
                self.fixes[blob] = fix
        return fix
