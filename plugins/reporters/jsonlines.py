"""The ``json-lines`` output: one JSON object per diagnostic per line, for streaming tools.

Each line has the same shape as an element of the ``json`` output (see
:func:`sora_lint.serialize.diagnostic_to_dict`), so a consumer can switch formats freely.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from sora_lint.hookspecs import hookimpl
from sora_lint.output.json_shape import diagnostic_to_dict
from sora_lint.types import Reporter, RunReport


def write(report: RunReport, stream: TextIO) -> None:
    """One compact JSON object per line; nothing at all for a clean run."""
    for diagnostic in report.diagnostics:
        stream.write(json.dumps(diagnostic_to_dict(diagnostic), separators=(",", ":")))
        stream.write("\n")


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [Reporter("json-lines", "one JSON object per diagnostic per line", write)]
