"""The ``json-lines`` output: one JSON object per diagnostic per line, for streaming tools.

Each line has the same shape as an element of the ``json`` output (see
:mod:`sora_lint.output.json_shape`), so a consumer can switch formats freely.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from sora_lint.hookspecs import hookimpl
from sora_lint.output.json_document import write_json_lines
from sora_lint.types import Reporter, RunReport

from .json_array import shapes_for


def write(report: RunReport, stream: TextIO) -> None:
    """One compact JSON object per line; nothing at all for a clean run."""
    shapes = shapes_for(report)
    write_json_lines(stream, (shapes.diagnostic(d) for d in report.diagnostics))


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [Reporter("json-lines", "one JSON object per diagnostic per line", write)]
