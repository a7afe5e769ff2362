"""JSON documents whose objects are filled in from templates encoded once.

A report of thousands of findings names a few hundred distinct ones: each diagnostic's object
is a few values of its own (a path, a line, a fingerprint) and the members of its finding,
which hundreds of objects repeat (a kilobyte or two: message, fixes, crop bounds). Building a
dict for every object and encoding it again cost more than the text report did. A
:class:`Template` builds an object's shape once for each distinct shared value, with unique
placeholders where its own values go, and encodes it; each object is then those bytes with
its own values encoded into the gaps (an ``orjson.Fragment``, placed as it is).

:func:`spliced_json` writes the same text as
:func:`~sora_lint.output.json_document.json_bytes` of the document of plain dicts (tested):
where orjson is missing, or refuses a value (a lone surrogate from an undecodable file name),
the document is built again of plain dicts for the standard library. A placeholder is a
random token per run, so no repository content can stand in for one; a template whose text
holds a placeholder other than once is not used (that object is encoded whole).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sora_lint.output import json_document

#: Builds an object from its shared value and its own values (scalars: str, int, bool, None).
Shape = Callable[..., dict[str, Any]]

#: A template's text cut at its gaps (see ``Template._known``), or ``()``: not usable.
_Cut = tuple[bytes, list[tuple[int, bytes]]] | tuple[()]

#: Values a template's gap takes: the indenting encoder writes them on one line.
_SCALARS = frozenset((str, int, bool, type(None)))


class Splicer:
    """Builds one document: its templated objects as ``orjson.Fragment`` bytes when
    ``orjson`` is given, as plain dicts otherwise."""

    def __init__(self, orjson: Any, indent: bool) -> None:
        self.orjson = orjson
        self.indent = indent
        import secrets  # only for a JSON report: it costs start-up

        self.token = secrets.token_hex(8)

    def template(self, level: int, shape: Shape) -> Template:
        """Objects made by ``shape`` at depth ``level`` of the document (the indentation
        steps before the opening brace)."""
        return Template(self, level, shape)


class Template:
    """Objects of one shape (see :meth:`Splicer.template`): call it with the shared value
    (hashable; kept while the template lives) and the object's own scalar values."""

    def __init__(self, splicer: Splicer, level: int, shape: Shape) -> None:
        self.shape = shape
        self.orjson = splicer.orjson
        self.indent = splicer.indent
        self.pad = b"\n" + b"  " * level if splicer.indent else b""
        self.token = splicer.token
        #: (the bytes before the first gap, then each gap's value index and the bytes after
        #: it) by shared value; ``()`` when the template could not be used.
        self._known: dict[Hashable, _Cut] = {}

    def __call__(self, shared: Hashable, *values: Any) -> Any:
        orjson = self.orjson
        if orjson is None:
            return self.shape(shared, *values)
        known = self._known.get(shared)
        if known is None:
            known = self._known[shared] = self._split(shared, len(values))
        if known:
            dumps = orjson.dumps
            out = [known[0]]
            for index, after in known[1]:
                value = values[index]
                if type(value) not in _SCALARS:
                    break
                out.append(dumps(value))
                out.append(after)
            else:
                return orjson.Fragment(b"".join(out))
        return orjson.Fragment(self._encode(self.shape(shared, *values)))

    def _encode(self, value: dict[str, Any]) -> bytes:
        """An object as the document's encoder writes it at this template's depth."""
        orjson = self.orjson
        if not self.indent:
            return orjson.dumps(value)  # type: ignore[no-any-return]
        text: bytes = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        # JSON strings hold no raw line end: every b"\n" is the encoder's own.
        return text.replace(b"\n", self.pad)

    def _split(self, shared: Hashable, count: int) -> _Cut:
        """The encoded shape cut at its placeholders, and which value fills each gap."""
        holes = [f"\x00{self.token}:{i}\x00" for i in range(count)]
        text = self._encode(self.shape(shared, *holes))
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


def spliced_json(build: Callable[[Splicer], Any], indent: bool = False) -> bytes:
    """The JSON text of the document ``build`` makes with the splicer it is given (see
    :func:`~sora_lint.output.json_document.json_bytes`; built a second time, of plain
    dicts, when orjson cannot write it)."""
    orjson = json_document.fast_encoder()
    if orjson is not None:
        try:
            document = build(Splicer(orjson, indent))
            option = orjson.OPT_INDENT_2 if indent else 0
            return orjson.dumps(document, option=option)  # type: ignore[no-any-return]
        except TypeError:  # orjson.JSONEncodeError: a value it refuses
            pass
    return json_document.json_bytes(build(Splicer(None, indent)), indent)
