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

from sora_lint.cache.layout import PRUNE_DAYS
from sora_lint.run.discovery import Candidate
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
)

Json = Any

# Plain dict lookups: an Enum call or a regex per field is most of the decoding time.
#: Enum members by their stored value (the cache and the workers' transfer both decode them).
SEVERITIES = {s.value: s for s in Severity}
APPLICABILITIES = {a.value: a for a in Applicability}
_SIZES: dict[str, Size] = {}


def _enum(table: dict[str, Any], value: Json) -> Any:
    try:
        return table[value]
    except (KeyError, TypeError):
        raise ValueError(f"unknown value {value!r}") from None


def _size(value: Json) -> Size:
    size = _SIZES.get(value) if isinstance(value, str) else None
    if size is None:
        size = Size.parse(_str(value))  # 1 to 999999 a side
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


#: Decoded headers by their JSON values: files of one kind share one frozen header.
_HEADERS: dict[tuple[Any, ...], ImageHeader] = {}
_MAX_HEADERS = 4096


def decode_asset(raw: Json, candidate: Candidate) -> Asset:
    byte_size, fmt, raw_header, raw_problem = raw
    if type(byte_size) is not int or byte_size < 0 or not (fmt is None or type(fmt) is str):
        raise ValueError(f"not an asset: {raw!r}"[:200])
    header = None
    if type(raw_header) is list:
        key = tuple(raw_header)
        header = _HEADERS.get(key)
        if header is None:
            header = _decode_header(raw_header)
            if len(_HEADERS) < _MAX_HEADERS:
                _HEADERS[key] = header
    elif raw_header is not None:
        raise ValueError(f"not an image header: {raw_header!r}"[:200])
    problem = None
    if raw_problem is not None:
        if type(raw_problem) is not list:
            raise ValueError(f"not a problem: {raw_problem!r}"[:200])
        kind, message = raw_problem
        problem = Problem(ProblemKind(kind), _str(message))
    return Asset(candidate.path, candidate.display, byte_size, fmt, header, problem)


def _decode_header(raw_header: list[Any]) -> ImageHeader:
    width, height, mode, orientation, n_frames, has_alpha, bits = raw_header
    if not (
        type(width) is int and type(height) is int and type(mode) is str
        and type(orientation) is int and type(n_frames) is int
        and type(has_alpha) is bool and type(bits) is int
    ):  # fmt: skip
        raise ValueError(f"not an image header: {raw_header!r}"[:200])
    return ImageHeader(Size(width, height), mode, orientation, n_frames, has_alpha, bits)


class SharedTable:
    """Values stored once per cache namespace and named by a hash of their JSON: fix
    proposals and findings (a diagnostic's fields but its path).

    Files of one size and target get the same findings and proposals, so a tree of thousands
    of findings holds a few hundred distinct ones: stored once, validated and decoded once
    per run, and shared (they are frozen). A name stands for one JSON value, so a value is
    decoded the first time its name is met and never compared again. Each name carries the
    day it was last used, so names no entry has used for ``PRUNE_DAYS`` can go without
    reading every bucket.
    """

    def __init__(self, raw: Json = None, days: Json = None) -> None:
        self.raw: dict[str, Json] = dict(raw) if isinstance(raw, dict) else {}
        self.days: dict[str, int] = (
            {n: d for n, d in days.items() if type(d) is int} if isinstance(days, dict) else {}
        )
        self.fixes: dict[str, Fix] = {}
        self.templates: dict[str, Template] = {}
        #: The names this run decoded or added: they are dated today when the table is written.
        self.used: set[str] = set()
        #: The values this run added (not in the file it read).
        self.added: dict[str, Json] = {}

    def add(self, encoded: Json) -> str:
        text = json.dumps(encoded, separators=(",", ":"))  # key order kept: reports show it
        name = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        if name not in self.raw:
            self.raw[name] = self.added[name] = json.loads(text)
        self.used.add(name)
        return name

    def add_fix(self, fix: Fix) -> str:
        return self.add([fix.fixer, fix.applicability.value, fix.description, dict(fix.data),
                         dict(fix.report_fields)])  # fmt: skip

    def fix(self, name: Json) -> Fix:
        fix = self.fixes.get(name) if type(name) is str else None
        if fix is None:
            fix = self.fixes[name] = _decode_fix(self._raw(name))
        return fix

    def template(self, name: Json) -> Template:
        found = self.templates.get(name) if type(name) is str else None
        if found is None:
            found = self.templates[name] = _decode_template(self._raw(name), self)
        return found

    def _raw(self, name: Json) -> Json:
        if type(name) is not str or name not in self.raw:
            raise ValueError(f"unknown shared value {name!r}")
        self.used.add(name)
        return self.raw[name]

    def changed(self, today: int) -> bool:
        """Whether the file needs writing: values added, or used names not dated today."""
        days = self.days
        return bool(self.added) or any(days.get(n) != today for n in self.used)

    def merged(
        self, values: Json, days: Json, today: int
    ) -> tuple[dict[str, Json], dict[str, int]]:
        """This run's additions and uses merged into the values and days read from the file
        just now (another run may have written it meanwhile); names unused for ``PRUNE_DAYS``
        (those of entries that were pruned, or never stored) are left out."""
        on_disk = SharedTable(values, days)
        merged_days = dict(on_disk.days)
        for name, day in self.days.items():
            merged_days[name] = max(day, merged_days.get(name, day))
        for name in self.used:
            merged_days[name] = today
        merged_values = {**self.raw, **on_disk.raw}
        cutoff = today - PRUNE_DAYS
        kept = {n: v for n, v in merged_values.items() if merged_days.get(n, -1) > cutoff}
        return kept, {n: merged_days[n] for n in kept}


#: A decoded finding: a diagnostic's fields but its path, in constructor order.
Template = tuple[str, str, Severity, str, "int | None", "str | None", "Size | None",
                  "Size | None", tuple[Fix, ...], Any]  # fmt: skip


def encode_diagnostics(diagnostics: tuple[Diagnostic, ...], table: SharedTable) -> Json | None:
    """The diagnostics as ``[finding name, path]`` pairs (findings and fixes added to
    ``table``), or ``None`` when they would not come back equal (a plugin put a tuple or an
    object in ``data``): those are then never cached."""
    try:
        encoded = [[table.add(_encode_template(d, table)), d.path] for d in diagnostics]
        back = json.loads(json.dumps(encoded))
        if decode_diagnostics(back, table) == diagnostics:
            return back
    except (TypeError, ValueError):
        pass
    return None


def _encode_template(d: Diagnostic, table: SharedTable) -> Json:
    return [
        d.code, d.name, d.severity.value, d.message, d.line, d.asset,
        None if d.size is None else str(d.size),
        None if d.target is None else str(d.target),
        [table.add_fix(f) for f in d.fixes], dict(d.data),
    ]  # fmt: skip


def decode_diagnostics(raw: Json, table: SharedTable) -> tuple[Diagnostic, ...]:
    if type(raw) is not list:
        raise ValueError("diagnostics: expected a list")
    return tuple([_decode_diagnostic(item, table) for item in raw])


def _decode_diagnostic(raw: Json, table: SharedTable) -> Diagnostic:
    name, path = raw
    if type(path) is not str:
        raise ValueError(f"not a path: {path!r}"[:200])
    code, rule, severity, message, line, asset, size, target, fixes, data = table.template(name)
    return Diagnostic(code, rule, severity, message, path, line, asset, size, target, fixes,
                          data)  # fmt: skip


def _decode_template(raw: Json, table: SharedTable) -> Template:
    code, name, severity, message, line, asset, size, target, fix_list, data = raw
    if not (
        type(code) is str and type(name) is str and type(message) is str
        and (line is None or type(line) is int) and (asset is None or type(asset) is str)
        and type(fix_list) is list and type(data) is dict
    ):  # fmt: skip
        raise ValueError(f"not a finding: {raw!r}"[:200])
    return (
        code, name, _enum(SEVERITIES, severity), message, line, asset,
        None if size is None else _size(size), None if target is None else _size(target),
        tuple([table.fix(n) for n in fix_list]), data,
    )  # fmt: skip


def _decode_fix(raw: Json) -> Fix:
    fixer, applicability, description, data, report_fields = raw
    return Fix(
        fixer=_str(fixer),
        applicability=_enum(APPLICABILITIES, applicability),
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
