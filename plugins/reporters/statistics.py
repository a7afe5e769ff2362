"""``--statistics``: how many findings each rule has, and whether ``--fix`` fixes them all.

As ruff does it: the table instead of the findings (then the summary) in ``text`` and
``grouped``, with ``[*]`` for a rule whose every finding ``--fix`` fixes (the column only
when there is one), and a JSON array of the rows with ``--output-format json``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import TextIO

from sora_lint.output.style import Style
from sora_lint.types import RunReport, Severity

from .text import fixable, write_tail


@dataclass(frozen=True)
class RuleCount:
    code: str
    name: str
    severity: Severity
    count: int
    fixable_count: int  # how many have a fix ``--fix`` applies

    @property
    def fixable(self) -> bool:
        """Every one of them (ruff's ``fixable``)."""
        return self.fixable_count == self.count


def rule_counts(report: RunReport) -> list[RuleCount]:
    """One row per rule found, the most frequent first (then by code)."""
    rows: dict[str, RuleCount] = {}
    for d in report.diagnostics:
        row = rows.get(d.code) or RuleCount(d.code, d.name, d.severity, 0, 0)
        rows[d.code] = dataclasses.replace(
            row, count=row.count + 1, fixable_count=row.fixable_count + fixable(d)
        )
    return sorted(rows.values(), key=lambda row: (-row.count, row.code))


def write_statistics_text(report: RunReport, out: TextIO) -> None:
    """``COUNT  CODE  [*] name`` per rule (the fixable column only when something is
    fixable), then the summary."""
    rows = rule_counts(report)
    style = Style.of(report.settings)
    count_width = max((len(str(row.count)) for row in rows), default=0)
    code_width = max((len(row.code) for row in rows), default=0)
    any_fixable = any(row.fixable for row in rows)
    for row in rows:
        mark = ""
        if any_fixable:
            mark = (style.fixable("[*]") if row.fixable else "[ ]") + " "
        code = style.code(f"{row.code:<{code_width}}", row.severity)
        out.write(f"{row.count:>{count_width}}  {code}  {mark}{row.name}\n")
    write_tail(report, out)


def write_statistics_json(report: RunReport, out: TextIO) -> None:
    """A JSON array of ``{"code", "name", "count", "fixable", "fixable_count"}`` objects
    (ruff's keys, and how many of them ``--fix`` would fix)."""
    data = [
        {"code": row.code, "name": row.name, "count": row.count, "fixable": row.fixable,
         "fixable_count": row.fixable_count}
        for row in rule_counts(report)
    ]  # fmt: skip
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
