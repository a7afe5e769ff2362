"""The ``text`` output: concise ``path: CODE message`` lines, fix hints and a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from sora_lint.output.escape import safe_text
from sora_lint.types import Applicability, Diagnostic, RunReport, Severity


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _location(d: Diagnostic) -> str:
    where = safe_text(d.path) + (f":{d.line}" if d.line is not None else "")
    return where + (f" ({safe_text(d.asset)})" if d.asset else "")


def write_text(report: RunReport, out: TextIO) -> None:
    """``path: CODE message`` per diagnostic, ``[*]`` when a safe fix exists, then a summary."""
    quiet = bool(report.settings.get("quiet"))
    # Findings of files of one size share their message and fixes: render those once.
    tails: dict[tuple[str, int, str], str] = {}
    for d in report.diagnostics:
        key = (d.code, id(d.fixes), d.message)
        tail = tails.get(key)
        if tail is None:
            fixable = any(f.applicability is Applicability.SAFE for f in d.fixes)
            hints = "".join(
                f"  hint: {safe_text(f.description)}\n"
                for f in d.fixes
                if f.applicability is Applicability.DISPLAY_ONLY and not quiet
            )
            marker = " [*]" if fixable else ""
            tail = tails[key] = f": {d.code}{marker} {safe_text(d.message)}\n{hints}"
        out.write(_location(d) + tail)
    dry_run = bool(report.settings.get("diff"))
    for result in report.fixed:
        verb = "Would fix" if dry_run else "Fixed"
        detail = f"{result.old_size} -> {result.new_size} ({', '.join(result.fixers)})"
        out.write(f"{verb} {safe_text(result.path)}: {detail}{_boxes(result.details)}\n")
    if report.settings.get("statistics"):
        write_statistics(report.diagnostics, out)
    if quiet:
        return
    for hint in report.hints:
        out.write(f"{safe_text(hint)}\n")
    out.write(summary_line(report) + "\n")
    if not report.settings.get("fix") and not dry_run:
        safe = sum(
            1
            for d in report.diagnostics
            if any(f.applicability is Applicability.SAFE for f in d.fixes)
        )
        if safe:
            out.write(f"[*] {safe} fixable with `sora-lint --fix`.\n")


def _boxes(details: Mapping[str, Any]) -> str:
    """The crop and pad boxes a fix chose, as ``(left, top, right, bottom)`` pixels."""
    parts = []
    for key, label in (("crop_box", "crop box"), ("pad_box", "picture placed at")):
        box = details.get(key)
        if isinstance(box, list | tuple) and len(box) == 4:
            parts.append(f"{label} ({', '.join(str(v) for v in box)})")
    return "; " + "; ".join(parts) if parts else ""


def summary_line(report: RunReport) -> str:
    errors = sum(1 for d in report.diagnostics if d.severity is Severity.ERROR)
    warnings = len(report.diagnostics) - errors
    files = len({d.asset or d.path for d in report.diagnostics})
    checked = _plural(report.files_checked, "file")
    if not report.diagnostics:
        return f"All checks passed ({checked} checked)."
    return (
        f"Found {_plural(errors, 'error')} and {_plural(warnings, 'warning')} "
        f"in {files} of {checked}."
    )


def write_statistics(diagnostics: Iterable[Diagnostic], out: TextIO) -> None:
    counts = Counter((d.code, d.name) for d in diagnostics)
    for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>6}  {code}  {name}\n")
