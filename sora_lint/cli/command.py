"""``sora-lint``: the command. ``main(argv) -> int`` never lets a traceback reach the user."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from sora_lint.cli.arguments import COMMANDS, build_parser, cli_values, preparse_plugins
from sora_lint.cli.info import show_profiles, show_rule, show_rules
from sora_lint.config.files import ConfigFile, find_config, load_config
from sora_lint.errors import SoraLintError
from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.parallel.pool import worker_spec
from sora_lint.run import pipeline
from sora_lint.run.baseline import baseline_report
from sora_lint.run.runner import (
    build_session,
    collect_candidates,
    exit_code,
    resolve_settings,
    run,
)
from sora_lint.types import RunReport, Settings


def main(argv: Sequence[str] | None = None, plugins: Sequence[Any] = ()) -> int:
    """Run sora-lint with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    :param plugins: plugin objects to register in addition to the installed ones.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with fewer_collections():
            return _main(args, plugins)
    except SoraLintError as exc:
        print(f"sora-lint: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sora-lint: interrupted", file=sys.stderr)
        return 130


#: The garbage collector's first threshold during a run (Python's default is 700).
GC_THRESHOLD = 50_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage far less often during a run (forked workers inherit it).

    A run allocates hundreds of thousands of small acyclic objects (headers, diagnostics,
    paths) that live to the end; Python's default collects every 700 allocations and keeps
    re-scanning them. Cycles are still collected, just in larger batches.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(GC_THRESHOLD, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _main(args: list[str], plugins: Sequence[Any]) -> int:
    disabled, modules, config_path, isolated = preparse_plugins(args)
    pm = build_plugin_manager(disabled=disabled, extra_modules=modules, plugins=plugins)
    host = PluginHost(pm)
    parser = build_parser(host.options)
    if args and args[0] in COMMANDS:
        if args[0] == "profiles" and not isolated:  # list the profiles config declares too
            found = load_config(Path(config_path)) if config_path else find_config(Path.cwd())
            resolve_settings(host, found, {})
        return _info_command(args, host)
    namespace = parser.parse_args(args)
    cwd = Path.cwd()
    if isolated:
        config = ConfigFile(None, cwd, {})
    elif config_path is not None:
        config = load_config(Path(config_path))
    else:
        config = find_config(cwd)
    settings = resolve_settings(host, config, cli_values(namespace, host.options))
    host.configure(settings)
    paths = namespace.paths or ["."]
    session = build_session(host, settings, paths, cwd)
    candidates = pipeline.shard(collect_candidates(session, paths, cwd), session)
    spec = worker_spec(disabled, modules, plugins, settings, paths, cwd)
    result = run(session, candidates, pipeline.iter_outcomes(session, candidates, spec, cwd))
    report = baseline_report(result.report, checked_paths=[c.display for c in candidates])
    _write_reports(host, report, settings)
    host.run_finished(report, settings)
    return exit_code(report, settings)


def _info_command(args: list[str], host: PluginHost) -> int:
    command, rest = args[0], [a for a in args[1:] if not a.startswith("-p")]
    as_json = "--output-format" in rest and "json" in rest
    rest = [a for a in rest if a not in ("--output-format", "json", "text")]
    if command == "rules":
        return show_rules(host, as_json, sys.stdout)
    if command == "profiles":
        return show_profiles(host, as_json, sys.stdout)
    if not rest:
        raise SoraLintError("rule: give a rule code or name, e.g. `sora-lint rule SL001`")
    return show_rule(host, rest[0], sys.stdout)


def _write_reports(host: PluginHost, report: RunReport, settings: Settings) -> None:
    reporters = host.reporters
    main_format = settings["output-format"]
    output_file = settings.get("output-file")
    if output_file:
        _write_to(Path(output_file), reporters[main_format].write, report)
    else:
        reporters[main_format].write(report, sys.stdout)
        sys.stdout.flush()
    for spec in settings["output"]:
        name, path = spec.split(":", 1)
        _write_to(Path(path), reporters[name].write, report)


def _write_to(path: Path, write: Any, report: RunReport) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            stream: TextIO = handle
            write(report, stream)
    except OSError as exc:
        raise SoraLintError(f"cannot write report {path}: {exc.strerror}") from None


def console_main() -> None:
    """Entry point of the ``sora-lint`` script."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        code = 1
    sys.exit(code)
