"""Every hook sora-lint calls; a plugin implements any of them with ``@hookimpl``.

Collection hooks (``sora_lint_register_*``) return typed registration values that the host
flattens, validates and sorts, so registration order never matters. "Find the one answer"
hooks are ``firstresult``; the bundled default implementation is marked ``trylast``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pluggy

from sora_lint.options import OptionRegistry
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

PROJECT = "sora_lint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec(historic=True)
def sora_lint_addoption(options: OptionRegistry) -> None:
    """Declare options; each becomes a ``--flag`` and a ``[tool.sora-lint]`` key.

    :param options: the registry to ``add`` options to.

    Example::

        @hookimpl
        def sora_lint_addoption(options):
            options.add("pad-color", "fill colour", default="black", plugin="pad")
    """


@hookspec(historic=True)
def sora_lint_configure(settings: Settings) -> None:
    """Called once the settings are resolved (CLI over config over defaults).

    :param settings: the resolved settings of this run.
    """


@hookspec
def sora_lint_register_rules() -> Iterable[Rule]:
    """Return the rules this plugin provides; codes and names must be unique.

    Example::

        @hookimpl
        def sora_lint_register_rules():
            return [Rule("XX001", "too-dark", Severity.WARNING, "…", "…", check)]
    """
    raise NotImplementedError


@hookspec
def sora_lint_register_profiles() -> Iterable[Profile]:
    """Return target profiles (what a model accepts), selectable with ``--model NAME``.

    Example::

        @hookimpl
        def sora_lint_register_profiles():
            return [Profile("my-model", (Size(1024, 1024),), frozenset({"PNG"}))]
    """
    raise NotImplementedError


@hookspec
def sora_lint_register_reporters() -> Iterable[Reporter]:
    """Return output formats, selectable with ``--output-format NAME``."""
    raise NotImplementedError


@hookspec
def sora_lint_register_fixers() -> Iterable[Fixer]:
    """Return fixers, which attach fixes to diagnostics and apply the allowed ones."""
    raise NotImplementedError


@hookspec(firstresult=True)
def sora_lint_probe(path: Path, head: bytes, byte_size: int) -> ProbeResult | None:
    """Read one file's header and say what it is; return ``None`` to let another prober try.

    Probers must never decode pixels nor start an external program, and must read a bounded
    amount: ``head`` holds the first bytes of the file (up to 64 KiB), ``byte_size`` its size.

    :param path: the file (already checked to be a regular file inside the tree).
    """


@hookspec(firstresult=True)
def sora_lint_resolve_target(asset: Asset, settings: Settings) -> TargetRequest | None:
    """Say which model and size an asset must match; the first non-``None`` answer wins.

    The bundled implementation (``trylast``) reads ``--target``/``--model`` and the config's
    per-path overrides; a plugin that knows better for some assets (a job file, the file
    name) answers for those and returns ``None`` for the rest.
    """


@hookspec
def sora_lint_run_finished(report: RunReport, settings: Settings) -> None:
    """Called once after a run, with the final report (after baseline filtering).

    For side outputs that are not the main report: a GitHub step summary, an HTML page.
    Must not raise; a failure to write its output should be reported on stderr.
    """
