"""Cache entries as plain JSON values, and back, validated on the way in.

The cache folder sits in the repository and may be committed or tampered with, so it is
never unpickled: entries are JSON lists of strings and numbers, and anything that does not
decode to exactly the expected shape raises :class:`ValueError` (the entry is then a miss).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

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


T = TypeVar("T")
#: Values decoded by a run's tables, by name, with the JSON each was decoded from.
Decoded = dict[str, tuple[Any, Any]]

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
    """Values stored once per cache file and named by a hash of their JSON: fix proposals and
    findings (a diagnostic's fields but its path).

    Files of one size and target get the same findings and proposals, so a tree of thousands
    of findings holds a few dozen of each: stored once, validated and decoded once per run,
    and shared (they are frozen).
    """

    def __init__(self, raw: Json = None, decoded: Decoded | None = None) -> None:
        self.raw: dict[str, Json] = dict(raw) if isinstance(raw, dict) else {}
        self.fixes: dict[str, Fix] = {}
        self.templates: dict[str, Template] = {}
        #: Values decoded by other tables of the run, with the JSON they came from: every
        #: cache file of a run holds the same few findings, each decoded once.
        self.decoded = {} if decoded is None else decoded

    def add(self, encoded: Json) -> str:
        text = json.dumps(encoded, separators=(",", ":"))  # key order kept: reports show it
        name = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        self.raw.setdefault(name, json.loads(text))
        return name

    def add_fix(self, fix: Fix) -> str:
        return self.add([fix.fixer, fix.applicability.value, fix.description, dict(fix.data),
                         dict(fix.report_fields)])  # fmt: skip

    def fix(self, name: Json) -> Fix:
        fix = self.fixes.get(name) if type(name) is str else None
        if fix is None:
            fix = self.fixes[name] = self._decoded(name, _decode_fix)
        return fix

    def template(self, name: Json) -> Template:
        found = self.templates.get(name) if type(name) is str else None
        if found is None:
            found = self.templates[name] = self._decoded(name, self._decode_template)
        return found

    def _decode_template(self, raw: Json) -> Template:
        return _decode_template(raw, self)

    def _decoded(self, name: Json, decode: Callable[[Json], T]) -> T:
        """The value ``name`` stands for here, decoded by this table or taken from another
        that decoded the same JSON under that name (a finding's fixes included)."""
        raw = self._raw(name)  # a name this table holds: a string
        source = (raw, self._fixes_of(raw))
        key = str(name)
        known = self.decoded.get(key)
        if known is not None and known[0] == source:
            value: T = known[1]
            return value
        value = decode(raw)
        self.decoded[key] = (source, value)
        return value

    def _fixes_of(self, raw: Json) -> list[Json]:
        """The JSON of the fixes a finding refers to (none for a fix)."""
        return [self.raw.get(n) if type(n) is str else None for n in _fix_names(raw)]

    def names_used(self, names: set[str]) -> set[str]:
        """``names`` (findings) and the fixes those findings refer to, for pruning the table."""
        used = set(names)
        for name in names:
            used.update(n for n in _fix_names(self.raw.get(name)) if type(n) is str)
        return used

    def _raw(self, name: Json) -> Json:
        if type(name) is not str or name not in self.raw:
            raise ValueError(f"unknown shared value {name!r}")
        return self.raw[name]


def _fix_names(raw: Json) -> list[Json]:
    """The fix names a stored finding lists (``[]`` for a fix, or anything malformed)."""
    if type(raw) is list and len(raw) == 10 and type(raw[8]) is list:
        return raw[8]
    return []


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


def template_names(raw: Json) -> set[str]:
    """The findings an encoded diagnostics list refers to (for pruning the table)."""
    if not isinstance(raw, list):
        return set()
    return {d[0] for d in raw if isinstance(d, list) and len(d) == 2 and isinstance(d[0], str)}


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
