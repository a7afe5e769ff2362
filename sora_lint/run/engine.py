"""One way through: probe → resolve target → check → attach fixes → apply fixes → report.

A file's outcome is worked out in one place, :func:`process_file`, whoever asks: the run in
this process, a worker, the cache (which hands over the probe result it kept, so the file is
not read again). Results stream back in a stable order.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from sora_lint.errors import PluginError, SoraLintError
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run import reuse
from sora_lint.run.discovery import Candidate, Selection
from sora_lint.run.probing import probe_file
from sora_lint.run.rule_selection import PerFileIgnores
from sora_lint.run.targeting import build_target
from sora_lint.types import (
    Asset,
    CheckContext,
    Diagnostic,
    Fixer,
    FixResult,
    Rule,
    Settings,
    Target,
    TargetRequest,
)


@dataclass(frozen=True)
class Session:
    """What every file of a run is checked with."""

    host: PluginHost
    settings: Settings
    selection: Selection
    roots: tuple[Path, ...]
    enabled: frozenset[str]
    per_file_ignores: PerFileIgnores
    given: tuple[Path, ...] = ()  # the paths on the command line, absolute

    @functools.cached_property
    def fixing(self) -> bool:
        s = self.settings
        return bool(s.get("fix") or s.get("diff") or s.get("fix-to"))

    @functools.cached_property
    def keeps_assets(self) -> bool:
        """Whether every outcome keeps its probe result, findings or not: the cache stores
        each file's (a clean file's too, so a re-run need not read it)."""
        return not self.settings.get("no-cache")

    @functools.cached_property
    def rules(self) -> tuple[Rule, ...]:
        """The enabled rules, in registration order (worked out once, not per file)."""
        return tuple(rule for code, rule in self.host.rules.items() if code in self.enabled)

    @functools.cached_property
    def checks(self) -> tuple[Callable[[CheckContext], Iterable[Diagnostic]], ...]:
        """Each enabled rule's check function, in the same order."""
        return tuple(rule.check for rule in self.rules)

    @functools.cached_property
    def pure_checks(self) -> tuple[Callable[[CheckContext], Iterable[Diagnostic]], ...]:
        """The check functions of the enabled rules that are ``pure`` (run once per kind of
        file, see :mod:`sora_lint.run.reuse`); empty when findings cannot be reused."""
        if self.per_file_ignores.entries:
            return ()  # which rules run depends on the path
        return tuple(rule.check for rule in self.rules if rule.pure)

    @functools.cached_property
    def other_checks(self) -> tuple[Callable[[CheckContext], Iterable[Diagnostic]], ...]:
        """The check functions of the other enabled rules (run for every file)."""
        return tuple(rule.check for rule in self.rules if not rule.pure)

    @functools.cached_property
    def rule_order(self) -> dict[str, int]:
        return {rule.code: index for index, rule in enumerate(self.rules)}

    @functools.cached_property
    def fixers_pure(self) -> bool:
        return all(fixer.pure for fixer in self.host.fixers.values())

    @functools.cached_property
    def known(self) -> dict[reuse.Kind, reuse.Known]:
        """The findings of each kind of file checked so far (:mod:`sora_lint.run.reuse`)."""
        return {}

    @functools.cached_property
    def grow(self) -> bool:
        """Whether targets of open-ended profiles may grow the image (the pad fix does)."""
        return bool(self.settings.get("fix-mode", "pad") == "pad")


class FileOutcome(NamedTuple):
    """What happened to one file; the asset is kept only when something was found.

    A named tuple, not a dataclass: one is made per file, in workers and in the main
    process, and a tuple is several times cheaper to build than a frozen dataclass.
    """

    display: str
    diagnostics: tuple[Diagnostic, ...]
    asset: Asset | None = None
    fixed: FixResult | None = None
    held_back_by: tuple[str, ...] = ()
    fix_error: str | None = None
    fix_skipped: str | None = None
    resolved: tuple[Diagnostic, ...] = ()  # the findings a written fix made go away

    @property
    def held_back(self) -> int:
        """How many fixes were not applied for want of an opt-in flag."""
        return len(self.held_back_by)


def check_asset(asset: Asset, session: Session) -> tuple[CheckContext, list[Diagnostic]]:
    """Resolve the asset's target, run every enabled rule not ignored for it, and attach the
    fixers' proposals to what was found; a plugin's crash is exit 2 naming it."""
    try:
        return _check(asset, session)
    except SoraLintError:
        raise
    except Exception as exc:
        raise PluginError(
            f"{_blame(exc, session)} failed on {asset.display}: {type(exc).__name__}: {exc}"
        ) from exc


def _blame(exc: BaseException, session: Session) -> str:
    """The rule, fixer or target resolver whose code raised ``exc`` (the outermost one)."""
    names: dict[object, str] = {}
    for rule in session.rules:
        names[getattr(rule.check, "__code__", None)] = f"rule {rule.code} ({rule.name})"
    for fixer in session.host.fixers.values():
        names[getattr(fixer.propose, "__code__", None)] = f"fixer {fixer.name!r}"
    names.pop(None, None)
    trace = exc.__traceback__
    while trace is not None:
        found = names.get(trace.tb_frame.f_code)
        if found is not None:
            return found
        trace = trace.tb_next
    return "a plugin (target resolver, rule or fixer)"


def _check(asset: Asset, session: Session) -> tuple[CheckContext, list[Diagnostic]]:
    request = session.host.resolve_target(asset, session.settings)
    if session.pure_checks:
        try:
            kind = reuse.kind_of(asset, request)
            known = session.known.get(kind)
        except TypeError:  # a plugin's header or request that cannot be hashed
            pass
        else:
            return _check_reusing(asset, request, kind, known, session)
    target: Target | None = None
    if request is not None:
        target = build_target(request, session.host.profiles, asset.header, grow=session.grow)
    ctx = CheckContext(asset, target, session.settings)
    found: list[Diagnostic]
    ignores = session.per_file_ignores
    if ignores.entries:
        relative = session.selection.relative(asset.path)
        found = []
        for rule in session.rules:
            if not ignores.ignored(relative, rule.code):
                found.extend(rule.check(ctx))
    else:  # most rules find nothing and return (): one comprehension, no call per rule
        found = [d for result in [check(ctx) for check in session.checks] if result for d in result]
    return ctx, _with_fixes(found, ctx, session.host.fixers)


def _check_reusing(
    asset: Asset,
    request: TargetRequest | None,
    kind: reuse.Kind,
    known: reuse.Known | None,
    session: Session,
) -> tuple[CheckContext, list[Diagnostic]]:
    """:func:`check_asset` with the pure rules' findings (and their fixes) of ``kind`` worked
    out once and moved to each later file of that kind."""
    settings, fixers, display = session.settings, session.host.fixers, asset.display
    if known is None:
        target = None
        if request is not None:
            target = build_target(request, session.host.profiles, asset.header, grow=session.grow)
        ctx = CheckContext(asset, target, settings)
        found = [d for result in [check(ctx) for check in session.pure_checks] if result
                 for d in result]  # fmt: skip
        fixed = tuple(_with_fixes(found, ctx, fixers)) if session.fixers_pure else None
        if reuse.reusable(found, display) and len(session.known) < reuse.MAX_KINDS:
            session.known[kind] = reuse.Known(target, tuple(found), fixed)
        shown_at = display  # found here: nothing to move
    else:
        ctx = CheckContext(asset, known.target, settings)
        found, fixed = list(known.found), known.fixed
        shown_at = found[0].path if found else display
    others: list[Diagnostic] = []
    for check in session.other_checks:  # one or two, mostly finding nothing: a plain loop
        result = check(ctx)
        if result:
            others.extend(result)
    if not others and fixed is not None:
        return ctx, reuse.moved(fixed, display) if shown_at != display else list(fixed)
    if shown_at != display:
        found = reuse.moved(found, display)
    if others:
        found = reuse.in_rule_order(found + others, session.rule_order)
    return ctx, _with_fixes(found, ctx, fixers)


def _with_fixes(
    found: list[Diagnostic], ctx: CheckContext, fixers: Mapping[str, Fixer]
) -> list[Diagnostic]:
    if not found or not fixers:
        return found
    from sora_lint.fix import fixing  # only when there is something to fix: it imports Pillow

    return fixing.attach_fixes(found, ctx, fixers)


def probe(candidate: Candidate, session: Session) -> Asset:
    """The first step of :func:`process_file`: read the file's header (a worker of a check run
    does only this, and the main process checks what it found)."""
    return probe_file(candidate.path, candidate.display, session.host, session.roots,
                      candidate.file)  # fmt: skip


def process_file(
    candidate: Candidate, session: Session, probed: Asset | None = None
) -> FileOutcome:
    """Probe, check and (when the run fixes) fix one file; anything a file contains becomes a
    value. ``probed`` is a probe result kept by the cache or found by a worker: then the file
    is not read."""
    asset = probe(candidate, session) if probed is None else probed
    ctx, diagnostics = check_asset(asset, session)
    if not diagnostics or not session.fixing or not session.host.fixers:
        kept = asset if diagnostics or session.keeps_assets else None
        return FileOutcome(candidate.display, tuple(diagnostics), kept)
    return _fixed(candidate, session, ctx, diagnostics)


def recheck(asset: Asset, candidate: Candidate, session: Session) -> FileOutcome:
    """:func:`process_file` of a file whose probe result the cache kept (the signature the
    cache calls)."""
    return process_file(candidate, session, asset)


def _fixed(
    candidate: Candidate, session: Session, ctx: CheckContext, diagnostics: list[Diagnostic]
) -> FileOutcome:
    """Fix the file and check what was written (the outcome a fix run reports)."""
    from sora_lint.fix import fixing  # a fix run: Pillow is needed anyway

    asset = ctx.asset
    outcome = fixing.fix_asset(ctx, diagnostics, session.host.fixers, session.settings)
    result = outcome.result
    resolved: tuple[Diagnostic, ...] = ()
    if result is not None and result.written is not None:
        rechecked = probe_file(result.written, candidate.display, session.host, session.roots)
        asset = dataclasses.replace(rechecked, path=asset.path)
        before = diagnostics
        _, diagnostics = check_asset(asset, session)
        resolved = _gone(before, diagnostics)
    return FileOutcome(
        display=candidate.display,
        diagnostics=tuple(diagnostics),
        asset=asset if diagnostics or result is not None else None,
        fixed=result,
        held_back_by=outcome.held_back_by,
        fix_error=outcome.error,
        fix_skipped=outcome.skipped,
        resolved=resolved,
    )


def _gone(before: Sequence[Diagnostic], after: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The findings of ``before`` that ``after`` no longer has, counted per rule (a fix
    changes the message, so only the code tells a finding that stayed)."""
    left = Counter(d.code for d in after)
    gone = []
    for d in before:
        if left[d.code]:
            left[d.code] -= 1
        else:
            gone.append(d)
    return tuple(gone)


def process_all(candidates: Sequence[Candidate], session: Session) -> Iterator[FileOutcome]:
    """Process files in order in this process (the parallel runner wraps this per worker)."""
    for candidate in candidates:
        yield process_file(candidate, session)
