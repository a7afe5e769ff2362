"""Loading plugins: -p no: disables one, an entry point is autoloaded unless disabled, and a
plugin that breaks while loading or registering is exit 2 naming it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable
from pathlib import Path

import pluggy
import pytest

from sora_lint import hookspecs
from sora_lint.host.manager import build_plugin_manager
from tests.conftest import CliResult, make_image, sora_lint_env


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


def _impls(pm: pluggy.PluginManager) -> set[tuple[str, str, object]]:
    return {
        (name, impl.plugin_name, impl.function)
        for name in vars(pm.hook)
        for impl in getattr(pm.hook, name).get_hookimpls()
    }


def test_the_manager_finds_the_hooks_pluggy_finds() -> None:
    """Skipping a module's names that are not functions finds every hook pluggy finds: in
    each bundled plugin, and in a module whose hooks are imported, static or undecorated."""
    odd = types.ModuleType("odd")
    exec(
        textwrap.dedent(
            """
            from sora_lint.hookspecs import hookimpl
            from sora_lint_plugins.rules.file import sora_lint_register_rules

            class Holder:
                @staticmethod
                @hookimpl
                def sora_lint_cache_stamp(settings):
                    return "x"

            sora_lint_cache_stamp = Holder.sora_lint_cache_stamp
            sora_lint_register_profiles = 3  # not a function: never a hook

            def sora_lint_configure(settings):  # not marked: never a hook
                pass
            """
        ),
        vars(odd),
    )
    ours = build_plugin_manager(autoload=False, plugins=[odd])
    theirs = pluggy.PluginManager(hookspecs.PROJECT)
    theirs.add_hookspecs(hookspecs)
    for name, plugin in ours.list_name_plugin():
        theirs.register(plugin, name=name)
    assert _impls(ours) == _impls(theirs)
    found = {(hook, plugin) for hook, plugin, _ in _impls(ours) if plugin == "odd"}
    assert found == {("sora_lint_register_rules", "odd"), ("sora_lint_cache_stamp", "odd")}
