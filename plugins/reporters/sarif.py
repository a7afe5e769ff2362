"""The ``sarif`` output: SARIF 2.1.0 as GitHub code scanning ingests it.

Beyond the schema, GitHub needs every rule described (short/full description, help), a region
with ``startLine`` on every result (it drops results on binary files without one), relative
percent-encoded artifact URIs under ``%SRCROOT%`` and stable ``partialFingerprints`` so an alert
keeps its identity from one push to the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from sora_lint import __version__
from sora_lint.hookspecs import hookimpl
from sora_lint.output.json_document import write_json
from sora_lint.output.json_shape import Shapes
from sora_lint.output.paths import ReportPaths, uri_path
from sora_lint.types import Diagnostic, Reporter, Rule, RunReport, Severity

from .json_array import shapes_for

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "soraLint/v1"
_BASE_KEYS = ("path", "code", "name", "severity", "message")


def information_uri() -> str | None:
    """The project's home page from the installed package metadata, if it declares one."""
    from importlib import metadata  # only when a SARIF report is written: it costs start-up

    try:
        urls: list[str] = metadata.metadata("sora-lint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "repository", "source", "documentation"):
            return str(url).strip()
    return None


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _first_paragraph(doc: str) -> str:
    """The first prose paragraph of a Markdown doc (headings skipped)."""
    for block in doc.strip().split("\n\n"):
        text = " ".join(line.strip() for line in block.splitlines() if line.strip())
        if text and not text.startswith("#"):
            return text
    return ""


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """One ``reportingDescriptor`` with everything GitHub shows about a rule."""
    summary = rule.summary or rule.name
    doc = rule.doc.strip() or summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _first_paragraph(doc) or summary},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _level(rule.severity)},
        "properties": {"tags": ["sora-lint", rule.severity.value]},
    }


def _unknown_rule(d: Diagnostic) -> dict[str, Any]:
    """A descriptor for a code that no registered rule declares (kept so ruleIndex is valid)."""
    return {
        "id": d.code,
        "name": d.name,
        "shortDescription": {"text": d.name},
        "fullDescription": {"text": d.name},
        "help": {"text": d.name, "markdown": d.name},
        "defaultConfiguration": {"level": _level(d.severity)},
    }


def artifact_location(display: str, root: Path | None) -> dict[str, Any]:
    """A relative percent-encoded URI under ``%SRCROOT%``; an absolute file URI otherwise."""
    return _Results(ReportPaths(root), Shapes()).location(display)


class _Results:
    """One run's results: each path's location and each distinct finding's properties worked
    out once (a report names thousands of files and a few hundred distinct findings)."""

    def __init__(self, paths: ReportPaths, shapes: Shapes) -> None:
        self.paths = paths
        self.shapes = shapes
        self._locations: dict[str, dict[str, Any]] = {}
        self._shared_parts: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}

    def location(self, display: str) -> dict[str, Any]:
        found = self._locations.get(display)
        if found is None:
            rel = self.paths.relative(display)
            if rel is not None:
                found = {"uri": uri_path(rel), "uriBaseId": SRCROOT}
            else:
                full = Path(display).absolute().as_posix()
                found = {"uri": "file://" + uri_path(full if full.startswith("/") else "/" + full)}
            self._locations[display] = found
        return found

    def physical(self, display: str, line: int | None) -> dict[str, Any]:
        return {
            "artifactLocation": self.location(display),
            "region": {"startLine": line if line is not None and line >= 1 else 1},
        }

    def _shared(self, d: Diagnostic, rule_index: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """The finding's first keys and its properties (the finding's JSON object but the keys
        the result states itself), built once per distinct finding."""
        finding = self.shapes.finding(d)  # kept alive by the shapes: its id is a safe key
        found = self._shared_parts.get(id(finding))
        if found is None:
            head = {
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": _level(d.severity),
                "message": {"text": d.message or d.name},
            }
            extra = {k: v for k, v in finding.items() if k not in _BASE_KEYS}
            found = self._shared_parts[id(finding)] = (head, {"soraLint": extra})
        return found

    def result(self, d: Diagnostic, rule_index: int, fingerprint: str) -> dict[str, Any]:
        head, properties = self._shared(d, rule_index)
        result: dict[str, Any] = {
            **head,
            "locations": [{"physicalLocation": self.physical(d.path, d.line)}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            "properties": properties,
        }
        if d.asset is not None and d.asset != d.path:
            result["relatedLocations"] = [
                {
                    "id": 1,
                    "physicalLocation": self.physical(d.asset, None),
                    "message": {"text": "the image this line refers to"},
                }
            ]
        return result


def build_sarif(report: RunReport, root: Path | None = None) -> dict[str, Any]:
    """The SARIF log for one run; ``root`` is the source root (default: working directory)."""
    rules: list[dict[str, Any]] = [rule_descriptor(r) for _, r in sorted(report.rules.items())]
    index = {descriptor["id"]: i for i, descriptor in enumerate(rules)}
    for d in report.diagnostics:
        if d.code not in index:
            index[d.code] = len(rules)
            rules.append(_unknown_rule(d))
    paths = ReportPaths(root)
    built = _Results(paths, shapes_for(report))
    fingerprints = paths.fingerprints(report.diagnostics)
    results = [
        built.result(d, index[d.code], fp)
        for d, fp in zip(report.diagnostics, fingerprints, strict=True)
    ]
    driver: dict[str, Any] = {
        "name": "sora-lint",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": rules,
    }
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    base = Path(paths.base).as_posix().rstrip("/")
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"uri": "file://" + uri_path(base + "/")}},
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(report: RunReport, stream: TextIO) -> None:
    """Render ``report`` as one SARIF document."""
    write_json(stream, build_sarif(report), indent=True)


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [Reporter("sarif", "SARIF 2.1.0 for GitHub code scanning and other viewers", write)]
