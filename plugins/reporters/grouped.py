"""The ``grouped`` output, as ruff's: each file once, its findings indented under it."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from sora_lint.output.escape import visible_text
from sora_lint.output.style import Style
from sora_lint.types import Diagnostic, RunReport

from .text import finding, write_fixed, write_tail


def write_grouped(report: RunReport, out: TextIO) -> None:
    """``path:`` then ``  CODE message`` per finding (``  LINE (image): CODE …`` in a job
    file), a blank line after each file, then the fixes and the summary as ``text`` has."""
    quiet = bool(report.settings.get("quiet"))
    style = Style.of(report.settings)
    # Findings of files of one size share their message and fixes: render those once.
    findings: dict[tuple[object, ...], str] = {}
    lines = []
    for path, group in groupby(report.diagnostics, key=lambda d: d.path):
        found = list(group)
        width = max((len(str(d.line)) for d in found if d.line is not None), default=0)
        lines.append(f"{style.path(visible_text(path))}:\n")
        for d in found:
            key = (d.code, id(d.fixes), d.message, id(d.severity))
            text = findings.get(key)
            if text is None:
                text = findings[key] = finding(d, style, quiet, indent="  ")
            lines.append(f"  {_where(d, width)}{text}" if width or d.asset else "  " + text)
        lines.append("\n")
    out.write("".join(lines))
    write_fixed(report, out)
    write_tail(report, out)


def _where(d: Diagnostic, width: int) -> str:
    """The line (right-aligned within the file) and the image a job-file finding is about."""
    parts = []
    if width:
        parts.append(f"{d.line if d.line is not None else '':>{width}}")
    if d.asset:
        parts.append(f"({visible_text(d.asset)})")
    return " ".join(parts) + ": " if parts else ""
