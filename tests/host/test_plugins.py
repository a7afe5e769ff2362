"""Plugins: an outside package adds a rule, a profile and a target; -p no:; broken plugins."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
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
from tests.conftest import CliResult, make_image, sora_lint_env


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


def test_disabling_a_bundled_plugin(
    tmp_path: Path, image: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "r.jpg", size=(1280, 720), orientation=3)
    assert cli("r.jpg", "--output-format", "json", cwd=tmp_path).json != []
    result = cli("r.jpg", "-p", "no:rules_pixels", "--output-format", "json", cwd=tmp_path)
    assert result.json == []
    assert "SL006" not in cli("rules", "-p", "no:rules_pixels", cwd=tmp_path).out


def test_disabling_an_unknown_plugin_is_exit_2(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    result = cli("-p", "no:nonesuch", cwd=tmp_path)
    assert result.code == 2 and "no such plugin; known plugins:" in result.err


def _write_module(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "mods"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


@pytest.mark.parametrize(
    ("name", "body", "needle"),
    [
        (
            "broken_import",
            "import does_not_exist\n",
            "plugin 'broken_import' failed to load: ModuleNotFoundError",
        ),
        (
            "misspelled",
            """
            from sora_lint.hookspecs import hookimpl
            @hookimpl
            def sora_lint_register_rule():
                return []
            """,
            "unknown hook 'sora_lint_register_rule'",
        ),
        (
            "dup_rule",
            """
            from sora_lint.hookspecs import hookimpl
            from sora_lint_plugins.rules.size import SIZE_MISMATCH
            @hookimpl
            def sora_lint_register_rules():
                return [SIZE_MISMATCH]
            """,
            "rule 'SL001' is registered by both",
        ),
        (
            "wrong_type",
            """
            from sora_lint.hookspecs import hookimpl
            @hookimpl
            def sora_lint_register_profiles():
                return ["sora-9"]
            """,
            "returned str from sora_lint_register_profiles; expected Profile",
        ),
        (
            "raises",
            """
            from sora_lint.hookspecs import hookimpl
            @hookimpl
            def sora_lint_register_reporters():
                raise RuntimeError("boom")
            """,
            "plugin 'raises' failed in sora_lint_register_reporters: boom",
        ),
    ],
)
def test_broken_plugins_are_exit_2_naming_them(
    modules: Path, cli: Callable[..., CliResult], name: str, body: str, needle: str
) -> None:
    _write_module(modules, name, body)
    result = cli("-p", name, cwd=modules)
    assert result.code == 2
    assert needle in result.err, result.err
    assert "Traceback" not in result.err


def _install_entry_point(site: Path, module: str, body: str) -> None:
    """A real distribution on sys.path, found through importlib.metadata like a pip install."""
    _write_module(site, module, body)
    info = site / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[sora_lint]\n{module} = {module}\n")


OUTSIDE_MODULE = """
    from sora_lint.hookspecs import hookimpl
    from sora_lint.types import Rule, Severity

    def check(ctx):
        yield RULE.diagnostic(ctx, "seen by the outside plugin")

    RULE = Rule("ZZ001", "seen", Severity.WARNING, "always", "doc", check)

    @hookimpl
    def sora_lint_register_rules():
        return [RULE]
    """


def _run(cwd: Path, site: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = sora_lint_env(PYTHONPATH=str(site))
    environment.pop("SORA_LINT_DISABLE_PLUGIN_AUTOLOAD")
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "sora_lint", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_entry_point_plugin_is_autoloaded_unless_disabled(
    tmp_path: Path, image: Callable[..., Path]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _install_entry_point(site, "outside_pkg", OUTSIDE_MODULE)
    image(tmp_path / "a.png")
    loaded = _run(tmp_path, site, "a.png", "--output-format", "json")
    assert [d["code"] for d in json.loads(loaded.stdout)] == ["ZZ001"], loaded.stderr
    blocked = _run(tmp_path, site, "a.png", "-p", "no:outside_pkg", "--output-format", "json")
    assert json.loads(blocked.stdout) == []
    hermetic = _run(tmp_path, site, "a.png", "--output-format", "json",
                    SORA_LINT_DISABLE_PLUGIN_AUTOLOAD="1")  # fmt: skip
    assert json.loads(hermetic.stdout) == []


def test_broken_entry_point_is_exit_2_not_a_silent_skip(
    tmp_path: Path, image: Callable[..., Path]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _install_entry_point(site, "half_installed", "raise ImportError('missing libfoo')\n")
    image(tmp_path / "a.png")
    proc = _run(tmp_path, site, "a.png")
    assert proc.returncode == 2
    assert "plugin 'half_installed' failed to load: ImportError: missing libfoo" in proc.stderr
    assert "Traceback" not in proc.stderr


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


@pytest.mark.parametrize(
    ("name", "body", "needle"),
    [
        ("int_stamp", "return 42", "sora_lint_cache_stamp must return a string or None, not int"),
        ("raising_stamp", "raise RuntimeError('dry')", "failed in sora_lint_cache_stamp: dry"),
    ],
)
def test_broken_cache_stamp_is_exit_2_naming_the_plugin(
    modules: Path, cli: Callable[..., CliResult], name: str, body: str, needle: str
) -> None:
    _write_module(
        modules,
        name,
        f"""
        from sora_lint.hookspecs import hookimpl
        @hookimpl
        def sora_lint_cache_stamp(settings):
            {body}
        """,
    )
    make_image(modules / "shot.png")
    result = cli("-p", name, cwd=modules)
    assert result.code == 2
    assert f"plugin {name!r}" in result.err and needle in result.err, result.err
    assert "Traceback" not in result.err


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
