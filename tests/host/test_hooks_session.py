"""The run-level hooks as a third-party plugin uses them: sora_lint_collect_diagnostics,
sora_lint_modify_candidates, and sora_lint_register_profiles with the run's settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image

from sora_lint.hookspecs import hookimpl
from sora_lint.types import CheckContext, Diagnostic, Profile, Rule, Settings, Severity, Size
from tests.conftest import CliResult


def _nothing(ctx: CheckContext) -> Iterator[Diagnostic]:
    return iter(())


MANIFEST = Rule("XX100", "bad-manifest", Severity.ERROR, "a manifest problem", "doc", _nothing)


def manifest_plugin(calls: list[Any]) -> Any:
    """A plugin that reads ``manifest.txt`` (one image per line) instead of probing it."""

    @hookimpl
    def sora_lint_register_rules() -> Iterable[Rule]:
        return [MANIFEST]

    @hookimpl
    def sora_lint_modify_candidates(
        settings: Settings, given: tuple[Path, ...], paths: list[Path]
    ) -> None:
        calls.append(("modify", given, list(paths)))
        manifest = [p for p in paths if p.name == "manifest.txt"]
        for path in manifest:
            paths.remove(path)
            for line in path.read_text().splitlines():
                paths.append(path.parent / line)

    @hookimpl
    def sora_lint_collect_diagnostics(
        settings: Settings, given: tuple[Path, ...], profiles: Mapping[str, Profile]
    ) -> Iterable[Diagnostic]:
        calls.append(("collect", sorted(profiles)))
        return [
            Diagnostic("XX100", "bad-manifest", Severity.ERROR, "line 2 is odd", "manifest.txt", 2)
        ]

    return SimpleNamespace(
        __name__="manifest_plugin",
        sora_lint_register_rules=sora_lint_register_rules,
        sora_lint_modify_candidates=sora_lint_modify_candidates,
        sora_lint_collect_diagnostics=sora_lint_collect_diagnostics,
    )


def test_a_plugin_claims_a_file_adds_images_and_reports_once(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    (tmp_path / "sub").mkdir()
    Image.new("RGB", (640, 480)).save(tmp_path / "sub" / "far.png")
    (tmp_path / "manifest.txt").write_text("sub/far.png\n")
    calls: list[Any] = []
    result = cli("--isolated", "manifest.txt", "--output-format", "json", cwd=tmp_path,
                 plugins=(manifest_plugin(calls),))  # fmt: skip
    found = sorted((d["code"], d["path"], d.get("line")) for d in result.json)
    assert found == [("SL001", "sub/far.png", None), ("XX100", "manifest.txt", 2)]
    assert calls[0] == ("modify", (tmp_path / "manifest.txt",), [tmp_path / "manifest.txt"])
    assert calls[1][0] == "collect" and "sora-2" in calls[1][1]
    ignored = cli("--isolated", "manifest.txt", "--ignore", "XX100", "--output-format", "json",
                  cwd=tmp_path, plugins=(manifest_plugin([]),))  # fmt: skip
    assert [d["code"] for d in ignored.json] == ["SL001"]


def test_a_crashing_run_level_hook_is_exit_2_naming_the_plugin(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    @hookimpl
    def sora_lint_collect_diagnostics(settings: Settings) -> Iterable[Diagnostic]:
        raise RuntimeError("boom")

    plugin = SimpleNamespace(
        __name__="crashy", sora_lint_collect_diagnostics=sora_lint_collect_diagnostics
    )
    result = cli("--isolated", cwd=tmp_path, plugins=(plugin,))
    assert result.code == 2
    assert (
        result.err.strip()
        == "sora-lint: error: plugin 'crashy' failed in sora_lint_collect_diagnostics: boom"
    )


def test_profiles_can_come_from_settings(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    @hookimpl
    def sora_lint_register_profiles(settings: Settings | None) -> Iterable[Profile]:
        if settings is None or settings.get("target") != "640x480":
            return []
        return [Profile("from-settings", (Size(640, 480),), frozenset({"PNG"}))]

    plugin = SimpleNamespace(
        __name__="dyn", sora_lint_register_profiles=sora_lint_register_profiles
    )
    Image.new("RGB", (640, 480)).save(tmp_path / "a.png")
    ok = cli("--isolated", "--model", "from-settings", "--target", "640x480", "a.png",
             cwd=tmp_path, plugins=(plugin,))  # fmt: skip
    assert ok.code == 0, ok.err
    unknown = cli(
        "--isolated", "--model", "from-settings", "a.png", cwd=tmp_path, plugins=(plugin,)
    )
    assert unknown.code == 2 and "unknown model 'from-settings'" in unknown.err


def _denied() -> None:
    raise PermissionError(13, "Permission denied", "/some/where")


#: A hook that returns nothing, and an implementation of it that raises ``OSError``.
SILENT_HOOKS: dict[str, Callable[..., None]] = {
    "sora_lint_addoption": lambda options: _denied(),
    "sora_lint_configure": lambda settings: _denied(),
    "sora_lint_run_finished": lambda report, settings: _denied(),
}


@pytest.mark.parametrize("hook", sorted(SILENT_HOOKS))
def test_an_os_error_in_a_hook_that_returns_nothing_names_the_plugin(
    tmp_path: Path, cli: Callable[..., CliResult], hook: str
) -> None:
    """Such an error escaped the host, and the command line called it a failure to write
    standard output."""
    plugin = SimpleNamespace(__name__="denied", **{hook: hookimpl(SILENT_HOOKS[hook])})
    Image.new("RGB", (1280, 720)).save(tmp_path / "a.png")
    result = cli("--isolated", "a.png", cwd=tmp_path, plugins=(plugin,))
    assert result.code == 2
    assert result.err.strip() == (
        f"sora-lint: error: plugin 'denied' failed in {hook}: "
        "[Errno 13] Permission denied: '/some/where'"
    )
