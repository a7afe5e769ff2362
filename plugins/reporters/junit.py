"""The ``junit`` output: JUnit XML, one test case per offending asset, for CI test tabs.

Jenkins, GitLab and Azure show JUnit reports natively; an asset with errors is a failed case,
one with warnings only passes and lists them in ``system-out``. Files without findings are one
passing case, so a clean run is still a report with a test in it (some CI fails on none).

The document is written as text, escaped as ElementTree escapes it, in the layout
``ElementTree.indent`` gives: building and indenting a tree of thousands of cases cost more
than checking the files did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from sora_lint.hookspecs import hookimpl
from sora_lint.output.escape import safe_text
from sora_lint.output.paths import ReportPaths
from sora_lint.types import Diagnostic, Reporter, RunReport, Severity

SUITE = "sora-lint"


def group_by_asset(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    """Diagnostics keyed by the image they concern (a job-file line counts for its image)."""
    groups: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault(d.asset or d.path, []).append(d)
    return dict(sorted(groups.items()))


_CDATA_SPECIAL = re.compile("[&<>]")
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t]')


def _cdata(text: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    if _CDATA_SPECIAL.search(text) is None:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it (line ends as entities)."""
    if _ATTR_SPECIAL.search(text) is None:
        return text
    text = _cdata(text).replace('"', "&quot;")
    return text.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


class _Cases:
    """The ``<testcase>`` elements of one run. What files share is escaped once: each
    finding's line after its path (code, name, message), each folder's class name, each
    set of failing codes. Both escapes work character by character, so escaping the parts
    gives what escaping the whole gives."""

    def __init__(self, paths: ReportPaths) -> None:
        self.paths = paths
        self._tails: dict[tuple[str, str, str], str] = {}
        self._classnames: dict[str, str] = {}
        self._failures: dict[tuple[tuple[str, str], ...], str] = {}

    def line(self, d: Diagnostic) -> str:
        """``path:line: CODE [name] message`` as character data."""
        key = (d.code, d.name, d.message)
        tail = self._tails.get(key)
        if tail is None:
            tail = self._tails[key] = _cdata(safe_text(f": {d.code} [{d.name}] {d.message}"))
        where = f"{d.path}:{d.line}" if d.line is not None else d.path
        return _cdata(safe_text(where)) + tail

    def classname(self, asset: str) -> str:
        """``sora-lint.<folder>``, the folder relative to the root, as an attribute."""
        rel = self.paths.relative(asset) or asset
        folder = rel.rpartition("/")[0]
        found = self._classnames.get(folder)
        if found is None:
            found = _attr(safe_text(f"{SUITE}.{folder}" if folder else SUITE))
            self._classnames[folder] = found
        return found

    def failure_tag(self, errors: list[Diagnostic]) -> str:
        """The opening ``<failure>`` tag naming the failing codes, each once."""
        key = tuple([(d.code, d.name) for d in errors])
        found = self._failures.get(key)
        if found is None:
            codes = ", ".join(dict.fromkeys(f"{code} {name}" for code, name in key))
            found = f'      <failure message="{_attr(safe_text(codes))}" type="{_attr(key[0][0])}">'
            self._failures[key] = found
        return found

    def case(self, asset: str, diagnostics: list[Diagnostic]) -> tuple[str, bool]:
        """One ``<testcase>`` element, and whether it failed."""
        lines = [f'    <testcase name="{_attr(safe_text(asset))}" '
                 f'classname="{self.classname(asset)}" time="0">']  # fmt: skip
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        if errors:
            text = "\n".join([self.line(d) for d in errors])
            lines.append(f"{self.failure_tag(errors)}{text}</failure>")
        if len(errors) < len(diagnostics):
            warnings = [d for d in diagnostics if d.severity is not Severity.ERROR]
            text = "\n".join([f"warning: {self.line(d)}" for d in warnings])
            lines.append(f"      <system-out>{text}</system-out>")
        lines.append("    </testcase>")
        return "\n".join(lines), bool(errors)


def junit_text(report: RunReport) -> str:
    """The JUnit XML document of one run."""
    groups = group_by_asset(report.diagnostics)
    case = _Cases(ReportPaths()).case
    cases = [case(asset, diags) for asset, diags in groups.items()]
    clean = max(report.files_checked - len(groups), 0)
    if clean or not cases:
        name = _attr(f"{clean} files without findings")
        cases.append((f'    <testcase name="{name}" classname="{SUITE}" time="0" />', False))
    failures = sum(1 for _, failed in cases if failed)
    counts = f'tests="{len(cases)}" failures="{failures}" errors="0" skipped="0"'
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="{SUITE}" {counts}>',
        f'  <testsuite name="{SUITE}" time="0" {counts}>',
        "    <properties>",
        f'      <property name="files_checked" value="{report.files_checked}" />',
        "    </properties>",
        *(text for text, _ in cases),
        "  </testsuite>",
        "</testsuites>",
    ])  # fmt: skip


def write(report: RunReport, stream: TextIO) -> None:
    """Render ``report`` as a JUnit XML document."""
    stream.write(junit_text(report))
    stream.write("\n")


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [Reporter("junit", "JUnit XML, one test case per asset", write)]
