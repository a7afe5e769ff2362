"""Plugins through the public hooks: an outside package adds a rule, a profile and a target;
hooks taking fewer arguments, wrappers and options; a crashing rule or fixer is exit 2."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from sora_lint.hookspecs import hookimpl
from sora_lint.types import (
    Applicability,
    Asset,
    CheckContext,
    Diagnostic,
    Fix,
    Fixer,
    ImageHeader,
    Location,
    ProbeResult,
    Profile,
    Rule,
    Settings,
    Severity,
    Size,
    TargetRequest,
)
from tests.conftest import CliResult


def _tiny(ctx: CheckContext) -> Iterator[Diagnostic]:
    header = ctx.asset.header
    if header is not None and header.size.width < 100:
        yield TINY.diagnostic(ctx, "narrower than 100 px")


TINY = Rule("XX001", "tiny", Severity.ERROR, "narrower than 100 px", "## What it does\n…", _tiny)
SQUARE = Profile("square-model", (Size(512, 512),), frozenset({"PNG"}), source="test")


class OutsidePlugin:
    """What a third-party package would ship, registered through the public hooks only."""

    __name__ = "outside"

    @staticmethod
    @hookimpl
    def sora_lint_register_rules() -> Iterable[Rule]:
        return [TINY]

    @staticmethod
    @hookimpl
    def sora_lint_register_profiles() -> Iterable[Profile]:
        return [SQUARE]


def test_outside_plugin_adds_a_rule_and_a_profile(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "a.png", size=(64, 64))
    image(tmp_path / "b.png", size=(512, 512))
    result = cli(".", "--model", "square-model", "--output-format", "json", "--ignore", "SL024",
                 cwd=tmp_path, plugins=(OutsidePlugin,))  # fmt: skip
    assert {(d["path"], d["code"]) for d in result.json} == {("a.png", "SL001"), ("a.png", "XX001")}
    listed = cli("rules", cwd=tmp_path, plugins=(OutsidePlugin,)).out
    assert "XX001  tiny" in listed
    assert "square-model" in cli("profiles", cwd=tmp_path, plugins=(OutsidePlugin,)).out


class JobTarget:
    """A per-asset declaration (as a job file would make) answered before the config default."""

    __name__ = "job-target"

    @staticmethod
    @hookimpl
    def sora_lint_resolve_target(asset: Asset, settings: Settings) -> TargetRequest | None:
        if asset.path.name != "job.png":
            return None
        return TargetRequest("sora-2", Size(1792, 1024), "jobs.jsonl", per_asset=True,
                             origin=Location("jobs.jsonl", 3))  # fmt: skip


def test_per_asset_target_the_model_does_not_allow_is_sl003(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "job.png", size=(1792, 1024))
    image(tmp_path / "other.png", size=(1280, 720))
    result = cli(".", "--output-format", "json", cwd=tmp_path, plugins=(JobTarget,))
    (item,) = result.json
    assert item["code"] == "SL003"
    assert item["path"] == "jobs.jsonl" and item["line"] == 3 and item["asset"] == "job.png"
    assert "allowed: 1280x720, 720x1280" in item["message"]


class FewArguments:
    """Implementations may take fewer arguments than the hook offers, in any order (pluggy
    passes them by name; the core's direct calls must too)."""

    __name__ = "few-arguments"

    @staticmethod
    @hookimpl(tryfirst=True)
    def sora_lint_probe(byte_size: int, head: bytes) -> ProbeResult | None:
        if not head.startswith(b"FEWARGS"):
            return None
        return ProbeResult("PNG", ImageHeader(Size(byte_size, 100), "RGB"))

    @staticmethod
    @hookimpl
    def sora_lint_resolve_target(asset: Asset) -> TargetRequest | None:
        if asset.format != "PNG" or asset.header is None or asset.header.size.height != 100:
            return None
        return TargetRequest("sora-2", Size(720, 1280), "few-arguments")


def test_hook_implementations_taking_fewer_arguments(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    (tmp_path / "a.png").write_bytes(b"FEWARGS" + bytes(93))
    result = cli(".", "--output-format", "json", "--ignore", "SL024", cwd=tmp_path,
                 plugins=(FewArguments,))  # fmt: skip
    (item,) = result.json
    assert (item["code"], item["size"], item["target"]) == ("SL001", "100x100", "720x1280")


def test_option_declared_by_a_plugin_is_a_flag_and_a_config_key(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    seen: list[object] = []

    class WithOption:
        __name__ = "with-option"

        @staticmethod
        @hookimpl
        def sora_lint_addoption(options: object) -> None:
            options.add("min-width", "smallest width", default=1, parse=int)  # type: ignore[attr-defined]

        @staticmethod
        @hookimpl
        def sora_lint_configure(settings: Settings) -> None:
            seen.append(settings["min-width"])

    image(tmp_path / "a.png")
    cli("a.png", "--min-width", "300", cwd=tmp_path, plugins=(WithOption,))
    (tmp_path / "sora-lint.toml").write_text("min-width = 500\n")
    cli("a.png", cwd=tmp_path, plugins=(WithOption,))
    bad = cli("a.png", "--min-width", "wide", cwd=tmp_path, plugins=(WithOption,))
    assert seen == [300, 500]
    assert bad.code == 2 and "--min-width" in bad.err


class PortraitWrapper:
    """A new-style wrapper around target resolution: pluggy must still be the one calling."""

    __name__ = "portrait-wrapper"

    @staticmethod
    @hookimpl(wrapper=True)
    def sora_lint_resolve_target(asset: Asset) -> Iterator[None]:
        request = yield
        if asset.path.name == "turn.png" and isinstance(request, TargetRequest):
            return TargetRequest(request.model, Size(720, 1280), "wrapper")
        return request


@pytest.mark.parametrize("plugins", [(), (PortraitWrapper,), (JobTarget, PortraitWrapper)])
def test_direct_hook_calls_answer_as_pluggy_does(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult], plugins: tuple
) -> None:
    """The host calls per-file firstresult hooks directly unless a wrapper is registered;
    order (tryfirst plugin, default last), arguments and wrappers behave as with pluggy."""
    from sora_lint.host.manager import build_plugin_manager
    from sora_lint.host.plugin_host import PluginHost

    image(tmp_path / "turn.png", size=(1280, 720))
    image(tmp_path / "job.png", size=(1792, 1024))
    host = PluginHost(build_plugin_manager(plugins=plugins, autoload=False))
    assert (host._resolvers is None) == (PortraitWrapper in plugins)
    assert host._probers is not None
    result = cli(".", "--output-format", "json", cwd=tmp_path, plugins=plugins)
    found = {(d.get("asset") or d["path"], d["code"], d.get("target")) for d in result.json}
    expected = set()
    if PortraitWrapper in plugins:
        expected.add(("turn.png", "SL001", "720x1280"))
    if JobTarget in plugins:
        expected.add(("job.png", "SL003", "1792x1024"))
    else:
        expected.add(("job.png", "SL001", "1280x720"))
    assert found == expected, result.json


def _raises(ctx: CheckContext) -> Iterator[Diagnostic]:
    raise ValueError("a bug in the rule")


class CrashingPlugin:
    """A rule and a fixer that crash: the run ends with exit 2 naming them, no traceback."""

    __name__ = "crashing"

    def __init__(self, part: str) -> None:
        self.part = part

    @hookimpl
    def sora_lint_register_rules(self) -> list[Rule]:
        if self.part != "rule":
            return []
        return [Rule("XX900", "crashes", Severity.ERROR, "crashes", "doc", _raises)]

    @hookimpl
    def sora_lint_register_fixers(self) -> list[Fixer]:
        if self.part != "fixer":
            return []

        def propose(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
            raise KeyError("no such key")

        return [Fixer("crashy", Applicability.SAFE, "crashes", propose)]


@pytest.mark.parametrize(
    ("part", "named", "error"),
    [("rule", "rule XX900 (crashes)", "ValueError: a bug in the rule"),
     ("fixer", "fixer 'crashy'", "KeyError: 'no such key'")],
)  # fmt: skip
def test_a_crashing_rule_or_fixer_is_exit_2_naming_it(
    part: str, named: str, error: str, tmp_path: Path, image: Callable[..., Path],
    cli: Callable[..., CliResult],
) -> None:  # fmt: skip
    image(tmp_path / "a.png", size=(640, 360))
    result = cli(".", cwd=tmp_path, plugins=(CrashingPlugin(part),))
    assert result.code == 2
    assert result.err.strip() == f"sora-lint: error: {named} failed on a.png: {error}"
