"""The everyday reporters, registered together as ``reporters``: ``text``, ``grouped``,
``json`` and ``github`` (and the ``--report-fix-data`` option of the JSON reports)."""

from __future__ import annotations

from collections.abc import Iterable

from sora_lint.hookspecs import hookimpl
from sora_lint.types import Reporter

from .github import write_github
from .grouped import write_grouped
from .json_array import sora_lint_addoption as sora_lint_addoption  # registered with this one
from .json_array import write_json
from .statistics import write_statistics_json, write_statistics_text
from .text import write_text


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [
        Reporter(
            "text",
            "concise `path: CODE message` lines and a summary",
            write_text,
            statistics=write_statistics_text,
        ),
        Reporter(
            "grouped",
            "the findings under each file, as ruff's grouped format",
            write_grouped,
            statistics=write_statistics_text,
        ),
        Reporter(
            "json",
            "one JSON array of diagnostic objects",
            write_json,
            statistics=write_statistics_json,
        ),
        Reporter("github", "GitHub Actions workflow commands (annotations)", write_github),
    ]
