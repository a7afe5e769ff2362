"""Under GitHub Actions, append a Markdown summary of the run to the job's step summary.

Annotations are capped at 10 per type per step, so the summary is where a reviewer sees the
whole picture: counts by rule, by folder, the files with the most findings, and every file
with a finding (within GitHub's 1 MiB limit on a step summary; the step's log lists every
finding in any case).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sora_lint.hookspecs import hookimpl
from sora_lint.output.escape import safe_text
from sora_lint.output.paths import relative_path
from sora_lint.types import Diagnostic, RunReport, Settings, Severity

from .github import GITHUB_ANNOTATION_LIMIT

ENV = "GITHUB_STEP_SUMMARY"
TOP = 10
#: Characters of the summary past which the list of files stops (GitHub refuses a step
#: summary over 1 MiB, and would drop the whole of it).
BUDGET = 900_000
# Characters that Markdown or the HTML inside it would interpret; written as entities.
_SPECIAL = set("\\`*_{}[]<>()#|~&!\"'")


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no markup, no pipes, one line."""
    clean = safe_text(text).replace("\r", " ").replace("\n", " ")
    return "".join(f"&#{ord(ch)};" if ch in _SPECIAL else ch for ch in clean)


def _file(d: Diagnostic) -> str:
    shown = d.asset or d.path
    return relative_path(shown) or shown


def _folder(d: Diagnostic) -> str:
    return _file(d).rpartition("/")[0] or "."


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def render_summary(report: RunReport) -> str:
    """The Markdown appended to the step summary."""
    diags = report.diagnostics
    errors = sum(1 for d in diags if d.severity is Severity.ERROR)
    warnings = len(diags) - errors
    files = Counter(_file(d) for d in diags)
    lines = ["## sora-lint", ""]
    if not diags:
        lines += [f"No problems found in {report.files_checked} files checked.", ""]
    else:
        lines += [
            f"**{errors} errors, {warnings} warnings** in {len(files)} of "
            f"{report.files_checked} files checked.",
            "",
        ]
    if errors > GITHUB_ANNOTATION_LIMIT or warnings > GITHUB_ANNOTATION_LIMIT:
        lines += [
            f"GitHub shows at most {GITHUB_ANNOTATION_LIMIT} annotations of each kind; "
            "these tables count every finding.",
            "",
        ]
    if diags:
        by_rule: dict[str, Counter[Severity]] = {}
        names: dict[str, str] = {}
        for d in diags:
            by_rule.setdefault(d.code, Counter())[d.severity] += 1
            names.setdefault(d.code, d.name)
        rule_rows = [
            (cell(code), cell(names[code]), str(c[Severity.ERROR]), str(c[Severity.WARNING]))
            for code, c in sorted(by_rule.items())
        ]
        lines += ["### By rule", ""]
        lines += _table(("Rule", "Name", "Errors", "Warnings"), rule_rows)
        folders: Counter[str] = Counter(_folder(d) for d in diags)
        folder_files: Counter[str] = Counter(path.rpartition("/")[0] or "." for path in files)
        folder_rows = [(cell(f), str(folder_files[f]), str(n)) for f, n in sorted(folders.items())]
        lines += ["### By folder", ""]
        lines += _table(("Folder", "Files", "Findings"), folder_rows)
        codes: dict[str, list[str]] = {}
        for d in diags:
            codes.setdefault(_file(d), []).append(d.code)
        top = sorted(files.items(), key=lambda item: (-item[1], item[0]))[:TOP]
        top_rows = [
            (cell(path), str(n), cell(", ".join(dict.fromkeys(codes[path])))) for path, n in top
        ]
        lines += [f"### Top {len(top)} offenders", ""]
        lines += _table(("File", "Findings", "Rules"), top_rows)
        lines += _every_file(files, codes, BUDGET - sum(len(line) + 1 for line in lines))
    lines += [cell(hint) + "  " for hint in report.hints]
    return "\n".join(lines).rstrip() + "\n\n"


def _every_file(files: Counter[str], codes: dict[str, list[str]], budget: int) -> list[str]:
    """A table of every file with a finding, by path, as far as ``budget`` characters go."""
    header = ("File", "Findings", "Rules")
    rows: list[tuple[str, ...]] = []
    for path in sorted(files):
        row = (cell(path), str(files[path]), cell(", ".join(dict.fromkeys(codes[path]))))
        budget -= sum(len(part) + 3 for part in row) + 2
        if budget < 0:
            break
        rows.append(row)
    lines = [f"### Every file ({len(files)})", "", *_table(header, rows)]
    left = len(files) - len(rows)
    if left:
        lines += [
            f"{left} more files are not listed (a step summary holds at most 1 MiB); the "
            "step's log lists every finding.",
            "",
        ]
    return lines


@hookimpl
def sora_lint_run_finished(report: RunReport, settings: Settings) -> None:
    """Append the summary when ``GITHUB_STEP_SUMMARY`` names a file; never raise."""
    target = os.environ.get(ENV)
    if not target:
        return
    try:
        text = render_summary(report)
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(text)
    except Exception as exc:  # noqa: BLE001 - a side output must not fail the run
        print(f"sora-lint: cannot write the step summary {target}: {exc}", file=sys.stderr)
