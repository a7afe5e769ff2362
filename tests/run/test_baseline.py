"""The baseline: record today's violations, then fail only on new ones (or changed files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from sora_lint.errors import ConfigError, UsageError
from sora_lint.run.baseline import baseline_report, prune_baseline, write_baseline
from sora_lint.run.baseline_file import baseline_path, load_baseline
from sora_lint.run.baseline_match import apply_baseline
from sora_lint.types import Asset, Diagnostic, RunReport, Settings, Severity, Size


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _image(name: str, size: tuple[int, int] = (64, 48), color: str = "red") -> str:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)
    return name


def _d(
    path: str, code: str = "SL001", line: int | None = None, asset: str | None = None
) -> Diagnostic:
    return Diagnostic(
        code, code.lower(), Severity.ERROR, "m", path, line, asset, target=Size(1280, 720)
    )


def _settings(baseline: str | None = "base.json", **extra: Any) -> Settings:
    return Settings({"baseline": baseline, "root": ".", "cli-keys": ("baseline",), **extra})


def _apply(
    diags: list[Diagnostic], checked: list[str] | None = None
) -> tuple[list[str], int, list[str]]:
    outcome = apply_baseline(diags, _settings(), Path("."), checked)
    return (
        [f"{d.path}:{d.code}" for d in outcome.kept],
        outcome.suppressed_count,
        [f"{e.path}:{e.code}" for e in outcome.stale_entries],
    )


def test_recorded_violations_are_hidden_and_a_new_one_is_caught() -> None:
    old = [_d(_image("a.png")), _d(_image("dir/b c.png")), _d("dir/b c.png", "SL009")]
    assert write_baseline(old, Path("base.json"), Path(".")) == 3
    assert _apply(old) == ([], 3, [])
    new = _d(_image("new.png", color="blue"))
    assert _apply([*old, new]) == (["new.png:SL001"], 3, [])


def test_a_changed_file_is_reported_again_and_its_entry_is_stale() -> None:
    old = [_d(_image("a.png")), _d(_image("b.png"))]
    write_baseline(old, Path("base.json"), Path("."))
    _image("a.png", size=(65, 48))  # same name, new content
    assert _apply(old) == (["a.png:SL001"], 1, ["a.png:SL001"])


@pytest.mark.parametrize(
    ("checked", "delete", "stale"),
    [
        (None, False, ["b.png:SL001"]),  # whole baseline in scope: the fixed one is stale
        (["a.png", "b.png"], False, ["b.png:SL001"]),
        (["a.png"], False, []),  # b.png was not checked this run (pre-commit, a subfolder)
        (["a.png"], True, ["b.png:SL001"]),  # ... unless it is gone
    ],
)
def test_stale_entries_respect_the_scope(
    checked: list[str] | None, delete: bool, stale: list[str]
) -> None:
    a, b = _d(_image("a.png")), _d(_image("b.png", color="blue"))
    write_baseline([a, b], Path("base.json"), Path("."))
    if delete:
        Path("b.png").unlink()
    assert _apply([a], checked) == ([], 1, stale)


def test_counts_hide_only_as_many_as_recorded() -> None:
    d = _d(_image("a.png"))
    write_baseline([d], Path("base.json"), Path("."))
    assert _apply([d, d]) == (["a.png:SL001"], 1, [])


def test_job_file_lines_match_whatever_their_line_number() -> None:
    Path("jobs.toml").write_text("[[job]]\nimage = 'a.png'\n", encoding="utf-8")
    _image("a.png")
    write_baseline([_d("jobs.toml", "SL003", line=2, asset="a.png")], Path("base.json"), Path("."))
    moved = _d("jobs.toml", "SL003", line=9, asset="a.png")
    assert _apply([moved]) == ([], 1, [])
    _image("a.png", size=(10, 10))  # the image it names changed: reported again
    assert _apply([moved])[0] == ["jobs.toml:SL003"]


def test_file_is_sorted_versioned_and_stable() -> None:
    diags = [_d(_image(n)) for n in ("z.png", "a.png", "m/ü.png")]
    write_baseline(diags, Path("one.json"), Path("."))
    write_baseline(list(reversed(diags)), Path("two.json"), Path("."))
    assert Path("one.json").read_bytes() == Path("two.json").read_bytes()
    document = json.loads(Path("one.json").read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert [e["path"] for e in document["entries"]] == ["a.png", "m/ü.png", "z.png"]
    assert all(len(e["sha256"]) == 64 for e in document["entries"])
    assert Path("one.json").read_text(encoding="utf-8").endswith("}\n")


def test_prune_removes_only_stale_entries() -> None:
    a, b = _d(_image("a.png")), _d(_image("b.png", color="blue"))
    write_baseline([a, b], Path("base.json"), Path("."))
    outcome = apply_baseline([a], _settings(), Path("."))
    assert prune_baseline(Path("base.json"), outcome.stale_entries) == 1
    assert [e.path for e in load_baseline(Path("base.json"))] == ["a.png"]
    assert _apply([a]) == ([], 1, [])


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (None, UsageError),
        ("not json", ConfigError),
        ('{"version": 99, "entries": []}', ConfigError),
        ('{"version": 1, "entries": [{"path": "a"}]}', ConfigError),
        (
            '{"version": 1, "entries": [{"path": "a", "code": "X", "sha256": "", "count": 0}]}',
            ConfigError,
        ),
    ],
)
def test_bad_baseline_file_is_an_error_naming_it(
    content: str | None, error: type[Exception]
) -> None:
    if content is not None:
        Path("base.json").write_text(content, encoding="utf-8")
    with pytest.raises(error, match=r"base\.json"):
        apply_baseline([], _settings(), Path("."))


def test_no_baseline_keeps_everything() -> None:
    d = _d("a.png")
    outcome = apply_baseline([d], _settings(None), Path("."))
    assert outcome.kept == (d,) and outcome.suppressed_count == 0


@pytest.mark.parametrize(
    ("cli_keys", "expected"),
    [(("baseline",), "b.json"), ((), "proj/b.json")],
)
def test_config_paths_are_relative_to_the_project_root(
    cli_keys: tuple[str, ...], expected: str
) -> None:
    settings = Settings({"baseline": "b.json", "root": "proj", "cli-keys": cli_keys})
    assert baseline_path(settings, "baseline") == Path(expected)


def _report(diags: list[Diagnostic], **settings: Any) -> RunReport:
    assets = tuple(Asset(Path(d.path), d.path, 1) for d in diags)
    values = {"root": ".", "cli-keys": tuple(settings), **settings}
    return RunReport(
        tuple(diags), files_checked=len(diags), settings=Settings(values), assets=assets
    )


def test_baseline_report_write_then_adopt_then_catch() -> None:
    old = [_d(_image("a.png")), _d(_image("b.png", color="blue"))]
    written = baseline_report(_report(old, **{"write-baseline": "base.json"}))
    assert written.diagnostics == () and written.assets == ()
    assert written.hints == ("Wrote 2 violations to baseline base.json",)
    new = _d(_image("c.png", color="green"))
    checked = baseline_report(_report([*old, new], baseline="base.json"))
    assert checked.diagnostics == (new,)
    assert [a.display for a in checked.assets] == ["c.png"]
    assert checked.hints == ("2 violations hidden by baseline base.json",)


def test_baseline_report_lists_then_prunes_stale_entries() -> None:
    old = [_d(_image("a.png")), _d(_image("b.png", color="blue"))]
    baseline_report(_report(old, **{"write-baseline": "base.json"}))
    listed = baseline_report(_report(old[:1], baseline="base.json"))
    assert "1 stale baseline entry in base.json" in listed.hints[1]
    assert listed.hints[2] == "  stale: b.png: SL001"
    pruned = baseline_report(_report(old[:1], baseline="base.json", **{"prune-baseline": True}))
    assert pruned.hints[-1] == "Pruned 1 stale entry from base.json"
    assert len(load_baseline(Path("base.json"))) == 1
