"""The ``gitlab`` output: a GitLab Code Quality report (``artifacts:reports:codequality``).

GitLab shows these in merge requests; it needs a unique, stable ``fingerprint`` per issue to
tell new findings from old ones, and a ``location.path`` relative to the repository.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from sora_lint.hookspecs import hookimpl
from sora_lint.output.json_document import write_json
from sora_lint.output.paths import ReportPaths
from sora_lint.types import Diagnostic, Reporter, RunReport, Severity

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def issue(d: Diagnostic, fingerprint: str, paths: ReportPaths | None = None) -> dict[str, Any]:
    """One Code Quality issue."""
    paths = ReportPaths() if paths is None else paths
    return {
        "type": "issue",
        "description": f"{d.code} {d.message}",
        "check_name": f"{d.code} {d.name}",
        "fingerprint": fingerprint,
        "severity": SEVERITY.get(d.severity, "info"),
        "categories": ["Compatibility"],
        "location": {
            "path": paths.relative(d.path) or d.path,
            "lines": {"begin": d.line if d.line is not None and d.line >= 1 else 1},
        },
    }


def write(report: RunReport, stream: TextIO) -> None:
    """One JSON array of issues (``[]`` for a clean run, which GitLab expects)."""
    paths = ReportPaths()
    fingerprints = paths.fingerprints(report.diagnostics)
    issues = [issue(d, fp, paths) for d, fp in zip(report.diagnostics, fingerprints, strict=True)]
    write_json(stream, issues, indent=True)


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [Reporter("gitlab", "GitLab Code Quality JSON", write)]
