"""The ``json-lines`` output: one JSON object per diagnostic per line, for streaming tools.

Each line has the same shape as an element of the ``json`` output (see
:mod:`sora_lint.output.json_shape`), so a consumer can switch formats freely.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from sora_lint.hookspecs import hookimpl
from sora_lint.output.json_document import json_bytes, one_line, write_lines
from sora_lint.types import Reporter, RunReport

from .json_array import shapes_for


def write(report: RunReport, stream: TextIO) -> None:
    """One compact JSON object per line; nothing at all for a clean run.

    Each distinct finding's JSON (all but the path) is encoded once and each line is its
    path and that text: a call to the encoder per line cost twice the text report."""
    shapes = shapes_for(report)
    encoded: dict[int, bytes] = {}  # by id of the finding's members, which the shapes keep
    lines = []
    for d in report.diagnostics:
        members = shapes.members(d)
        rest = encoded.get(id(members))
        if rest is None:
            rest = encoded[id(members)] = b"," + one_line(json_bytes(members.value))[1:]
        lines.append(b"".join((b'{"path":', one_line(json_bytes(d.path)), rest)))
    write_lines(stream, lines)


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [Reporter("json-lines", "one JSON object per diagnostic per line", write)]
