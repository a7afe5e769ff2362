"""JSON documents whose long array is written in chunks of objects filled in from templates.

A report of thousands of findings names a few hundred distinct ones: each diagnostic's object
is a few values of its own (a path, a line, a fingerprint) and the members of its finding,
which hundreds of objects repeat (a kilobyte or two: message, fixes, crop bounds). Building a
dict for every object and encoding the document of megabytes in one piece cost more than the
text report did, most of it in memory touched for the first time. A :class:`Template` builds
an object's shape once for each distinct shared value, with placeholders where its own values
go, and encodes it; each object is then those bytes with its own values encoded into the gaps.
:func:`write_spliced` writes the document around its one long array
(:meth:`Splicer.array`) and the array a chunk of objects at a time, so the same few hundred
kilobytes of memory carry the whole report.

The text is byte for byte what :func:`~sora_lint.output.json_document.json_bytes` writes for
the document of plain dicts (tested). Without orjson the document is built of plain dicts for
the standard library; an object holding a value orjson refuses (a lone surrogate from an
undecodable file name) is written by the standard library, escaped, at its place. A
placeholder is a random token per run, so no repository content can stand in for one; a
template whose text holds a placeholder other than once is not used (its objects are encoded
whole).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Hashable, Iterable, Iterator
from itertools import islice
from typing import Any, TextIO

from sora_lint.output import json_document

#: Builds an object from its shared value and its own values (scalars: str, int, bool, None).
Shape = Callable[..., dict[str, Any]]

#: A template's text cut at its gaps (see ``Template._known``), or ``()``: not usable.
_Cut = tuple[bytes, list[tuple[int, bytes]]] | tuple[()]

#: JSON's scalar types, exactly (no subclass): the values a template's gap takes, which the
#: indenting encoder writes on one line as the compact one does.
SCALARS = frozenset((str, int, bool, type(None)))

#: Objects of the array joined and written at a time.
CHUNK = 512


class Splicer:
    """Builds one document: with ``orjson``, templated objects as their bytes and the array
    as a placeholder written in chunks by :func:`write_spliced`; without, plain values."""

    def __init__(self, orjson: Any, indent: bool) -> None:
        self.orjson = orjson
        self.indent = indent
        self.token = os.urandom(8).hex()  # what secrets.token_hex does, without its imports
        #: The array's depth and objects, once :meth:`array` is called with orjson.
        self.pending: tuple[int, Iterable[Any]] | None = None
        #: The depths templates were made for: the array's, or its objects would not fit.
        self.levels: set[int] = set()

    def template(self, level: int, shape: Shape) -> Callable[..., Any]:
        """Objects made by ``shape`` at depth ``level`` of the document (the indentation
        steps before the opening brace), the elements of :meth:`array` at that level: call
        it with the shared value (hashable; kept while the document is built) and the
        object's own scalar values. Without orjson, ``shape`` itself."""
        if self.orjson is None:
            return shape
        self.levels.add(level)
        return Template(self, level, shape).fill

    def array(self, level: int, objects: Iterable[Any]) -> Any:
        """The document's long array, its elements at depth ``level`` (templated objects of
        that level), consumed once while it is written; one per document."""
        if self.orjson is None:
            return list(objects)
        if self.pending is not None:
            raise ValueError("a spliced document has one array")
        self.pending = (level, objects)
        return self.placeholder

    @property
    def placeholder(self) -> str:
        return f"\x00{self.token}:array\x00"


class Template:
    """Objects of one shape (see :meth:`Splicer.template`), as their bytes."""

    def __init__(self, splicer: Splicer, level: int, shape: Shape) -> None:
        self.shape = shape
        self.orjson = splicer.orjson
        self.indent = splicer.indent
        self.pad = b"\n" + b"  " * level if splicer.indent else b""
        self.token = splicer.token
        self.fill = self._filler()

    def _filler(self) -> Callable[..., bytes]:
        """The function that makes an object: one per template, its state in the closure
        rather than attributes, since a report calls it once per finding."""
        #: (the bytes before the first gap, then each gap's value index and the bytes after
        #: it) by shared value; ``()`` when the template could not be used.
        known: dict[Hashable, _Cut] = {}
        dumps, split, encode, shape, scalars = (
            self.orjson.dumps,
            self._split,
            self.encode,
            self.shape,
            SCALARS,
        )

        def fill(shared: Hashable, *values: Any) -> bytes:
            cut = known.get(shared)
            if cut is None:
                cut = known[shared] = split(shared, len(values))
            if cut:
                out = [cut[0]]
                try:
                    for index, after in cut[1]:
                        value = values[index]
                        if type(value) not in scalars:
                            break
                        out.append(dumps(value))
                        out.append(after)
                    else:
                        return b"".join(out)
                except TypeError:  # orjson.JSONEncodeError: encoded whole, below
                    pass
            return encode(shape(shared, *values))

        return fill

    def encode(self, value: dict[str, Any]) -> bytes:
        """An object as the document's encoder writes it at this template's depth."""
        return _object_bytes(self.orjson, value, self.indent, self.pad)

    def _split(self, shared: Hashable, count: int) -> _Cut:
        """The encoded shape cut at its placeholders, and which value fills each gap."""
        holes = [f"\x00{self.token}:{i}\x00" for i in range(count)]
        text = self.encode(self.shape(shared, *holes))
        marks = [self.orjson.dumps(hole) for hole in holes]
        if any(text.count(mark) != 1 for mark in marks):
            return ()  # a placeholder missing or repeated: encode such objects whole
        order = sorted(range(count), key=lambda i: text.index(marks[i]))
        first, _, text = text.partition(marks[order[0]]) if order else (text, b"", b"")
        gaps = []
        for here, after in zip(order, [*order[1:], None], strict=True):
            if after is None:
                gaps.append((here, text))
            else:
                piece, _, text = text.partition(marks[after])
                gaps.append((here, piece))
        return first, gaps


def _object_bytes(orjson: Any, value: Any, indent: bool, pad: bytes) -> bytes:
    """``value`` as orjson writes it, each line after the first moved by ``pad`` (a line end
    and the indentation of its depth); the standard library's text, escaped, for a value
    orjson refuses."""
    try:
        if not indent:
            return orjson.dumps(value)  # type: ignore[no-any-return]
        text: bytes = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:
        if not indent:
            return json.dumps(value, separators=(",", ":")).encode()
        text = json.dumps(value, indent=2).encode()
    # JSON strings hold no raw line end: every b"\n" is the encoder's own.
    return text.replace(b"\n", pad)


def write_spliced(stream: TextIO, build: Callable[[Splicer], Any], indent: bool = False) -> None:
    """Write the document ``build`` makes with the splicer it is given, and a newline (see
    :func:`~sora_lint.output.json_document.write_document`). ``build`` may be called twice:
    the second time, for plain values, when the array cannot be placed."""
    orjson = json_document.fast_encoder()
    if orjson is not None:
        splicer = Splicer(orjson, indent)
        parts = _parts(splicer, build(splicer))
        if parts is not None:
            json_document.write_parts(stream, parts)
            return
    plain = build(Splicer(None, indent))
    json_document.write_document(stream, json_document.json_bytes(plain, indent), b"\n")


def _parts(splicer: Splicer, document: Any) -> Iterator[bytes] | None:
    """The document's text in parts: what surrounds the array, then the array a chunk at a
    time; ``None`` when the array's placeholder is not where the array's level says."""
    around = json_document.json_bytes(document, splicer.indent)
    if splicer.pending is None:
        return iter((around, b"\n"))
    mark = json.dumps(splicer.placeholder).encode()  # as either encoder writes it: ASCII
    if around.count(mark) != 1:
        return None
    head, _, tail = around.partition(mark)
    level, objects = splicer.pending
    last = head.rpartition(b"\n")[2]
    if splicer.indent and (
        splicer.levels - {level} or len(last) - len(last.lstrip(b" ")) != 2 * (level - 1)
    ):
        return None  # the array is not at the depth its objects were made for
    return _chunks(splicer, head, level, objects, tail)


def _chunks(
    splicer: Splicer, head: bytes, level: int, objects: Iterable[Any], tail: bytes
) -> Iterator[bytes]:
    yield head
    pad = b"\n" + b"  " * level if splicer.indent else b""
    if splicer.indent:
        start, separator, end = b"[" + pad, b"," + pad, b"\n" + b"  " * (level - 1) + b"]"
    else:
        start, separator, end = b"[", b",", b"]"
    orjson, indent = splicer.orjson, splicer.indent
    objects = iter(objects)
    chunk = list(islice(objects, CHUNK))
    if not chunk:
        start = end = b""
        chunk = [b"[]"]
    while chunk:
        yield start + separator.join(
            [o if type(o) is bytes else _object_bytes(orjson, o, indent, pad) for o in chunk]
        )
        start = separator
        chunk = list(islice(objects, CHUNK))
    yield end + tail + b"\n"
