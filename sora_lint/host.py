"""A typed facade over ``pm.hook``: the core never calls an untyped hook directly.

Registrations are flattened, checked for duplicate names (naming both plugins) and sorted,
so the order in which plugins registered never changes the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pluggy

from sora_lint.core_options import declare_core_options
from sora_lint.errors import PluginError
from sora_lint.options import OptionError, OptionRegistry
from sora_lint.types import (
    Asset,
    Fixer,
    ProbeResult,
    Profile,
    Reporter,
    Rule,
    RunReport,
    Settings,
    TargetRequest,
)

T = TypeVar("T")


class PluginHost:
    """Everything the plugins registered, plus the two "find the one answer" hooks."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    @cached_property
    def options(self) -> OptionRegistry:
        registry = OptionRegistry()
        try:
            declare_core_options(registry)
            self.pm.hook.sora_lint_addoption.call_historic(kwargs={"options": registry})
        except OptionError as exc:
            raise PluginError(str(exc)) from None
        return registry

    @cached_property
    def rules(self) -> dict[str, Rule]:
        rules = self._collect("sora_lint_register_rules", lambda r: r.code, Rule)
        by_name: dict[str, str] = {}
        for rule in rules.values():
            if rule.name in by_name:
                raise PluginError(
                    f"rule name {rule.name!r} used by {by_name[rule.name]} and {rule.code}"
                )
            by_name[rule.name] = rule.code
        return rules

    @cached_property
    def profiles(self) -> dict[str, Profile]:
        return self._collect("sora_lint_register_profiles", lambda p: p.name, Profile)

    @cached_property
    def reporters(self) -> dict[str, Reporter]:
        return self._collect("sora_lint_register_reporters", lambda r: r.name, Reporter)

    @cached_property
    def fixers(self) -> dict[str, Fixer]:
        return self._collect("sora_lint_register_fixers", lambda f: f.name, Fixer)

    def configure(self, settings: Settings) -> None:
        self.pm.hook.sora_lint_configure.call_historic(kwargs={"settings": settings})

    def run_finished(self, report: RunReport, settings: Settings) -> None:
        self.pm.hook.sora_lint_run_finished(report=report, settings=settings)

    def probe(self, path: Path, head: bytes, byte_size: int) -> ProbeResult | None:
        result: ProbeResult | None = self.pm.hook.sora_lint_probe(
            path=path, head=head, byte_size=byte_size
        )
        return result

    def resolve_target(self, asset: Asset, settings: Settings) -> TargetRequest | None:
        result: TargetRequest | None = self.pm.hook.sora_lint_resolve_target(
            asset=asset, settings=settings
        )
        return result

    def _collect(self, hook_name: str, key: Callable[[T], str], kind: type[T]) -> dict[str, T]:
        found: dict[str, tuple[T, str]] = {}
        hook = getattr(self.pm.hook, hook_name)
        for impl in reversed(hook.get_hookimpls()):
            plugin_name = self.pm.get_name(impl.plugin) or repr(impl.plugin)
            try:
                items: Iterable[Any] = impl.function() or ()
                items = list(items)
            except Exception as exc:
                raise PluginError(f"plugin {plugin_name!r} failed in {hook_name}: {exc}") from exc
            for item in items:
                if not isinstance(item, kind):
                    raise PluginError(
                        f"plugin {plugin_name!r} returned {type(item).__name__} from {hook_name}; "
                        f"expected {kind.__name__}"
                    )
                name = key(item)
                if name in found:
                    other = found[name][1]
                    raise PluginError(
                        f"{kind.__name__.lower()} {name!r} is registered by both {other!r} "
                        f"and {plugin_name!r}"
                    )
                found[name] = (item, plugin_name)
        return {name: found[name][0] for name in sorted(found)}
