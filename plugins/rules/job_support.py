"""What the job rules share: a diagnostic at a job's line, and a safe short rendering of a
value taken from a job file (every string there may be an attacker's)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sora_lint.types import Diagnostic, Rule, Severity

from ..jobs.docs import DOCS

if TYPE_CHECKING:
    from ..jobs import index as jobs_index


def _nothing(ctx: Any) -> tuple[Diagnostic, ...]:
    return ()  # job rules report from the job files (sora_lint_collect_diagnostics), not per image


def job_rule(code: str, name: str, summary: str) -> Rule:
    """A job rule's registration: an error, documented in ``jobs/docs.py``, with no per-image
    check of its own."""
    return Rule(code, name, Severity.ERROR, summary, DOCS[code], _nothing, pure=True)


def shown(value: Any) -> str:
    """A short, safe rendering of a value from a job file (never expands a nested value)."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if value is None or isinstance(value, bool | float):
        return repr(value)
    if isinstance(value, int):
        text = str(value) if value.bit_length() < 64 else "a very large number"
        return text
    return f"a {type(value).__name__}"


def as_text(value: Any) -> str | None:
    """A parameter as the API's string (``8`` is ``"8"``); None for anything else."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


class JobAt:
    """Builds diagnostics for one job: at its file and line, naming its image."""

    def __init__(self, job: jobs_index.Job, cwd: Path) -> None:
        self.job = job
        self.asset = os.path.relpath(job.image, cwd) if job.image is not None else None

    def diag(self, rule: Rule, message: str, **extra: Any) -> Diagnostic:
        """At the job's line; ``asset`` names its image unless ``extra`` says otherwise."""
        fields: dict[str, Any] = {"asset": self.asset, **extra}
        return Diagnostic(
            code=rule.code, name=rule.name, severity=rule.severity, message=message,
            path=self.job.file.display, line=self.job.line, **fields,
        )  # fmt: skip
