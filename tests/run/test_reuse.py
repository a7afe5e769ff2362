"""Findings of pure rules are worked out once per kind of file and moved to the others: every
file still gets exactly what checking it alone gives, and rules that are not pure still see
each file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from sora_lint.hookspecs import hookimpl
from sora_lint.run import reuse
from sora_lint.run.engine import check_asset
from sora_lint.run.probing import probe_file
from sora_lint.types import (
    Applicability,
    Asset,
    CheckContext,
    Diagnostic,
    Fix,
    Fixer,
    ImageHeader,
    ProbeResult,
    Rule,
    Severity,
    Size,
)
from tests.conftest import CliResult
from tests.run.support import bundled_session


class Counting:
    """A plugin with one pure rule and one that is not, counting the files each sees."""

    __name__ = "counting"

    def __init__(self) -> None:
        self.pure_calls = 0
        self.seen: list[str] = []
        self.pure = Rule("XX101", "wide", Severity.WARNING, "wide", "doc", self._wide, pure=True)
        self.named = Rule("XX102", "draft", Severity.WARNING, "draft", "doc", self._draft)

    def _wide(self, ctx: CheckContext) -> Iterable[Diagnostic]:
        self.pure_calls += 1
        header = ctx.asset.header
        if header is not None and header.size.width > header.size.height:
            yield self.pure.diagnostic(ctx, f"wide ({header.size})")

    def _draft(self, ctx: CheckContext) -> Iterable[Diagnostic]:
        self.seen.append(ctx.asset.display)
        if "draft" in ctx.asset.display:
            yield self.named.diagnostic(ctx, "a draft")

    @hookimpl
    def sora_lint_register_rules(self) -> list[Rule]:
        return [self.pure, self.named]


def test_a_pure_rule_runs_once_per_kind_and_every_file_gets_its_own_path(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    for name in ("a.png", "b.png", "draft-c.png", "d.PNG"):
        image(tmp_path / name, size=(640, 360))
    image(tmp_path / "e.jpg", size=(640, 360))
    plugin = Counting()
    result = cli("--output-format", "json", "--jobs", "1", "--no-cache", ".", cwd=tmp_path,
                 plugins=(plugin,))  # fmt: skip
    # Three kinds: .png (three files), .PNG is the same extension, and a JPEG.
    assert plugin.pure_calls == 2
    assert sorted(plugin.seen) == ["a.png", "b.png", "d.PNG", "draft-c.png", "e.jpg"]
    found = [(d["path"], d["code"]) for d in result.json if d["code"].startswith("XX")]
    assert sorted(found) == sorted(
        [(name, "XX101") for name in ("a.png", "b.png", "d.PNG", "draft-c.png", "e.jpg")]
        + [("draft-c.png", "XX102")]
    )
    by_path: dict[str, list[str]] = {}
    for d in result.json:
        by_path.setdefault(d["path"], []).append(d["code"])
    assert by_path["draft-c.png"] == ["SL001", "XX101", "XX102"]  # registration order kept


KINDS: list[tuple[str, dict[str, int]]] = [
    (".png", {}), (".jpg", {}), (".jpeg", {"orientation": 6}), (".webp", {}),
]  # fmt: skip


def test_each_file_gets_what_checking_it_alone_gives(
    tmp_path: Path, image: Callable[..., Path]
) -> None:
    """Files of few kinds through one session equal each file through a fresh session."""
    sizes = [(1280, 720), (640, 360), (1280, 720), (720, 1280), (640, 360), (1000, 1000)]
    paths = [
        image(tmp_path / f"sub{i % 2}" / f"img{i}{ext}", size=size, **extra)
        for i, size in enumerate(sizes)
        for ext, extra in KINDS
    ]
    (tmp_path / "text.png").write_text("not an image")
    paths.append(tmp_path / "text.png")
    shared = bundled_session(tmp_path)
    for path in paths:
        display = path.relative_to(tmp_path).as_posix()
        asset = probe_file(path, display, shared.host, shared.roots)
        _, reused = check_asset(asset, shared)
        _, alone = check_asset(asset, bundled_session(tmp_path))
        assert reused == alone
        assert all(d.path == display for d in reused)
    assert 0 < len(shared.known) < len(paths)


def test_findings_shown_at_a_job_line_are_never_moved_to_another_file(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "a.png", size=(640, 360))
    image(tmp_path / "b.png", size=(640, 360))
    (tmp_path / "jobs.jsonl").write_text(
        '{"input_reference": "a.png", "model": "sora-2", "size": "1280x720"}\n'
        '{"input_reference": "b.png", "model": "sora-2", "size": "1280x720"}\n'
    )
    result = cli("--output-format", "json", "--job-file", "jobs.jsonl", "--no-cache", ".",
                 cwd=tmp_path)  # fmt: skip
    sizes = sorted((d["path"], d.get("line"), d.get("asset")) for d in result.json
                   if d["code"] == "SL001")  # fmt: skip
    assert sizes == [("jobs.jsonl", 1, "a.png"), ("jobs.jsonl", 2, "b.png")]


def _impure_fixer(calls: list[str]) -> Fixer:
    def propose(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
        calls.append(ctx.asset.display)
        if diagnostic.code != "SL001":
            return None
        return Fix("rename", Applicability.DISPLAY_ONLY, f"rename {ctx.asset.display}")

    return Fixer("rename", Applicability.DISPLAY_ONLY, "say the name", propose)


def test_a_fixer_that_is_not_pure_proposes_for_every_file(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "a.png", size=(640, 360))
    image(tmp_path / "b.png", size=(640, 360))
    calls: list[str] = []

    class Renamer:
        __name__ = "renamer"

        @hookimpl
        def sora_lint_register_fixers(self) -> list[Fixer]:
            return [_impure_fixer(calls)]

    result = cli("--output-format", "json", "--no-cache", ".", cwd=tmp_path, plugins=(Renamer(),))
    assert sorted(set(calls)) == ["a.png", "b.png"]
    texts = {d["path"]: [f["description"] for f in d["fixes"]] for d in result.json}
    assert "rename a.png" in texts["a.png"] and "rename b.png" in texts["b.png"]


@dataclasses.dataclass(frozen=True)
class ListHeader(ImageHeader):
    """A plugin's header with a field that cannot be hashed."""

    notes: list[str] = dataclasses.field(default_factory=list, hash=True)


class ListProber:
    __name__ = "list-prober"

    @hookimpl(tryfirst=True)
    def sora_lint_probe(self, path: Path, head: bytes, byte_size: int) -> ProbeResult | None:
        if not head.startswith(b"LIST"):
            return None
        return ProbeResult("PNG", ListHeader(Size(640, 360), "RGB", notes=["x"]))


def test_a_header_that_cannot_be_hashed_is_checked_the_ordinary_way(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(b"LIST" + bytes(100))
    result = cli("--output-format", "json", "--no-cache", ".", cwd=tmp_path,
                 plugins=(ListProber(),))  # fmt: skip
    assert result.code == 1, result.err
    assert sorted((d["path"], d["code"]) for d in result.json) == [
        ("a.png", "SL001"), ("b.png", "SL001"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.PNG", "png"), ("a.tar.Gz", "gz"), ("noext", ""), (".png", "png"), ("a.", "")],
)
def test_the_extension_a_pure_rule_may_read(name: str, expected: str) -> None:
    assert reuse.extension(name) == expected


def test_kinds_remembered_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reuse, "MAX_KINDS", 2)
    session = bundled_session(tmp_path)
    for width in (100, 200, 300, 400):
        header = ImageHeader(Size(width, 100), "RGB")
        asset = Asset(tmp_path / f"{width}.png", f"{width}.png", 1000, "PNG", header)
        assert check_asset(asset, session)[1][0].size == Size(width, 100)
    assert len(session.known) == 2
