"""The ``json`` output: one array of diagnostic objects, for scripts."""

from __future__ import annotations

import json
from typing import TextIO

from sora_lint.output.json_shape import diagnostic_to_dict
from sora_lint.types import RunReport


def write_json(report: RunReport, out: TextIO) -> None:
    """One JSON array of diagnostic objects (see ``sora_lint.output.serialize``)."""
    json.dump(
        [diagnostic_to_dict(d) for d in report.diagnostics], out, indent=2, ensure_ascii=False
    )
    out.write("\n")
