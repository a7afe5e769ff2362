"""Cache values as plain JSON values, and back, validated on the way in.

The cache folder sits in the repository and may be committed or tampered with, so it is
never unpickled: values are JSON lists of strings and numbers, and anything that does not
decode to exactly the expected shape raises :class:`ValueError` (the entry is then a miss).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

#: A decoded finding: a diagnostic's fields but its path, in constructor order.
Template = tuple[str, str, Severity, str, "int | None", "str | None", "Size | None",
                  "Size | None", tuple[Fix, ...], Any]  # fmt: skip
#: What files of one kind share: an asset's fields but its path and byte size.
Kind = tuple["str | None", "ImageHeader | None", "Problem | None"]


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


def encode_kind(asset: Asset) -> Json:
    header = asset.header
    encoded_header = None
    if header is not None:
        encoded_header = [
            header.size.width, header.size.height, header.mode, header.orientation,
            header.n_frames, header.has_alpha, header.bits,
        ]  # fmt: skip
    problem = asset.problem
    encoded_problem = None if problem is None else [problem.kind.value, problem.message]
    return [asset.format, encoded_header, encoded_problem]


def decode_kind(raw: Json) -> Kind:
    fmt, raw_header, raw_problem = raw
    if not (fmt is None or type(fmt) is str):
        raise ValueError(f"not a format: {fmt!r}"[:200])
    header = None
    if type(raw_header) is list:
        header = _HEADERS.get(tuple(raw_header)) or _decode_header(raw_header)
    elif raw_header is not None:
        raise ValueError(f"not an image header: {raw_header!r}"[:200])
    problem = None
    if raw_problem is not None:
        if type(raw_problem) is not list:
            raise ValueError(f"not a problem: {raw_problem!r}"[:200])
        kind, message = raw_problem
        problem = Problem(ProblemKind(kind), _str(message))
    return fmt, header, problem


def encode_asset(asset: Asset) -> Json:
    """An asset as the workers send it: its byte size and kind (:func:`encode_kind`)."""
    return [asset.byte_size, *encode_kind(asset)]


def decode_asset(raw: Json, candidate: Candidate) -> Asset:
    byte_size, *kind = raw
    if type(byte_size) is not int or byte_size < 0:
        raise ValueError(f"not an asset: {raw!r}"[:200])
    return Asset(candidate.path, candidate.display, byte_size, *decode_kind(kind))


#: Decoded headers by their JSON values: files of one kind share one frozen header.
_HEADERS: dict[tuple[Any, ...], ImageHeader] = {}
_MAX_HEADERS = 4096


def _decode_header(raw_header: list[Any]) -> ImageHeader:
    width, height, mode, orientation, n_frames, has_alpha, bits = raw_header
    if not (
        type(width) is int and type(height) is int and type(mode) is str
        and type(orientation) is int and type(n_frames) is int
        and type(has_alpha) is bool and type(bits) is int
    ):  # fmt: skip
        raise ValueError(f"not an image header: {raw_header!r}"[:200])
    header = ImageHeader(Size(width, height), mode, orientation, n_frames, has_alpha, bits)
    if len(_HEADERS) < _MAX_HEADERS:
        _HEADERS[tuple(raw_header)] = header
    return header


def plausible(header: ImageHeader) -> bool:
    """Whether a header is one a prober can give (sides and frames at least 1, an orientation
    1-8): a cache file that says otherwise was damaged, and the entry is a miss rather than
    "a plugin failed: ZeroDivisionError"."""
    size = header.size
    return (
        size.width > 0 and size.height > 0 and header.n_frames > 0
        and 1 <= header.orientation <= 8 and header.bits >= 0
    )  # fmt: skip


def encode_template(d: Diagnostic, fix_names: list[str]) -> Json:
    return [
        d.code, d.name, d.severity.value, d.message, d.line, d.asset,
        None if d.size is None else str(d.size),
        None if d.target is None else str(d.target),
        fix_names, dict(d.data),
    ]  # fmt: skip


def decode_template(raw: Json, fixes: tuple[Fix, ...]) -> Template:
    """A stored finding, its fixes (named in ``raw[8]``) decoded already."""
    code, name, severity, message, line, asset, size, target, _, data = raw
    if not (
        type(code) is str and type(name) is str and type(message) is str
        and (line is None or type(line) is int) and (asset is None or type(asset) is str)
        and type(data) is dict
    ):  # fmt: skip
        raise ValueError(f"not a finding: {raw!r}"[:200])
    return (
        code, name, _enum(SEVERITIES, severity), message, line, asset,
        None if size is None else _size(size), None if target is None else _size(target),
        fixes, data,
    )  # fmt: skip


def fix_names(raw: Json) -> list[Json]:
    """The names of the fixes a stored finding lists."""
    names = raw[8] if type(raw) is list and len(raw) == 10 else None
    if type(names) is not list:
        raise ValueError(f"not a finding: {raw!r}"[:200])
    return names


def encode_fix(fix: Fix) -> Json:
    return [fix.fixer, fix.applicability.value, fix.description, dict(fix.data),
            dict(fix.report_fields)]  # fmt: skip


def decode_fix(raw: Json) -> Fix:
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
