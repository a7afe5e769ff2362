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
from sora_lint.output.json_splice import Splicer, write_spliced
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


def spliced(build: Any, indent: bool, same: bool = True) -> bytes:
    """What :func:`write_spliced` writes to a UTF-8 stream (its binary buffer), less the
    final newline; the same through a stream without a buffer (unless the document holds
    the run's random token: ``same`` false)."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    write_spliced(stream, build, indent)
    stream.flush()
    text = io.StringIO()
    write_spliced(text, build, indent)
    assert raw.getvalue() == text.getvalue().encode() or not same
    assert raw.getvalue().endswith(b"\n")
    return raw.getvalue()[:-1]


def _document(splicer: Splicer, level: int, shape: Any, count: int = 1) -> Any:
    template = splicer.template(level, shape)
    objects = [
        template(shared, *values) for _ in range(count) for shared in FINDINGS for values in VALUES
    ]
    document: Any = splicer.array(level, iter(objects))
    for _ in range(level - 1):  # put the array deeper: each step one level, keys around it
        document = {"before": {"a": [1]}, "deeper": document, "after": []}
    return document


@pytest.mark.parametrize("shape", [flat, nested])
@pytest.mark.parametrize("level", [1, 2, 4])
@pytest.mark.parametrize("indent", [True, False])
@pytest.mark.parametrize("count", [0, 1, 50])  # none, under a chunk, several chunks
def test_spliced_objects_are_the_bytes_of_plain_ones(
    shape: Any, level: int, indent: bool, count: int
) -> None:
    written = spliced(lambda splicer: _document(splicer, level, shape, count), indent)
    plain = _document(Splicer(None, indent), level, shape, count)
    assert written == json_bytes(plain, indent)
    options: Any = {"indent": 2} if indent else {"separators": (",", ":")}
    assert written == json.dumps(plain, ensure_ascii=False, **options).encode()


def test_an_array_at_another_depth_than_its_objects_is_written_plain() -> None:
    """Objects made for depth 2 in an array at depth 1 would be indented wrongly: the
    document is then built again of plain values."""

    def build(splicer: Splicer) -> Any:
        return splicer.array(1, [splicer.template(2, flat)(FINDINGS[0], "a.png", 1)])

    assert spliced(build, True) == json_bytes(build(Splicer(None, True)), True)


def test_a_value_that_is_not_a_scalar_is_encoded_whole() -> None:
    """A gap takes a scalar; anything else makes that object's text from scratch, as does
    an element that no template made."""

    def build(splicer: Splicer) -> Any:
        odd = splicer.template(1, flat)(FINDINGS[0], ["a", "list"], {"an": "object"})
        return splicer.array(1, [odd, {"plain": [1, {"x": None}]}])

    assert spliced(build, True) == json_bytes(build(Splicer(None, True)), True)


def test_a_placeholder_in_the_content_does_not_move_the_values() -> None:
    """Were a repository's text to hold this run's placeholder, the template would hold it
    twice: it is then not used, and every object still says what it should."""
    traps: list[Shared] = []

    def build(splicer: Splicer) -> Any:
        traps.append(Shared({"message": f"\x00{splicer.token}:1\x00"}))  # the line's
        template = splicer.template(1, flat)
        return splicer.array(1, [template(traps[-1], "a.png", 1), template(traps[-1], "b.png", 2)])

    text = spliced(build, True, same=False)
    assert len(traps) == 2  # once for each stream
    expected = [flat(traps[0], "a.png", 1), flat(traps[0], "b.png", 2)]  # the first stream
    assert json.loads(text) == expected


def test_the_array_placeholder_in_the_content_is_not_taken_for_the_array() -> None:
    def build(splicer: Splicer) -> Any:
        return {"trap": splicer.placeholder, "items": splicer.array(1, [])}

    document = json.loads(spliced(build, False, same=False))
    assert document["items"] == [] and document["trap"].endswith(":array\x00")


def test_a_shape_that_drops_a_value_is_encoded_whole() -> None:
    def build(splicer: Splicer) -> Any:
        template = splicer.template(1, lambda shared, path, line: {"path": path})
        return splicer.array(1, [template(FINDINGS[0], "a.png", 1)])

    assert json.loads(spliced(build, True)) == [{"path": "a.png"}]


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("indent", [True, False])
def test_what_orjson_refuses_is_written_by_the_standard_library(
    monkeypatch: pytest.MonkeyPatch, fast: bool, indent: bool
) -> None:
    """An undecodable byte of a file name (a lone surrogate) in a gap or in the shared
    members: valid UTF-8 JSON, the object written by the standard library at its place."""
    monkeypatch.setattr(json_document, "FAST", fast)
    odd = Shared({"message": "bad\udcfe.png"})

    def build(splicer: Splicer) -> Any:
        template = splicer.template(1, flat)
        objects = [template(FINDINGS[0], "bad\udcff.png", 1), template(odd, "ok.png", 2),
                   template(FINDINGS[0], "fine.png", 3)]  # fmt: skip
        return splicer.array(1, objects)

    text = spliced(build, indent)
    assert json.loads(text.decode("utf-8")) == [
        flat(FINDINGS[0], "bad\udcff.png", 1), flat(odd, "ok.png", 2),
        flat(FINDINGS[0], "fine.png", 3),
    ]  # fmt: skip


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
    monkeypatch.setattr(Splicer, "template", lambda self, level, shape: shape)
    plain = io.StringIO()
    reporter.write(report, plain)
    assert spliced.getvalue() == plain.getvalue()
    assert "elsewhere" in plain.getvalue() and "jobs.json" in plain.getvalue()
