"""Objects filled in from templates: the same bytes as encoding plain dicts, at every depth,
compact or indented, and whole-object encoding whenever a template cannot be trusted."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest

from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.output import json_document
from sora_lint.output.json_document import json_bytes
from sora_lint.output.json_splice import Splicer, Template, spliced_json
from sora_lint.types import Diagnostic, RunReport, Severity, Size
from tests.reporters.html_support import build_report

orjson = pytest.importorskip("orjson")


class Shared:
    """A finding's shared members (hashable by identity, as the reporters' are)."""

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value


def flat(shared: Shared, path: Any, line: Any) -> dict[str, Any]:
    return {"path": path, **shared.value, "line": line}


def nested(shared: Shared, uri: Any, fingerprint: Any) -> dict[str, Any]:
    """Gaps deep inside lists and objects, in another order than the values."""
    return {
        "head": shared.value,
        "locations": [{"where": {"fingerprint": fingerprint, "uri": uri}}],
        "empty": {},
        "none": [],
    }


FINDINGS = [
    Shared({"code": "SL001", "fixes": [{"box": [1, 2, 3, 4], "none": {}}, {"c": []}]}),
    Shared({"message": '90° turn\n\x00\u2028 "quoted" \\ back', "size": "1x1"}),
    Shared({}),
]
VALUES: list[tuple[Any, Any]] = [
    ("a.png", 1), ("ünï/日本.png", 12), ('t"ab\there', None), ("", True), ("x", 2**40),
]  # fmt: skip


def _document(splicer: Splicer, level: int, shape: Any) -> Any:
    template = splicer.template(level, shape)
    objects = [template(shared, *values) for shared in FINDINGS for values in VALUES]
    document: Any = objects
    for _ in range(level - 1):  # put the list deeper: each step one level
        document = {"deeper": document}
    return document


@pytest.mark.parametrize("shape", [flat, nested])
@pytest.mark.parametrize("level", [1, 2, 4])
@pytest.mark.parametrize("indent", [True, False])
def test_spliced_objects_are_the_bytes_of_plain_ones(shape: Any, level: int, indent: bool) -> None:
    spliced = spliced_json(lambda splicer: _document(splicer, level, shape), indent)
    plain = json_bytes(_document(Splicer(None, indent), level, shape), indent)
    assert spliced == plain
    assert (
        plain
        == json.dumps(
            _document(Splicer(None, indent), level, shape),
            ensure_ascii=False,
            **({"indent": 2} if indent else {"separators": (",", ":")}),  # type: ignore[arg-type]
        ).encode()
    )


def test_a_value_that_is_not_a_scalar_is_encoded_whole() -> None:
    """A gap takes a scalar; anything else makes that object's text from scratch."""

    def build(splicer: Splicer) -> list[Any]:
        odd = splicer.template(1, flat)(FINDINGS[0], ["a", "list"], {"an": "object"})
        return [*_document(splicer, 1, flat), odd]

    assert spliced_json(build, True) == json_bytes(build(Splicer(None, True)), True)


def test_a_placeholder_in_the_content_does_not_move_the_values() -> None:
    """Were a repository's text to hold this run's placeholder, the template would hold it
    twice: it is then not used, and every object still says what it should."""
    traps: list[Shared] = []

    def build(splicer: Splicer) -> list[Any]:
        traps.append(Shared({"message": f"\x00{splicer.token}:1\x00"}))  # the line's
        template = splicer.template(1, flat)
        return [template(traps[-1], "a.png", 1), template(traps[-1], "b.png", 2)]

    text = spliced_json(build, True)
    assert len(traps) == 1
    expected = [flat(traps[0], "a.png", 1), flat(traps[0], "b.png", 2)]
    assert text == json_bytes(expected, True)


def test_a_shape_that_drops_a_value_is_encoded_whole() -> None:
    def build(splicer: Splicer) -> list[Any]:
        template = splicer.template(1, lambda shared, path, line: {"path": path})
        return [template(FINDINGS[0], "a.png", 1)]

    assert json.loads(spliced_json(build, True)) == [{"path": "a.png"}]


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("indent", [True, False])
def test_what_orjson_refuses_is_built_again_for_the_standard_library(
    monkeypatch: pytest.MonkeyPatch, fast: bool, indent: bool
) -> None:
    """An undecodable byte of a file name (a lone surrogate) in a gap: valid UTF-8 JSON."""
    monkeypatch.setattr(json_document, "FAST", fast)
    built: list[bool] = []

    def build(splicer: Splicer) -> list[Any]:
        built.append(splicer.orjson is not None)
        return [splicer.template(1, flat)(FINDINGS[0], "bad\udcff.png", 1)]

    text = spliced_json(build, indent)
    assert json.loads(text.decode("utf-8")) == [flat(FINDINGS[0], "bad\udcff.png", 1)]
    assert built == ([True, False] if fast else [False])


def _report(folder: Path) -> RunReport:
    """The HTML tests' report (hostile names, fixes), with a job-file line naming its image
    and a path outside the root: the objects the templates do not cover."""
    report = build_report(folder)
    size = Size(10, 10)
    job = Diagnostic("SL012", "job", Severity.ERROR, "bad job", "jobs.json", line=3,
                     asset="art/wide.jpg", size=size, target=size)  # fmt: skip
    outside = dataclasses.replace(report.diagnostics[0], path="../elsewhere/x.png")
    return dataclasses.replace(report, diagnostics=(*report.diagnostics, job, outside))


@pytest.mark.parametrize("name", ["json", "json-lines", "sarif", "gitlab"])
def test_each_report_writes_what_plain_objects_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    report = _report(tmp_path)
    reporter = PluginHost(build_plugin_manager()).reporters[name]
    spliced = io.StringIO()
    reporter.write(report, spliced)
    monkeypatch.setattr(Template, "__call__", lambda self, shared, *values: self.shape(
        shared, *values))  # fmt: skip
    plain = io.StringIO()
    reporter.write(report, plain)
    assert spliced.getvalue() == plain.getvalue()
    assert "elsewhere" in plain.getvalue() and "jobs.json" in plain.getvalue()
