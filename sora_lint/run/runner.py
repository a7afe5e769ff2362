"""Resolve settings (CLI over config over defaults), check them, run, and pick the exit code."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sora_lint.config.files import ConfigFile, config_values
from sora_lint.config.suggest import did_you_mean
from sora_lint.errors import ConfigError, UsageError
from sora_lint.filesystem.paths import is_inside
from sora_lint.filesystem.tree import remember_tree, tree_roots
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.discovery import Candidate, Selection, check_paths_exist, iter_candidates
from sora_lint.run.engine import FileOutcome, Session, process_all
from sora_lint.run.rule_selection import PerFileIgnores, check_selectors, enabled_codes
from sora_lint.run.targeting import check_declared
from sora_lint.types import Asset, Diagnostic, FixResult, RunReport, Settings, Severity


def resolve_settings(host: PluginHost, config: ConfigFile, cli: Mapping[str, Any]) -> Settings:
    """Merge and validate: every value that names a plugin thing is checked against it."""
    values = host.options.defaults()
    values.update(config_values(config, host.options))
    values.update(cli)
    values["root"] = str(config.root)
    values["config-file"] = str(config.path) if config.path else None
    values["cli-keys"] = tuple(sorted(cli))
    settings = Settings(values)
    host.use_settings(settings)  # profiles declared in config must exist before validating
    _validate(host, settings, config)
    return settings


def _validate(host: PluginHost, settings: Settings, config: ConfigFile) -> None:
    profiles = host.profiles
    check_declared(settings["model"], settings["target"], profiles, "")
    for override in settings["overrides"]:
        where = f"{config.label}: overrides[{override.index}]."
        model = override.model or settings["model"]
        check_declared(model, override.target or "auto", profiles, where)
    codes = host.rules.keys()
    for key in ("select", "extend-select", "ignore"):
        check_selectors(settings[key], codes, key)
    for glob, selectors in settings["per-file-ignores"].items():
        check_selectors(selectors, codes, f"per-file-ignores[{glob!r}]")
    reporters = host.reporters
    formats = [settings["output-format"]] + [spec.split(":", 1)[0] for spec in settings["output"]]
    for name in formats:
        if name not in reporters:
            hint = did_you_mean(name, reporters)
            raise UsageError(
                f"output-format: unknown format {name!r}{hint}; allowed: {', '.join(reporters)}"
            )
    for spec in settings["output"]:
        if ":" not in spec or not spec.split(":", 1)[1]:
            raise UsageError(f"--output {spec!r}: expected FORMAT:PATH, e.g. sarif:results.sarif")


def build_session(host: PluginHost, settings: Settings, paths: Sequence[str], cwd: Path) -> Session:
    root = Path(settings["root"])
    check_config_paths(settings)
    selection = Selection.build(
        root=root,
        extensions=settings["extensions"],
        include=settings["include"],
        exclude=settings["exclude"],
        respect_gitignore=settings["respect-gitignore"],
    )
    codes = host.rules.keys()
    select = tuple(settings["select"]) + tuple(settings["extend-select"])
    roots = tree_roots(root, settings.get("config-file") is not None, paths, cwd)
    remember_tree(settings, roots)  # a fix, which gets only the settings, checks against it
    return Session(
        host=host,
        settings=settings,
        selection=selection,
        roots=roots,
        enabled=enabled_codes(codes, select, settings["ignore"]),
        per_file_ignores=PerFileIgnores.build(settings["per-file-ignores"]),
        given=tuple(Path(os.path.abspath(cwd / raw)) for raw in paths),
    )


#: Settings that name a file or folder sora-lint writes or reads besides the images.
_CONFIG_PATHS = ("fix-to", "baseline", "report")


def check_config_paths(settings: Settings) -> None:
    """A path a configuration file names must lie inside the project root (symlinks
    followed): the repository's config must not aim a write or a read elsewhere. The same
    option given on the command line may name any path."""
    root = Path(str(settings["root"]))
    given = set(settings.get("cli-keys") or ())
    for key in _CONFIG_PATHS:
        value = settings.get(key)
        if not value or key in given:
            continue
        if not is_inside(root / str(value), root):
            raise ConfigError(
                f"{key}: {value} lies outside the project root {root}; a configuration file "
                f"may only name paths inside it (give --{key} on the command line instead)"
            )


@dataclass(frozen=True)
class RunResult:
    report: RunReport
    exit_code: int


def collect_candidates(session: Session, paths: Sequence[str], cwd: Path) -> list[Candidate]:
    check_paths_exist(paths, cwd)
    found = list(iter_candidates(paths, cwd, session.selection))
    return _modified_candidates(session, found, cwd)


def _modified_candidates(session: Session, found: list[Candidate], cwd: Path) -> list[Candidate]:
    """Let plugins drop files they read themselves and add files to check (job images)."""
    listed = [c.path for c in found]
    paths = session.host.modify_candidates(session.settings, session.given, listed)
    if len(paths) == len(found) and all(p is c.path for p, c in zip(paths, found, strict=True)):
        return found  # no plugin changed anything: spare hashing every path
    known = {c.path: c for c in found}
    result: list[Candidate] = []
    for path in dict.fromkeys(paths):
        if path in known:
            result.append(known[path])
        elif not session.selection.excluded(path):
            result.append(Candidate(path, os.path.relpath(path, cwd), True, str(path)))
    return result


def session_diagnostics(session: Session) -> list[Diagnostic]:
    """Run-level findings (job files), filtered by select/ignore and per-file-ignores."""
    kept = []
    for d in session.host.collect_diagnostics(session.settings, session.given):
        if d.code not in session.enabled:
            continue
        shown = [d.path] + ([d.asset] if d.asset else [])
        relatives = [session.selection.relative(Path(os.path.abspath(p))) for p in shown]
        if any(session.per_file_ignores.ignored(rel, d.code) for rel in relatives):
            continue
        kept.append(d)
    return kept


def run(
    session: Session, candidates: Sequence[Candidate], outcomes: Iterable[FileOutcome] | None = None
) -> RunResult:
    """Gather the outcomes into a report and decide the exit code."""
    if outcomes is None:
        outcomes = process_all(candidates, session)
    diagnostics: list[Diagnostic] = session_diagnostics(session)
    assets: list[Asset] = []
    fixed: list[FixResult] = []
    held_back: Counter[str] = Counter()
    fix_notes: list[str] = []
    resolved: list[Diagnostic] = []
    for outcome in outcomes:
        diagnostics.extend(outcome.diagnostics)
        if outcome.resolved:
            resolved.extend(outcome.resolved)
        if outcome.asset is not None and outcome.diagnostics:
            assets.append(outcome.asset)
        if outcome.fixed is not None:
            fixed.append(outcome.fixed)
        if outcome.held_back_by:  # a Counter's update costs a microsecond even when empty
            held_back.update(outcome.held_back_by)
        if outcome.fix_error:
            fix_notes.append(
                f"{outcome.display}: fix failed, file left unchanged: {outcome.fix_error}"
            )
        elif outcome.fix_skipped and outcome.diagnostics:
            fix_notes.append(f"{outcome.display}: not fixed: {outcome.fix_skipped}")
    settings = session.settings
    hints = fix_notes + [
        f"{count} more fix{'es' if count != 1 else ''} available with {flag}"
        for flag, count in sorted(held_back.items())
    ]
    report = RunReport(
        diagnostics=tuple(diagnostics),
        files_checked=len(candidates) + _other_files(diagnostics, candidates),
        fixed=tuple(fixed),
        settings=settings,
        rules=session.host.rules,
        fixers=session.host.fixers,
        hints=tuple(hints),
        assets=tuple(assets),
        resolved=tuple(resolved),
    )
    return RunResult(report, exit_code(report, settings))


def _other_files(diagnostics: Sequence[Diagnostic], candidates: Sequence[Candidate]) -> int:
    """Files reported on that were not probed as images (job files), so the summary's
    "in N of M files" counts them."""
    shown = {c.display for c in candidates}
    return len({d.path for d in diagnostics if d.asset is None and d.path not in shown})


def exit_code(report: RunReport, settings: Settings) -> int:
    """1 when a diagnostic at or above ``fail-on`` remains (or a dry run would change files)."""
    if settings.get("diff") and report.fixed:
        return 1
    if settings.get("exit-non-zero-on-fix") and report.fixed and not settings.get("diff"):
        return 1
    if settings["exit-zero"]:
        return 0
    failing = {Severity.ERROR} | ({Severity.WARNING} if settings["fail-on"] == "warning" else set())
    return 1 if any(d.severity in failing for d in report.diagnostics) else 0
