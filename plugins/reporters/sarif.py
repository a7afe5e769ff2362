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
from sora_lint.output.json_shape import Shapes
from sora_lint.output.json_splice import Splicer, write_spliced
from sora_lint.output.paths import ReportPaths, uri_path
from sora_lint.types import Diagnostic, Reporter, Rule, RunReport, Severity

from .json_array import shapes_for

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "soraLint/v1"
_BASE_KEYS = ("path", "code", "name", "severity", "message")


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


class _Finding:
    """A distinct finding's parts of a result: the members before the location and the
    properties (hashable by identity: a template's key)."""

    __slots__ = ("head", "properties")

    def __init__(self, head: dict[str, Any], properties: dict[str, Any]) -> None:
        self.head = head
        self.properties = properties


def _artifact(uri: str, base: str | None) -> dict[str, Any]:
    return {"uri": uri, "uriBaseId": base} if base is not None else {"uri": uri}


def _physical(uri: str, line: int, base: str | None) -> dict[str, Any]:
    return {"artifactLocation": _artifact(uri, base), "region": {"startLine": line}}


def _result(
    finding: _Finding, uri: str, line: int, fingerprint: str, base: str | None = SRCROOT
) -> dict[str, Any]:
    return {
        **finding.head,
        "locations": [{"physicalLocation": _physical(uri, line, base)}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": finding.properties,
    }


def _result_on_line_one(finding: _Finding, uri: str, fingerprint: str) -> dict[str, Any]:
    return _result(finding, uri, 1, fingerprint)


def _related_result(
    finding: _Finding,
    uri: str,
    line: int,
    fingerprint: str,
    asset_uri: str,
    base: str | None = SRCROOT,
    asset_base: str | None = SRCROOT,
) -> dict[str, Any]:
    result = _result(finding, uri, line, fingerprint, base)
    result["relatedLocations"] = [
        {
            "id": 1,
            "physicalLocation": _physical(asset_uri, 1, asset_base),
            "message": {"text": "the image this line refers to"},
        }
    ]
    return result


class _Results:
    """One run's results: each path's URI and each distinct finding's parts worked out once
    (a report names thousands of files and a few hundred distinct findings), each result
    filled in from a template (see :mod:`~sora_lint.output.json_splice`)."""

    def __init__(self, paths: ReportPaths, shapes: Shapes, splicer: Splicer) -> None:
        self.paths = paths
        self.shapes = shapes
        self._uris: dict[str, tuple[str, str | None]] = {}
        #: By the finding's values (those hashed slowly by identity; the diagnostics, alive
        #: while the report is written, keep them).
        self._findings: dict[tuple[object, ...], _Finding] = {}
        self._result = splicer.template(4, _result)
        self._on_line_one = splicer.template(4, _result_on_line_one)  # every image's result
        self._related = splicer.template(4, _related_result)

    def uri(self, display: str) -> tuple[str, str | None]:
        """The artifact URI of a path, and its base (``%SRCROOT%``, or none for a file URI
        outside the root)."""
        found = self._uris.get(display)
        if found is None:
            rel = self.paths.relative(display)
            if rel is not None:
                found = (uri_path(rel), SRCROOT)
            else:
                full = Path(display).absolute().as_posix()
                found = ("file://" + uri_path(full if full.startswith("/") else "/" + full), None)
            self._uris[display] = found
        return found

    def _finding(self, d: Diagnostic, rule_index: int) -> _Finding:
        """The finding's first members and its properties (the finding's JSON object but the
        keys the result states itself), built once per distinct finding."""
        key = (d.code, d.message, d.line, d.asset, id(d.size), id(d.target), id(d.fixes),
               d.name, id(d.severity))  # fmt: skip
        found = self._findings.get(key)
        if found is None:
            members = self.shapes.members(d)
            head = {
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": _level(d.severity),
                "message": {"text": d.message or d.name},
            }
            extra = {k: v for k, v in members.value.items() if k not in _BASE_KEYS}
            found = self._findings[key] = _Finding(head, {"soraLint": extra})
        return found

    def result(self, d: Diagnostic, rule_index: int, fingerprint: str) -> Any:
        finding = self._finding(d, rule_index)
        rel = self.paths.relative(d.path)  # a path is mostly one result's: not kept
        uri, base = (uri_path(rel), SRCROOT) if rel is not None else self.uri(d.path)
        line = d.line if d.line is not None and d.line >= 1 else 1
        # The templates place paths under %SRCROOT%; a path outside the root (an absolute
        # file URI, no base) makes a plain object, whose keys differ.
        if d.asset is None or d.asset == d.path:
            if base is None:
                return _result(finding, uri, line, fingerprint, base)
            if line == 1:
                return self._on_line_one(finding, uri, fingerprint)
            return self._result(finding, uri, line, fingerprint)
        asset_uri, asset_base = self.uri(d.asset)
        if base is None or asset_base is None:
            return _related_result(finding, uri, line, fingerprint, asset_uri, base, asset_base)
        return self._related(finding, uri, line, fingerprint, asset_uri)


def build_sarif(
    report: RunReport, root: Path | None = None, splicer: Splicer | None = None
) -> dict[str, Any]:
    """The SARIF log for one run; ``root`` is the source root (default: working directory).
    Its results are plain dicts unless a ``splicer`` of :func:`write_spliced` builds them."""
    rules: list[dict[str, Any]] = [rule_descriptor(r) for _, r in sorted(report.rules.items())]
    index = {descriptor["id"]: i for i, descriptor in enumerate(rules)}
    for d in report.diagnostics:
        if d.code not in index:
            index[d.code] = len(rules)
            rules.append(_unknown_rule(d))
    paths = ReportPaths(root)
    splicer = Splicer(None, True) if splicer is None else splicer
    built = _Results(paths, shapes_for(report), splicer)
    fingerprints = paths.fingerprints(report.diagnostics)
    results = (built.result(d, index[d.code], fp)
               for d, fp in zip(report.diagnostics, fingerprints, strict=True))  # fmt: skip
    driver: dict[str, Any] = {
        "name": "sora-lint",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": rules,
    }
    base = Path(paths.base).as_posix().rstrip("/")
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"uri": "file://" + uri_path(base + "/")}},
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        # A result sits in "runs" (1), its run (2) and "results" (3): its brace at depth 4.
        "results": splicer.array(4, results),
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(report: RunReport, stream: TextIO) -> None:
    """Render ``report`` as one SARIF document."""
    write_spliced(stream, lambda splicer: build_sarif(report, splicer=splicer), indent=True)


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [Reporter("sarif", "SARIF 2.1.0 for GitHub code scanning and other viewers", write)]
