"""Fixes are idempotent, dry runs write nothing, --fix-to leaves originals, failures leave
the original byte-identical, and unsafe fixes need the user's choice."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from PIL import Image

from sora_lint.filesystem.atomic import TEMP_MARKER
from sora_lint.fix import destination, fixing
from sora_lint.types import Applicability, Fix, Fixer, Settings, Size
from tests import fix_support as fs

TARGET = Size(1280, 720)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_set(folder: Path) -> list[Path]:
    return [
        fs.write_picture(folder / "a.jpg", (800, 600), orientation=6),
        fs.write_picture(folder / "sub" / "b.png", (1000, 1000), fmt="PNG"),
        fs.write_picture(folder / "c.webp", (2560, 1440), fmt="WEBP", lossless=True),
        fs.write_picture(folder / "ok.jpg", (1280, 720)),
    ]


@pytest.mark.parametrize("mode", ["pad", "cover", "stretch"])
def test_second_fix_changes_nothing(tmp_path: Path, mode: str) -> None:
    paths = make_set(tmp_path)
    for path in paths:
        fs.fix(path, TARGET, fix=True, fix_mode=mode)
    before = snapshot(tmp_path)
    for path in paths:
        outcome = fs.fix(path, TARGET, fix=True, fix_mode=mode)
        assert outcome.result is None and outcome.error is None
    assert snapshot(tmp_path) == before


def test_a_file_already_right_is_never_rewritten(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "ok.jpg", (1280, 720))
    before = snapshot(tmp_path)
    assert fs.fix(path, TARGET, fix=True).result is None
    assert snapshot(tmp_path) == before


def test_diff_writes_nothing_but_says_what_would_change(tmp_path: Path) -> None:
    paths = make_set(tmp_path)
    before = snapshot(tmp_path)
    results = [fs.fix(path, TARGET, diff=True, fix_mode="cover").result for path in paths]
    assert snapshot(tmp_path) == before
    changed = [r for r in results if r is not None]
    assert len(changed) == 3
    assert all(r.written is None and r.new_size == TARGET for r in changed)
    by_name = {Path(r.path).name: r for r in changed}
    assert by_name["b.png"].old_size == Size(1000, 1000)
    assert by_name["b.png"].details["crop_box"] == [0, 219, 1000, 782]


def test_fix_to_mirrors_the_tree_and_leaves_originals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "assets"
    paths = make_set(source)
    before = snapshot(source)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "fixed"
    for path in paths:
        fs.fix(path.relative_to(tmp_path), TARGET, fix_to=out)
    assert snapshot(source) == before
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["assets/a.jpg", "assets/c.webp", "assets/sub/b.png"]
    for name in written:
        with Image.open(out / name) as image:
            assert image.size == (1280, 720)


def test_fix_to_the_tree_itself_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = fs.write_picture(tmp_path / "a.jpg", (800, 600))
    before = path.read_bytes()
    outcome = fs.fix(Path("a.jpg"), TARGET, fix_to=tmp_path)
    assert outcome.error is not None and "overwrite the original" in outcome.error
    assert path.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores modes")
def test_read_only_folder_leaves_original_and_no_temp(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    path = fs.write_picture(folder / "a.jpg", (800, 600))
    before = snapshot(folder)
    folder.chmod(0o555)
    try:
        outcome = fs.fix(path, TARGET, fix=True)
    finally:
        folder.chmod(0o755)
    assert outcome.result is None and outcome.error
    assert snapshot(folder) == before


def _failing_apply(image: Image.Image, fix: Fix, settings: Settings) -> Image.Image:
    raise RuntimeError("boom")


def _wrong_size_apply(image: Image.Image, fix: Fix, settings: Settings) -> Image.Image:
    return image.resize((10, 10))


@pytest.mark.parametrize(
    ("apply", "message"),
    [(_failing_apply, "RuntimeError: boom"), (_wrong_size_apply, "produced 10x10")],
)
def test_failing_fixer_leaves_original_byte_identical(
    tmp_path: Path, apply: object, message: str
) -> None:
    path = fs.write_picture(tmp_path / "a.jpg", (800, 600))
    before = snapshot(tmp_path)
    host = fs.host()
    settings = fs.settings(host, fix=True)
    ctx, diagnostics = fs.context(path, TARGET, settings)
    fixers = dict(host.fixers)
    fixers["pad"] = Fixer("pad", Applicability.SAFE, "broken", fixers["pad"].propose, apply)  # type: ignore[arg-type]
    proposed = [fixing.propose_fixes(d, ctx, fixers) for d in diagnostics]
    outcome = fixing.fix_asset(ctx, proposed, fixers, settings)
    assert outcome.result is None and outcome.error is not None and message in outcome.error
    assert snapshot(tmp_path) == before


def test_unencodable_result_leaves_original(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "a.jpg", (800, 600))
    before = snapshot(tmp_path)
    outcome = fs.fix(path, TARGET, fix=True, jpeg_quality="not a number")
    assert outcome.error is not None
    assert snapshot(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if TEMP_MARKER in p.name]


def test_held_back_and_opt_ins(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "a.png", (1000, 1000), fmt="PNG")
    host = fs.host()

    def plan(**values: object) -> fixing.FixPlan:
        settings = fs.settings(host, fix=True, **values)
        ctx, diagnostics = fs.context(path, TARGET, settings)
        proposed = [fixing.propose_fixes(d, ctx, host.fixers) for d in diagnostics]
        return fixing.plan_fixes(ctx, proposed, settings)

    assert [f.fixer for f in plan().apply] == ["pad"]
    assert [f.fixer for f in plan(unsafe_fixes=True).apply] == ["pad"]  # pad is the mode
    assert [f.fixer for f in plan(fix_mode="cover").apply] == ["cover"]  # choosing is opt-in
    assert [f.fixer for f in plan(fix_mode="stretch").apply] == ["stretch"]


def fixes(*specs: tuple[str, Applicability, dict[str, object]]) -> tuple[Fix, ...]:
    return tuple(Fix(name, app, name, data=data) for name, app, data in specs)


S, U, D = Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY


@pytest.mark.parametrize(
    ("offered", "values", "applied", "held"),
    [
        ([("pad", S, {}), ("cover", U, {}), ("crop_bounds", D, {})], {}, ["pad"], 0),
        ([("pad", S, {}), ("cover", U, {})], {"fix-mode": "cover"}, ["cover"], 0),
        ([("cover", U, {})], {}, [], 1),  # no safe fix and not chosen: held back
        ([("cover", U, {})], {"unsafe-fixes": True}, ["cover"], 0),
        ([("flatten", U, {"opt_in": "flatten"})], {"unsafe-fixes": True}, [], 1),
        ([("flatten", U, {"opt_in": "flatten"})], {"flatten": True}, ["flatten"], 0),
        ([("crop_bounds", D, {})], {"unsafe-fixes": True}, [], 0),  # never applied, not held
    ],
)
def test_applicability_rule(
    tmp_path: Path,
    offered: Iterable[tuple[str, Applicability, dict[str, object]]],
    values: dict[str, object],
    applied: list[str],
    held: int,
) -> None:
    path = fs.write_picture(tmp_path / "a.png", (1000, 1000), fmt="PNG")
    settings = Settings({"fix-mode": "pad", **values})
    ctx, diagnostics = fs.context(path, TARGET, settings)
    diagnostic = diagnostics[0].__class__(**{**diagnostics[0].__dict__, "fixes": fixes(*offered)})
    plan = fixing.plan_fixes(ctx, [diagnostic], settings)
    assert [f.fixer for f in plan.apply] == applied
    assert plan.held_back == held


@pytest.mark.parametrize("code", sorted(fixing.NEVER_FIX))
def test_never_touches_unfixable_assets(tmp_path: Path, code: str) -> None:
    path = fs.write_picture(tmp_path / "a.jpg", (800, 600))
    before = snapshot(tmp_path)
    host = fs.host()
    settings = fs.settings(host, fix=True)
    ctx, diagnostics = fs.context(path, TARGET, settings)
    extra = diagnostics[0].__class__(code, "x", diagnostics[0].severity, "x", str(path))
    proposed = [fixing.propose_fixes(d, ctx, host.fixers) for d in [*diagnostics, extra]]
    outcome = fixing.fix_asset(ctx, proposed, host.fixers, settings)
    assert outcome.result is None and outcome.skipped and code in outcome.skipped
    assert snapshot(tmp_path) == before


def test_animated_images_are_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "anim.png"
    frames = [fs.picture((200, 100)), fs.picture((200, 100)).rotate(180)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    before = snapshot(tmp_path)
    outcome = fs.fix(path, TARGET, fix=True)
    assert outcome.skipped is not None and "animated" in outcome.skipped
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("path", "cwd", "expected"),
    [
        ("assets/a.png", "/work/repo", "out/assets/a.png"),
        ("/work/repo/assets/a.png", "/work/repo", "out/assets/a.png"),
        ("../shared/x.png", "/work/repo", "out/work/shared/x.png"),  # outside: absolute path
        ("/elsewhere/b.jpg", "/work/repo", "out/elsewhere/b.jpg"),
    ],
)
def test_mirror_path(path: str, cwd: str, expected: str) -> None:
    assert destination.mirror_path(Path("out"), Path(cwd) / path, Path(cwd)) == Path(expected)


def test_fixers_and_outcomes_pickle(tmp_path: Path) -> None:
    # The engine runs fix_asset in worker processes: everything crossing must pickle.
    import pickle

    path = fs.write_picture(tmp_path / "a.jpg", (800, 600))
    host = fs.host()
    settings = fs.settings(host, fix=True)
    ctx, diagnostics = fs.context(path, TARGET, settings)
    proposed = [fixing.propose_fixes(d, ctx, host.fixers) for d in diagnostics]
    fixers, args = pickle.loads(pickle.dumps((host.fixers, (ctx, proposed, settings))))
    outcome = fixing.fix_asset(args[0], args[1], fixers, args[2])
    assert pickle.loads(pickle.dumps(outcome)) == outcome
    assert outcome.result is not None and outcome.result.new_size == TARGET


def test_held_back_names_a_flag_per_fix(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "a.png", (1000, 1000), fmt="PNG")
    settings = Settings({"fix-mode": "pad"})
    ctx, diagnostics = fs.context(path, TARGET, settings)
    base = diagnostics[0]
    offered = [
        base.__class__(**{**base.__dict__, "code": code, "fixes": fixes(spec)})
        for code, spec in [
            ("SL009", ("flatten", U, {"opt_in": "flatten"})),
            ("XX001", ("third", U, {})),
            ("XX002", ("fourth", U, {"opt_in": "flatten"})),
        ]
    ]
    plan = fixing.plan_fixes(ctx, offered, settings)
    assert plan.held_back == 3
    assert sorted(plan.held_back_by) == ["--flatten", "--flatten", "--unsafe-fixes"]
