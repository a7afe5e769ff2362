"""JSON text of a whole report in one call: orjson where it installs, the standard library's
C encoder elsewhere.

A report of thousands of findings is one document of several megabytes; the standard
library's indenting encoder is written in Python (its C encoder never indents) and took ~1 s
for 5,000 findings where orjson takes ~20 ms. Without orjson (PyPy, a platform it ships no
wheel for) the document is written compact by the standard library's C encoder: the same JSON
values, no indentation, non-ASCII characters escaped. A value orjson refuses (a lone surrogate
from an undecodable file name, an integer past 64 bits) goes to the standard library too,
escaped (``\\udcff``), so the output is always valid UTF-8.
"""

from __future__ import annotations

import codecs
import functools
import json
import os
from collections.abc import Iterable
from typing import Any, TextIO

#: Whether orjson may write the reports (tests turn it off to check the fallback).
FAST = True


def json_bytes(value: Any, indent: bool = False) -> bytes:
    """``value`` (plain JSON types) as UTF-8 JSON: two-space indented when ``indent`` and
    orjson is installed, compact otherwise; no trailing newline."""
    orjson = _orjson() if FAST else None
    if orjson is not None:
        try:
            return bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0))
        except TypeError:  # orjson.JSONEncodeError: see the module docstring
            if indent:
                return json.dumps(value, indent=2).encode()
    return json.dumps(value, separators=(",", ":")).encode()


def write_json(stream: TextIO, value: Any, indent: bool = False) -> None:
    """Write ``value`` and a newline to ``stream`` (see :func:`write_document`)."""
    write_document(stream, json_bytes(value, indent), b"\n")


#: Characters JSON leaves as they are but ``str.splitlines`` (and some editors) break lines
#: at, escaped in JSON Lines so each object stays on its line for every reader.
_LINE_BREAKS = ((b"\xc2\x85", b"\\u0085"), (b"\xe2\x80\xa8", b"\\u2028"),
                (b"\xe2\x80\xa9", b"\\u2029"))  # fmt: skip


def one_line(data: bytes) -> bytes:
    """Compact JSON (from :func:`json_bytes`) that stays on one line for every reader."""
    if data.isascii():
        return data
    for raw, escaped in _LINE_BREAKS:
        if raw in data:  # inside a string: the only place JSON has non-ASCII bytes
            data = data.replace(raw, escaped)
    return data


def write_json_lines(stream: TextIO, values: Iterable[Any]) -> None:
    """Write each value as one compact line; nothing at all for none."""
    write_lines(stream, [one_line(json_bytes(value)) for value in values])


def write_lines(stream: TextIO, lines: list[bytes]) -> None:
    """Write lines made by :func:`one_line`; nothing at all for none."""
    if lines:
        write_document(stream, b"\n".join(lines), b"\n")


def write_document(stream: TextIO, *parts: bytes) -> None:
    """Write UTF-8 ``parts`` to a text stream (see :func:`write_parts`)."""
    write_parts(stream, parts)


def write_parts(stream: TextIO, parts: Iterable[bytes]) -> None:
    """Write UTF-8 ``parts`` to a text stream: to its binary buffer when it has one that takes
    UTF-8 with ``\\n`` line ends (a report of megabytes decoded only to be encoded again cost
    as much as encoding it), else as text."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and os.linesep == "\n" and _utf8(getattr(stream, "encoding", None)):
        stream.flush()
        for part in parts:
            buffer.write(part)
        return
    for part in parts:
        stream.write(part.decode())


def _utf8(encoding: str | None) -> bool:
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def fast_encoder() -> Any:
    """orjson when it is installed and allowed to write the reports, else ``None``."""
    return _orjson() if FAST else None


@functools.cache
def _orjson() -> Any:
    """orjson, imported when the first report is written (text-only runs never need it)."""
    try:
        import orjson
    except ImportError:
        return None
    return orjson
