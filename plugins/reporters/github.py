"""The ``github`` output: GitHub Actions workflow commands (annotations).

GitHub shows at most ten annotations of each type per step, so under GitHub Actions
(``GITHUB_ACTIONS=true``, writing to the step's log) the first ten of each severity are
annotated and the rest counted in a notice; every finding is then printed as a plain log
line as well, and the step summary lists every file. Anywhere else (a terminal, a file
given with ``--output-file`` or ``--output``), every finding is annotated: nothing is
left out.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO

from sora_lint.output.escape import safe_text, visible_text
from sora_lint.types import Diagnostic, RunReport, Severity

#: GitHub shows at most this many annotations of each type (error, warning, notice) per step.
GITHUB_ANNOTATION_LIMIT = 10


def under_actions(out: TextIO) -> bool:
    """Whether ``out`` is the log of a GitHub Actions step, where annotations are capped."""
    return os.environ.get("GITHUB_ACTIONS") == "true" and out is sys.stdout


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
            lines.append(
                f"::notice::{count} more {noun} not annotated (GitHub shows "
                f"{GITHUB_ANNOTATION_LIMIT} per step); every finding is in the log below and "
                "every file in the step summary"
            )
    return lines


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    return _head(d) + _escape_property(safe_text(d.path)) + _tail(d)


def _head(d: Diagnostic) -> str:
    return f"::{'error' if d.severity is Severity.ERROR else 'warning'} file="


def _tail(d: Diagnostic) -> str:
    """Everything after the annotation's file: what files of one kind share."""
    message = d.message + (f" [{d.asset}]" if d.asset else "")
    return (
        f",line={d.line or 1},title={_escape_property(f'{d.code} {d.name}')}::"
        f"{_escape_data(safe_text(message))}"
    )


def _annotations(diagnostics: Iterable[Diagnostic]) -> Iterable[str]:
    """:func:`annotation` of each, newline-ended; what a finding shares built once (a report
    of thousands of findings holds a few hundred distinct ones)."""
    tails: dict[tuple[object, ...], str] = {}
    for d in diagnostics:
        key = (d.code, d.message, d.line, d.asset, d.name, id(d.severity))
        tail = tails.get(key)
        if tail is None:
            tail = tails[key] = _tail(d) + "\n"
        yield _head(d) + _escape_property(safe_text(d.path)) + tail


def plain_line(d: Diagnostic) -> str:
    """``path:line: CODE severity: message``, as the text output writes a finding: on one
    line (a name's newline or carriage return shown as ``\\n``, ``\\r``), since nothing
    percent-encodes a plain log line."""
    where = visible_text(d.path) + f":{d.line or 1}"
    asset = f" [{visible_text(d.asset)}]" if d.asset else ""
    return f"{where}: {d.code} {d.severity.value}: {visible_text(d.message)}{asset}"


def write_github(report: RunReport, out: TextIO) -> None:
    """GitHub workflow commands: every finding annotated, or under Actions the first ten of
    each severity, a notice for the rest, and every finding as a plain log line."""
    if not under_actions(out):
        out.write("".join(_annotations(report.diagnostics)))
        return
    shown, hidden = cap_annotations(report.diagnostics)
    out.write("".join(_annotations(shown)))
    for line in overflow_notices(hidden):
        out.write(line + "\n")
    if not report.diagnostics:
        return
    # The plain lines hold text from the repository: with workflow commands stopped (a
    # token no file can guess ends the stop), none of them can act as one.
    import secrets  # here only: it costs every run's start-up

    token = secrets.token_hex(16)
    out.write(f"::stop-commands::{token}\n")
    out.write(f"sora-lint: {len(report.diagnostics)} findings\n")
    for d in report.diagnostics:
        out.write(plain_line(d) + "\n")
    out.write(f"::{token}::\n")
