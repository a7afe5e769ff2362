"""Every hook sora-lint calls; a plugin implements any of them with ``@hookimpl``.

Collection hooks (``sora_lint_register_*``) return typed registration values that the host
flattens, validates and sorts, so registration order never matters. "Find the one answer"
hooks are ``firstresult``; the bundled default implementation is marked ``trylast``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pluggy

from sora_lint.config.options import OptionRegistry
from sora_lint.run.probe_reader import ProbeReader
from sora_lint.types import (
    Asset,
    Diagnostic,
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
def sora_lint_register_profiles(settings: Settings | None) -> Iterable[Profile]:
    """Return target profiles (what a model accepts), selectable with ``--model NAME``.

    :param settings: the run's settings once resolved, so a plugin can register profiles a
        team declares in config (``[tool.sora-lint.profiles.NAME]``); ``None`` before that
        (e.g. ``sora-lint profiles`` with no config). Implementations may leave it out.

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
def sora_lint_probe(
    path: Path, head: bytes, byte_size: int, reader: ProbeReader
) -> ProbeResult | None:
    """Read one file's header and say what it is; return ``None`` to let another prober try.

    Probers must never decode pixels nor start an external program, and read only through
    ``reader``, never by opening ``path`` again: it is bounded (one budget per file) and
    reads the descriptor the core checked, so a file swapped since cannot be read instead.
    Implementations may leave out any of the parameters.

    :param path: the file (already checked to be a regular file inside the tree), to name it.
    :param head: the first bytes of the file (``sora_lint.run.probing.HEAD_BYTES``, 4 KiB,
        or the whole file when it is smaller); the same as ``reader.head``.
    :param byte_size: the file's size.
    :param reader: a :class:`~sora_lint.run.probe_reader.ProbeReader`: ``read(offset, n)``
        (the first 64 KiB free, then a budget; past it ``BudgetExceeded``, and the prober
        should return ``None``), ``tail(n)``, and ``stream()`` (a capped file object, for a
        parser such as Pillow that wants one).

    Example::

        @hookimpl
        def sora_lint_probe(head, reader):
            if head[:4] != b"qoif":
                return None
            last = reader.tail(8)  # the end marker tells a whole file from a cut one
            ...
    """


@hookspec(firstresult=True)
def sora_lint_resolve_target(asset: Asset, settings: Settings) -> TargetRequest | None:
    """Say which model and size an asset must match; the first non-``None`` answer wins.

    The bundled implementation (``trylast``) reads ``--target``/``--model`` and the config's
    per-path overrides; a plugin that knows better for some assets (a job file, the file
    name) answers for those and returns ``None`` for the rest.
    """


@hookspec
def sora_lint_modify_candidates(
    settings: Settings, given: tuple[Path, ...], paths: list[Path]
) -> None:
    """Adjust the files about to be checked, in place (like pytest's ``collection_modifyitems``).

    A plugin may remove files it reads itself (a job file named on the command line, which
    is not an image) and append files to check too (the images such a job file references,
    even outside the paths given). Appended files are checked like explicit ones, except
    that ``exclude`` still applies.

    :param given: the paths on the command line, absolute (the working directory for none).
    :param paths: the files found under them (absolute, in order); mutate this list.
    """


@hookspec
def sora_lint_cache_stamp(settings: Settings) -> str | None:
    """Return what, besides an asset's content, its path and the run's settings, decides the
    target this plugin resolves for it (e.g. a hash of the job files it read); ``None`` when
    nothing else does.

    The cache keeps each file's diagnostics under the run's stamps and runs the rules again
    on its stored probe result when one changes, without reading the image. A plugin whose
    ``sora_lint_resolve_target`` reads anything else must return a stamp that changes with it.
    """


@hookspec
def sora_lint_collect_diagnostics(
    settings: Settings, given: tuple[Path, ...], profiles: Mapping[str, Profile]
) -> Iterable[Diagnostic]:
    """Return findings about the run as a whole rather than one image (a job file that does
    not parse, a job naming a missing image), reported once per run.

    Their codes must be registered rules (a rule whose ``check`` yields nothing per asset
    gives them a doc and lets ``select``/``ignore`` and ``per-file-ignores`` apply).
    Must not raise for anything a file contains: turn it into a diagnostic.

    :param given: the paths on the command line, absolute (the working directory for none).
    :param profiles: the registered profiles, to judge a job's model, duration and prompt.

    Example::

        @hookimpl
        def sora_lint_collect_diagnostics(settings, given, profiles):
            return [Diagnostic("XX100", "bad-manifest", Severity.ERROR, "…", "assets.json", 3)]
    """
    raise NotImplementedError


@hookspec
def sora_lint_run_finished(report: RunReport, settings: Settings) -> None:
    """Called once after a run, with the final report (after baseline filtering).

    For side outputs that are not the main report: a GitHub step summary, an HTML page.
    Must not raise; a failure to write its output should be reported on stderr.
    """
