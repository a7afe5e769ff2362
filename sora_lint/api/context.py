"""The plugins, settings and session a Python API call checks with: the CLI's own.

The plugin manager is built as the CLI builds it (bundled plugins, then installed ones),
the settings are resolved by the CLI's code from a configuration file (only when asked
for) and the call's options, and a :class:`~sora_lint.run.engine.Session` checks the
asset. What the call asks for (model, size, output ratio, delivery) reaches the target
through a ``sora_lint_resolve_target`` wrapper, so plugins that resolve targets still
answer first and the call only overrides what it names.

Plugins are loaded once per configuration and fix options (a few, kept in a small cache):
a pipeline checking thousands of images does not reload them for each.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sora_lint.config.files import ConfigFile, find_config, load_config
from sora_lint.config.options import OptionError
from sora_lint.errors import UsageError
from sora_lint.hookspecs import hookimpl
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.discovery import Selection
from sora_lint.run.engine import Session
from sora_lint.run.rule_selection import PerFileIgnores, enabled_codes
from sora_lint.run.targeting import check_declared, find_profile
from sora_lint.types import DELIVERIES, Asset, Profile, Settings, Size, TargetRequest

#: What ``config`` takes: ``None`` (no configuration file: defaults and the call's options),
#: ``True`` (the nearest ``sora-lint.toml`` or ``pyproject.toml`` with ``[tool.sora-lint]``
#: above the working directory, as the command finds it), or the path of one such file.
ConfigArg = str | os.PathLike[str] | bool | None

#: How many configurations (with their fix options) keep their loaded plugins.
CACHED_CONTEXTS = 8
SOURCE = "the Python API"


@dataclass(frozen=True)
class Asked:
    """What one call asks for; ``None`` leaves it to the configuration and the plugins."""

    model: str | None = None
    size: Size | None = None
    params: tuple[tuple[str, str], ...] = ()


_ASKED: contextvars.ContextVar[Asked | None] = contextvars.ContextVar("sora_lint_api_asked")


@contextlib.contextmanager
def asking(asked: Asked) -> Iterator[None]:
    """Make ``asked`` the target of the assets checked in the ``with`` block (this thread
    or task only)."""
    token = _ASKED.set(asked)
    try:
        yield
    finally:
        _ASKED.reset(token)


class _CallTarget:
    """The plugin that lays a call's model, size and parameters over the resolved target."""

    __name__ = "sora_lint.api"

    @hookimpl(wrapper=True)
    def sora_lint_resolve_target(
        self, asset: Asset, settings: Settings
    ) -> Generator[None, TargetRequest | None, TargetRequest | None]:
        request = yield
        asked = _ASKED.get(None)
        if asked is None:
            return request
        model = asked.model or (request.model if request is not None else settings["model"])
        size = asked.size
        if size is None and asked.model is None and request is not None:
            size = request.size  # the call named neither: the configured size stays
        params = dict(request.params if request is not None else ())
        params.update(asked.params)
        if request is not None and (model, size) == (request.model, request.size):
            return dataclasses.replace(request, params=tuple(params.items()))
        return TargetRequest(model=model, size=size, source=SOURCE, params=tuple(params.items()))


@dataclass(frozen=True)
class Context:
    """Loaded plugins and resolved settings for API calls with one configuration."""

    host: PluginHost
    settings: Settings

    @functools.cached_property
    def selection(self) -> Selection:
        s = self.settings
        return Selection.build(
            root=Path(s["root"]),
            extensions=s["extensions"],
            include=s["include"],
            exclude=s["exclude"],
            respect_gitignore=s["respect-gitignore"],
        )

    @functools.cached_property
    def ignores(self) -> PerFileIgnores:
        return PerFileIgnores.build(self.settings["per-file-ignores"])

    @functools.cached_property
    def configured_codes(self) -> frozenset[str]:
        s = self.settings
        select = tuple(s["select"]) + tuple(s["extend-select"])
        return enabled_codes(self.host.rules.keys(), select, s["ignore"])

    def session(self, codes: frozenset[str] | None = None) -> Session:
        """A session checking with the configured rules, or with ``codes`` (``prepare``
        judges its result by every rule, whatever the configuration selects)."""
        return Session(
            host=self.host,
            settings=self.settings,
            selection=self.selection,
            roots=(Path(os.path.abspath(os.sep)),),  # a path the caller names is followed
            enabled=self.configured_codes if codes is None else codes,
            per_file_ignores=self.ignores if codes is None else PerFileIgnores(()),
        )

    def profile(self, model: str) -> Profile:
        found = find_profile(self.host.profiles, model)
        if found is None:  # check_declared has ruled this out
            raise UsageError(f"model: unknown model {model!r}")
        return found


_CONTEXTS: OrderedDict[tuple[Any, ...], Context] = OrderedDict()
_LOCK = threading.Lock()


def context(config: ConfigArg, options: Mapping[str, Any]) -> Context:
    """The context for ``config`` and the settings ``options`` (``None`` values left out);
    built once and kept while it is among the last :data:`CACHED_CONTEXTS` used."""
    found = _config_file(config)
    given = {key: value for key, value in options.items() if value is not None}
    key = (_identity(found), tuple(sorted(given.items())), os.environ.get(_AUTOLOAD, ""))
    with _LOCK:
        cached = _CONTEXTS.get(key)
        if cached is not None:
            _CONTEXTS.move_to_end(key)
            return cached
    built = _build(found, given)
    with _LOCK:
        _CONTEXTS[key] = built
        while len(_CONTEXTS) > CACHED_CONTEXTS:
            _CONTEXTS.popitem(last=False)
    return built


_AUTOLOAD = "SORA_LINT_DISABLE_PLUGIN_AUTOLOAD"
#: The API's names of the options it sets, for messages (``mode: 'cvoer' is not one of …``).
API_NAMES = {"fix-mode": "mode", "cover-anchor": "anchor", "pad-color": "pad_color",
             "jpeg-quality": "quality", "flatten": "flatten"}  # fmt: skip


def _build(config: ConfigFile, given: Mapping[str, Any]) -> Context:
    from sora_lint.host.manager import build_plugin_manager
    from sora_lint.run.runner import resolve_settings

    host = PluginHost(build_plugin_manager(plugins=(_CallTarget(),)))
    values: dict[str, Any] = {}
    for name, raw in given.items():
        if name not in host.options:
            raise UsageError(f"{name}: no loaded plugin declares this option")
        try:
            values[name] = host.options[name].convert(raw, API_NAMES.get(name, name))
        except OptionError as exc:
            raise UsageError(str(exc)) from None
    settings = resolve_settings(host, config, values)
    host.configure(settings)
    return Context(host, settings)


def _config_file(config: ConfigArg) -> ConfigFile:
    if config is None or config is False:
        return ConfigFile(None, _cwd(), {})
    if config is True:
        return find_config(_cwd())
    if isinstance(config, str | os.PathLike):
        return load_config(Path(os.fspath(config)))
    raise UsageError(f"config: expected None, True or a path, got {config!r}")


def _identity(config: ConfigFile) -> tuple[Any, ...]:
    """What tells one configuration from another: its file and that file's state."""
    if config.path is None:
        return (None, str(config.root))
    try:
        info = os.stat(config.path)
    except OSError:
        return (str(config.path), None)
    return (str(config.path), str(config.root), info.st_mtime_ns, info.st_size)


def _cwd() -> Path:
    try:
        return Path(os.getcwd())
    except OSError:  # a working directory removed under the process
        return Path(os.path.abspath(os.sep))


def asked_for(
    ctx: Context,
    model: str | None,
    size: str | Size | tuple[int, int] | None,
    ratio: str | None,
    delivery: str | None,
) -> Asked:
    """Check the call's target options as the command line's are checked (a model nobody
    registered, a size it does not take: :class:`UsageError` with the allowed values)."""
    if model is not None and (not isinstance(model, str) or not model.strip()):
        raise UsageError(f"model: expected a model name such as sora-2, got {model!r}")
    wanted = _size(size)
    named = model or ctx.settings["model"]
    check_declared(named, str(wanted) if wanted else "auto", ctx.host.profiles, "")
    params: list[tuple[str, str]] = []
    if delivery is not None:
        if delivery not in DELIVERIES:
            raise UsageError(f"delivery: {delivery!r} is not one of: {', '.join(DELIVERIES)}")
        params.append(("delivery", delivery))
    if ratio is not None:
        if not isinstance(ratio, str) or not ratio.strip():
            raise UsageError(f"ratio: expected an output ratio such as 16:9, got {ratio!r}")
        ratio = ratio.strip()
        taken = ctx.profile(named).ratios
        if taken and ratio not in taken:
            raise UsageError(
                f"ratio: {ratio!r} is not one {ctx.profile(named).name} takes; allowed: "
                f"{', '.join(taken)}"
            )
        params.append(("ratio", ratio))
    return Asked(model.strip() if model else None, wanted, tuple(params))


def _size(size: str | Size | tuple[int, int] | None) -> Size | None:
    if size is None or isinstance(size, Size):
        return size
    try:
        if isinstance(size, str):
            return Size.parse(size)
        width, height = size
        if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
            return Size(width, height)
    except (ValueError, TypeError):
        pass
    raise UsageError(f"size: expected WxH (e.g. 1280x720) or (width, height), got {size!r}")
