"""The ``junit`` output: JUnit XML, one test case per offending asset, for CI test tabs.

Jenkins, GitLab and Azure show JUnit reports natively; an asset with errors is a failed case,
one with warnings only passes and lists them in ``system-out``. Files without findings are one
passing case, so a clean run is still a report with a test in it (some CI fails on none).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from sora_lint.hookspecs import hookimpl
from sora_lint.output.escape import safe_text
from sora_lint.output.paths import relative_path
from sora_lint.types import Diagnostic, Reporter, RunReport, Severity

if TYPE_CHECKING:  # imported where a report is written: ElementTree costs start-up
    import xml.etree.ElementTree as ET

SUITE = "sora-lint"


def group_by_asset(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    """Diagnostics keyed by the image they concern (a job-file line counts for its image)."""
    groups: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault(d.asset or d.path, []).append(d)
    return dict(sorted(groups.items()))


def _line(d: Diagnostic) -> str:
    where = f"{d.path}:{d.line}" if d.line is not None else d.path
    return safe_text(f"{where}: {d.code} [{d.name}] {d.message}")


def _classname(asset: str) -> str:
    rel = relative_path(asset) or asset
    folder = rel.rpartition("/")[0]
    return safe_text(f"{SUITE}.{folder}" if folder else SUITE)


def _case(asset: str, diagnostics: list[Diagnostic]) -> ET.Element:
    import xml.etree.ElementTree as ET

    case = ET.Element("testcase", name=safe_text(asset), classname=_classname(asset), time="0")
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    warnings = [d for d in diagnostics if d.severity is not Severity.ERROR]
    if errors:
        codes = ", ".join(dict.fromkeys(f"{d.code} {d.name}" for d in errors))
        failure = ET.SubElement(case, "failure", message=safe_text(codes), type=errors[0].code)
        failure.text = "\n".join(_line(d) for d in errors)
    if warnings:
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(f"warning: {_line(d)}" for d in warnings)
    return case


def build_junit(report: RunReport) -> ET.Element:
    """The ``<testsuites>`` tree for one run."""
    import xml.etree.ElementTree as ET

    groups = group_by_asset(report.diagnostics)
    cases = [_case(asset, diags) for asset, diags in groups.items()]
    clean = max(report.files_checked - len(groups), 0)
    if clean or not cases:
        cases.append(
            ET.Element(
                "testcase", name=f"{clean} files without findings", classname=SUITE, time="0"
            )
        )
    failures = sum(1 for case in cases if case.find("failure") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, "time": "0", **counts})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="files_checked", value=str(report.files_checked))
    suite.extend(cases)
    return root


def write(report: RunReport, stream: TextIO) -> None:
    """Render ``report`` as a JUnit XML document."""
    import xml.etree.ElementTree as ET

    tree = ET.ElementTree(build_junit(report))
    ET.indent(tree)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    tree.write(stream, encoding="unicode")
    stream.write("\n")


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [Reporter("junit", "JUnit XML, one test case per asset", write)]
