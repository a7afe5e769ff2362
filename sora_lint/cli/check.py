"""``sora-lint check``: settings, the files, the run, the report, the exit code."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from sora_lint.cli.arguments import cli_values
from sora_lint.config.files import ConfigFile, find_config, load_config
from sora_lint.errors import UsageError
from sora_lint.host.plugin_host import PluginHost
from sora_lint.output.escape import visible_text
from sora_lint.run import pipeline
from sora_lint.run.baseline import baseline_report
from sora_lint.run.engine import FileOutcome
from sora_lint.run.runner import (
    build_session,
    collect_candidates,
    exit_code,
    resolve_settings,
    run,
)
from sora_lint.types import Diagnostic, FixResult, RunReport, Settings

if TYPE_CHECKING:
    from sora_lint.parallel.pool import WorkerSpec


def run_config(namespace: argparse.Namespace, cwd: Path) -> ConfigFile:
    """The configuration a command uses: none (``--isolated``), ``--config``, or the nearest."""
    if getattr(namespace, "isolated", False):
        return ConfigFile(None, cwd, {})
    if getattr(namespace, "config", None) is not None:
        return load_config(Path(namespace.config))
    return find_config(cwd)


#: Writes a finished run's reports (stdout and files): ``command._write_reports``.
WriteReports = Callable[[PluginHost, RunReport, Settings], None]


def check_command(
    namespace: argparse.Namespace,
    host: PluginHost,
    plugin_spec: tuple[Sequence[str], Sequence[str], Sequence[Any]],
    write_reports: WriteReports,
) -> int:
    """Run ``check``; ``plugin_spec`` is (disabled, modules, plugin objects), for workers."""
    cwd = Path.cwd()
    config = run_config(namespace, cwd)
    settings = resolve_settings(host, config, cli_values(namespace, host.options))
    if namespace.show_settings:
        from sora_lint.cli.showing import show_settings

        return show_settings(settings, config, host.options, cwd, sys.stdout)
    host.configure(settings)
    paths = namespace.paths or ["."]
    session = build_session(host, settings, paths, cwd)
    found = pipeline.shard(collect_candidates(session, paths, cwd), session)
    candidates = sorted(found, key=lambda c: c.display)
    if namespace.show_files:
        from sora_lint.cli.showing import show_files

        if not candidates:
            _warn_no_files(settings)
        return show_files(candidates, sys.stdout)
    _check_statistics(host, settings)

    def spec() -> WorkerSpec | None:
        from sora_lint.parallel.pool import worker_spec  # only a run that starts workers

        return worker_spec(*plugin_spec, settings, paths, cwd)

    rewrites = Rewrites()
    outcomes = rewrites.watch(pipeline.iter_outcomes(session, candidates, spec, cwd))
    try:
        with rewrites.deferring_interrupts(session.fixing and not settings.get("diff")):
            result = run(session, candidates, outcomes)
    except KeyboardInterrupt:
        raise KeyboardInterrupt(rewrites.message()) from None
    report = in_order(baseline_report(result.report, [c.display for c in candidates]))
    if not result.report.files_checked and not result.report.diagnostics:
        _warn_no_files(settings)
    write_reports(host, report, settings)
    host.run_finished(report, settings)
    return exit_code(report, settings)


def _warn_no_files(settings: Settings) -> None:
    if not settings.get("quiet"):
        print(
            "sora-lint: warning: no files to check under the given paths (see --show-files)",
            file=sys.stderr,
        )


def _check_statistics(host: PluginHost, settings: Settings) -> None:
    """``--statistics`` replaces the main report: its format must have a statistics form."""
    if not settings.get("statistics"):
        return
    name = settings["output-format"]
    if host.reporters[name].statistics is None:
        able = ", ".join(n for n, r in host.reporters.items() if r.statistics is not None)
        raise UsageError(
            f"statistics: --output-format {name} has no statistics form; use one of: {able} "
            "(or --no-statistics)"
        )


def diagnostic_order(d: Diagnostic) -> tuple[str, int, str]:
    return (d.path, d.line if d.line is not None else 0, d.code)


def in_order(report: RunReport) -> RunReport:
    """The report with findings sorted by path, then line, then code (once, for every
    format: reporters keep the order they are given), and fixed files by path."""
    return dataclasses.replace(
        report,
        diagnostics=tuple(sorted(report.diagnostics, key=diagnostic_order)),
        fixed=tuple(sorted(report.fixed, key=lambda r: r.path)),
    )


class Rewrites:
    """The files a ``--fix`` run has rewritten so far, to name them if it is interrupted.

    A file is rewritten before its outcome reaches this process, so a Ctrl-C during a fix run
    is held until the file being fixed is done and counted (a second Ctrl-C stops at once).
    """

    def __init__(self) -> None:
        self.done: list[FixResult] = []
        self.requested = False

    def watch(self, outcomes: Iterable[FileOutcome]) -> Iterator[FileOutcome]:
        for outcome in outcomes:
            fixed = outcome.fixed
            if fixed is not None and fixed.written is not None:  # None: a --diff run
                self.done.append(fixed)
            if self.requested:
                raise KeyboardInterrupt
            yield outcome

    @contextlib.contextmanager
    def deferring_interrupts(self, enabled: bool) -> Iterator[None]:
        """Hold SIGINT until the next outcome (only in the main thread, where Python runs
        signal handlers: elsewhere ``signal.signal`` refuses, and Ctrl-C stays as it is)."""
        if not enabled:
            yield
            return
        import signal  # fix runs only: a check run does not load it

        try:
            previous = signal.signal(signal.SIGINT, self._interrupt)
        except ValueError:  # not the main thread
            previous = False
        try:
            yield
        finally:
            if previous is not False:
                signal.signal(signal.SIGINT, previous)

    def _interrupt(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt  # the second Ctrl-C: stop now
        self.requested = True
        print(
            "sora-lint: stopping after the file being fixed (Ctrl-C again to stop now)",
            file=sys.stderr,
            flush=True,
        )

    def message(self) -> str:
        """``interrupted`` and, when files were already rewritten, which ones."""
        if not self.done:
            return "interrupted"
        count = len(self.done)
        lines = [f"interrupted after rewriting {count} file{'' if count == 1 else 's'}:"]
        for result in sorted(self.done, key=lambda r: r.path):
            where = visible_text(result.path)
            written = os.path.relpath(result.written or result.path)
            if os.path.normpath(written) != os.path.normpath(result.path):
                where += f" (written to {visible_text(written)})"
            lines.append(f"  {where}: {result.old_size} -> {result.new_size}")
        return "\n".join(lines)
