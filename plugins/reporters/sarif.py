"""The ``sarif`` output: SARIF 2.1.0 as GitHub code scanning ingests it.

Beyond the schema, GitHub needs every rule described (short/full description, help), a region
with ``startLine`` on every result (it drops results on binary files without one), relative
percent-encoded artifact URIs under ``%SRCROOT%`` and stable ``partialFingerprints`` so an alert
keeps its identity from one push to the next.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from sora_lint import __version__
from sora_lint.hookspecs import hookimpl
from sora_lint.output.json_shape import diagnostic_to_dict
from sora_lint.output.paths import relative_path, stable_fingerprints, uri_path
from sora_lint.types import Diagnostic, Reporter, Rule, RunReport, Severity

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
    rel = relative_path(display, root)
    if rel is not None:
        return {"uri": uri_path(rel), "uriBaseId": SRCROOT}
    full = Path(display).absolute().as_posix()
    return {"uri": "file://" + uri_path(full if full.startswith("/") else "/" + full)}


def _physical(display: str, line: int | None, root: Path | None) -> dict[str, Any]:
    return {
        "artifactLocation": artifact_location(display, root),
        "region": {"startLine": line if line is not None and line >= 1 else 1},
    }


def _result(d: Diagnostic, rule_index: int, fingerprint: str, root: Path | None) -> dict[str, Any]:
    extra = {k: v for k, v in diagnostic_to_dict(d).items() if k not in _BASE_KEYS}
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": _level(d.severity),
        "message": {"text": d.message or d.name},
        "locations": [{"physicalLocation": _physical(d.path, d.line, root)}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"soraLint": extra},
    }
    if d.asset is not None and d.asset != d.path:
        result["relatedLocations"] = [
            {
                "id": 1,
                "physicalLocation": _physical(d.asset, None, root),
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
    fingerprints = stable_fingerprints(report.diagnostics, root)
    results = [
        _result(d, index[d.code], fp, root)
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
    base = Path(root if root is not None else Path.cwd()).absolute().as_posix().rstrip("/")
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
    json.dump(build_sarif(report), stream, indent=2)
    stream.write("\n")


@hookimpl
def sora_lint_register_reporters() -> Iterable[Reporter]:
    return [Reporter("sarif", "SARIF 2.1.0 for GitHub code scanning and other viewers", write)]
