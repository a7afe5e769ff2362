"""The ``github`` output: GitHub Actions workflow commands (annotations)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TextIO

from sora_lint.output.escape import safe_text
from sora_lint.types import Diagnostic, RunReport, Severity

#: GitHub shows at most this many annotations of each type (error, warning, notice) per step.
GITHUB_ANNOTATION_LIMIT = 10


def cap_annotations(
    diagnostics: Iterable[Diagnostic], limit: int = GITHUB_ANNOTATION_LIMIT
) -> tuple[tuple[Diagnostic, ...], dict[Severity, int]]:
    """Keep the first ``limit`` diagnostics of each severity, in order; count the rest.

    Returns ``(shown, hidden)`` where ``hidden`` maps a severity to how many of that
    severity were left out (only severities with something hidden appear).
    """
    seen: dict[Severity, int] = {}
    hidden: dict[Severity, int] = {}
    shown: list[Diagnostic] = []
    for diagnostic in diagnostics:
        count = seen.get(diagnostic.severity, 0)
        if count < limit:
            shown.append(diagnostic)
        else:
            hidden[diagnostic.severity] = hidden.get(diagnostic.severity, 0) + 1
        seen[diagnostic.severity] = count + 1
    return tuple(shown), hidden


def overflow_notices(hidden: Mapping[Severity, int]) -> list[str]:
    """The ``::notice::`` lines that say how many annotations were left out, errors first."""
    lines = []
    for severity in (Severity.ERROR, Severity.WARNING):
        count = hidden.get(severity, 0)
        if count:
            noun = severity.value if count == 1 else f"{severity.value}s"
            lines.append(f"::notice::{count} more {noun} not annotated; see the step summary")
    return lines


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(report: RunReport, out: TextIO) -> None:
    """GitHub workflow commands, at most 10 per type (GitHub's cap) plus a notice for the rest."""
    shown, hidden = cap_annotations(report.diagnostics)
    for d in shown:
        kind = "error" if d.severity is Severity.ERROR else "warning"
        message = d.message + (f" [{d.asset}]" if d.asset else "")
        out.write(
            f"::{kind} file={_escape_property(safe_text(d.path))},line={d.line or 1},"
            f"title={_escape_property(f'{d.code} {d.name}')}::{_escape_data(safe_text(message))}\n"
        )
    for line in overflow_notices(hidden):
        out.write(line + "\n")
