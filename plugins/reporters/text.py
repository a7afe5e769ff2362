"""The ``text`` output: concise ``path: CODE message`` lines, fix hints and a summary.

Every string from the repository goes through ``visible_text`` before it is written; colour
(only when the command set ``color`` for a terminal) wraps text that is already escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from sora_lint.output.escape import visible_text
from sora_lint.output.style import Style
from sora_lint.types import Applicability, Diagnostic, RunReport, Severity


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def fixable(d: Diagnostic) -> bool:
    """Whether ``--fix`` has a safe fix for ``d`` (what ``[*]`` promises)."""
    return any(f.applicability is Applicability.SAFE for f in d.fixes)


def _location(d: Diagnostic, style: Style) -> str:
    where = style.path(visible_text(d.path)) + (f":{d.line}" if d.line is not None else "")
    return where + (f" ({visible_text(d.asset)})" if d.asset else "")


def finding(d: Diagnostic, style: Style, quiet: bool, indent: str = "") -> str:
    """``CODE [*] message`` and its hint lines (indented by ``indent``), newline-ended."""
    hints = "".join(
        f"{indent}  hint: {visible_text(f.description)}\n"
        for f in d.fixes
        if f.applicability is Applicability.DISPLAY_ONLY and not quiet
    )
    marker = " " + style.fixable("[*]") if fixable(d) else ""
    return f"{style.code(d.code, d.severity)}{marker} {visible_text(d.message)}\n{hints}"


def write_text(report: RunReport, out: TextIO) -> None:
    """``path: CODE message`` per diagnostic, ``[*]`` when a safe fix exists, then a summary."""
    quiet = bool(report.settings.get("quiet"))
    style = Style.of(report.settings)
    # Findings of files of one size share their message and fixes: render those once.
    tails: dict[tuple[str, int, str, int], str] = {}
    for d in report.diagnostics:
        key = (d.code, id(d.fixes), d.message, id(d.severity))
        tail = tails.get(key)
        if tail is None:
            tail = tails[key] = ": " + finding(d, style, quiet)
        out.write(_location(d, style) + tail)
    write_fixed(report, out)
    write_tail(report, out)


def write_fixed(report: RunReport, out: TextIO) -> None:
    """One line per file ``--fix`` rewrote (``--diff``: would rewrite)."""
    verb = "Would fix" if report.settings.get("diff") else "Fixed"
    for result in report.fixed:
        detail = f"{result.old_size} -> {result.new_size} ({', '.join(result.fixers)})"
        out.write(f"{verb} {visible_text(result.path)}: {detail}{_boxes(result.details)}\n")


def write_tail(report: RunReport, out: TextIO) -> None:
    """The hints, the summary line and the fixable count (nothing with ``--quiet``)."""
    settings = report.settings
    if settings.get("quiet"):
        return
    style = Style.of(settings)
    for hint in report.hints:
        out.write(f"{visible_text(hint)}\n")
    if not (settings.get("write-baseline") and not report.diagnostics):
        # After --write-baseline the hint that says how many were written is the summary.
        out.write(style.summary(summary_line(report)) + "\n")
    if not settings.get("fix") and not settings.get("diff"):
        safe = sum(1 for d in report.diagnostics if fixable(d))
        if safe:
            out.write(f"{style.fixable('[*]')} {safe} fixable with `sora-lint --fix`.\n")


def _boxes(details: Mapping[str, Any]) -> str:
    """The crop and pad boxes a fix chose, as ``(left, top, right, bottom)`` pixels."""
    parts = []
    for key, label in (("crop_box", "crop box"), ("pad_box", "picture placed at")):
        box = details.get(key)
        if isinstance(box, list | tuple) and len(box) == 4:
            parts.append(f"{label} ({', '.join(str(v) for v in box)})")
    enlarged = details.get("enlarged")
    if isinstance(enlarged, int | float):  # SL024: the fix enlarged the picture
        parts.append(f"enlarged {enlarged:g}x (SL024)")
    return "; " + "; ".join(parts) if parts else ""


def summary_line(report: RunReport) -> str:
    """``Found …`` or ``All checks passed …``; after ``--fix``, ruff's ``(M fixed, K
    remaining)``."""
    if report.resolved:
        return _fix_summary(report)
    errors = sum(1 for d in report.diagnostics if d.severity is Severity.ERROR)
    warnings = len(report.diagnostics) - errors
    files = len({d.asset or d.path for d in report.diagnostics})
    checked = plural(report.files_checked, "file")
    if not report.diagnostics:
        return f"All checks passed ({checked} checked)."
    return (
        f"Found {plural(errors, 'error')} and {plural(warnings, 'warning')} "
        f"in {files} of {checked}."
    )


def _fix_summary(report: RunReport) -> str:
    """``Found 5 errors (4 fixed, 1 remaining).``: everything found before the fix, split
    by severity only when there were both."""
    found = [*report.resolved, *report.diagnostics]
    errors = sum(1 for d in found if d.severity is Severity.ERROR)
    warnings = len(found) - errors
    kinds = [plural(n, noun) for n, noun in ((errors, "error"), (warnings, "warning")) if n]
    fixed, remaining = len(report.resolved), len(report.diagnostics)
    return f"Found {' and '.join(kinds)} ({fixed} fixed, {remaining} remaining)."
