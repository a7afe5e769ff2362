"""How the JSON reports are encoded and written: orjson, the standard library fallback, and
the paths and fingerprints every report shares."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from sora_lint.output import json_document
from sora_lint.output.json_document import json_bytes, write_json, write_json_lines
from sora_lint.output.paths import ReportPaths, relative_path, uri_path

DOCUMENT: list[Any] = [
    {"path": "ünï/日本.png", "fixes": [], "crop_bounds": {"left_fraction": 0.048035, "top": 0.0},
     "line": 3, "flag": True, "none": None, "empty": {}, "nested": [[1, 2], {"a": []}]},
    {"path": "tab\there \"quoted\" \\ back", "message": "90° turn\n\x00\x1f\u2028"},
]  # fmt: skip


def test_orjson_writes_what_the_standard_library_wrote() -> None:
    """The json format's bytes are those of ``json.dumps(indent=2, ensure_ascii=False)``."""
    pytest.importorskip("orjson")
    expected = json.dumps(DOCUMENT, indent=2, ensure_ascii=False).encode()
    assert json_bytes(DOCUMENT, indent=True) == expected
    assert json_bytes(DOCUMENT) == json.dumps(DOCUMENT, separators=(",", ":"),
                                              ensure_ascii=False).encode()  # fmt: skip


@pytest.mark.parametrize("indent", [False, True])
def test_without_orjson_the_standard_library_writes_compact_json(
    monkeypatch: pytest.MonkeyPatch, indent: bool
) -> None:
    monkeypatch.setattr(json_document, "FAST", False)
    data = json_bytes(DOCUMENT, indent=indent)
    assert b"\n" not in data and data.isascii()  # compact, non-ASCII escaped
    assert json.loads(data) == DOCUMENT


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("indent", [False, True])
def test_lone_surrogates_and_huge_numbers_are_escaped_not_refused(
    monkeypatch: pytest.MonkeyPatch, fast: bool, indent: bool
) -> None:
    """An undecodable byte of a file name (a lone surrogate) and an integer past 64 bits
    make orjson refuse the document; the standard library writes it, valid UTF-8."""
    monkeypatch.setattr(json_document, "FAST", fast)
    value = [{"path": "bad\udcff.png", "n": 2**70, "name": "café"}]
    data = json_bytes(value, indent=indent)
    data.decode("utf-8")
    assert json.loads(data) == value
    assert (b"\n" in data) == (indent and fast)


def test_documents_go_to_the_binary_buffer_of_a_utf8_stream(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write("before ")  # buffered text is flushed first: order kept
        write_json(stream, DOCUMENT, indent=True)
        write_json_lines(stream, DOCUMENT)
        write_json_lines(stream, [])
        stream.write("after\n")
    text = path.read_text("utf-8")
    first, rest = text.split(" ", 1)
    assert first == "before"
    document = json_bytes(DOCUMENT, indent=True).decode()
    assert rest.startswith(document + "\n")
    lines = rest[len(document) + 1 :].splitlines()
    assert [json.loads(line) for line in lines[:-1]] == DOCUMENT and lines[-1] == "after"


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_other_streams_get_text(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "report.json"
    with path.open("w", encoding=encoding) as stream:
        write_json(stream, DOCUMENT[:1] if encoding == "utf-16" else [{"a": "é"}])
    assert json.loads(path.read_text(encoding))
    memory = io.StringIO()
    write_json(memory, DOCUMENT)
    assert json.loads(memory.getvalue()) == DOCUMENT


def _pathlib_relative(display: str, root: Path | None) -> str | None:
    """The reference: what reports computed with pathlib before."""
    cwd = Path.cwd()
    base = Path(os.path.normpath(cwd / root)) if root is not None else cwd
    full = Path(os.path.normpath(cwd / display))
    try:
        rel = full.relative_to(base)
    except ValueError:
        return None
    text = rel.as_posix()
    return None if text in ("", ".") else text


DISPLAYS = [
    "a.png", "sub/a b.png", "./sub/a.png", "sub/../a.png", "../outside.png", "sub//x.png",
    ".hidden/a.png", "sub/.a.png", "sub/", ".", "ünï/日本.png", "bad\udcff.png",
    "deep/er/and/deeper/x.webp", "..", "a/./b.png",
]  # fmt: skip


@pytest.mark.parametrize("root", [None, Path("sub"), Path("."), Path("..")])
def test_report_paths_agree_with_pathlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: Path | None
) -> None:
    monkeypatch.chdir(tmp_path)
    displays = [*DISPLAYS, str(tmp_path / "abs.png"), str(tmp_path.parent / "x.png"), "/etc/x"]
    paths = ReportPaths(root)
    for display in displays:
        expected = _pathlib_relative(display, root)
        assert paths.relative(display) == expected, display
        assert paths.relative(display) == expected, display  # the remembered answer too
        assert relative_path(display, root) == expected


@pytest.mark.parametrize(
    ("posix", "uri"),
    [
        ("plain/a-b_c.d~e.png", "plain/a-b_c.d~e.png"),
        ("with space.png", "with%20space.png"),
        ("per%cent?#.png", "per%25cent%3F%23.png"),
        ("ü.png", "%C3%BC.png"),
        ("bad\udcff.png", "bad%FF.png"),
    ],
)
def test_uri_path(posix: str, uri: str) -> None:
    assert uri_path(posix) == uri
    assert PurePosixPath(posix).as_posix() == posix
