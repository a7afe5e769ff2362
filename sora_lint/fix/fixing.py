"""The fix pipeline: attach fixes to diagnostics, choose the allowed ones, apply them safely.

Which fixes apply (ruff's applicability, plus the user's explicit choices):

* A diagnostic's candidate fixes are its non-display-only fixes. The one whose fixer is the
  ``fix-mode`` is chosen; otherwise the first safe one; otherwise the first unsafe one.
* A chosen **safe** fix is applied. A chosen **unsafe** fix is applied when the user chose
  that fixer (``--fix-mode cover``/``stretch``, on the CLI or in config), or when its
  ``data["opt_in"]`` names a flag that is set (``flatten`` for SL009), or, for unsafe fixes
  with no such flag, with ``--unsafe-fixes``. Anything else is held back and counted for
  the "N more fixable with …" hint. **Display-only** fixes are never applied.
* Assets with SL002/SL004/SL010/SL011, a probe problem, a format outside JPEG/MPO/PNG/WebP
  or several frames (other than MPO) are never opened here.

Fix ``data`` conventions a fixer may use: ``target`` ([w, h], the exact size it produces:
checked after ``apply``), ``decode_floor`` ([w, h] upright: the smallest decode that keeps
full quality, letting JPEGs decode at a reduced DCT scale), ``resize`` (true for the size
fix, applied after the others), ``opt_in`` (see above). ``apply`` may put a dict under
``image.info["sora-lint"]`` on the image it returns; it is merged into the result details.

Everything here is module-level and takes picklable values, so the engine can run
:func:`fix_asset` in a process pool.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sora_lint.config.fix_options import declare_fix_options
from sora_lint.types import (
    Applicability,
    CheckContext,
    Diagnostic,
    Fix,
    Fixer,
    FixResult,
    Settings,
    Size,
)

__all__ = [
    "FixOutcome",
    "FixPlan",
    "attach_fixes",
    "declare_fix_options",
    "fix_asset",
    "plan_fixes",
    "propose_fixes",
]  # fmt: skip

#: Rules whose assets a fix never touches: not an accepted format, unreadable, a pixel
#: bomb, a Git LFS pointer.
NEVER_FIX: frozenset[str] = frozenset({"SL002", "SL004", "SL010", "SL011"})
SIZE_CODE = "SL001"
#: The formats a fix may decode and re-encode; anything else is never opened for a fix.
FIXABLE_FORMATS: tuple[str, ...] = ("JPEG", "MPO", "PNG", "WEBP")


def propose_fixes(
    diagnostic: Diagnostic, ctx: CheckContext, fixers: Mapping[str, Fixer]
) -> Diagnostic:
    """Return ``diagnostic`` with every fixer's proposal attached (in fixer-name order)."""
    found: list[Fix] = []
    for fixer in fixers.values():  # a plain loop: this runs for every finding of a check run
        fix = fixer.propose(diagnostic, ctx)
        if fix is not None:
            found.append(fix)
    if not found:
        return diagnostic
    return with_fixes(diagnostic, (*diagnostic.fixes, *found))


def with_fixes(diagnostic: Diagnostic, fixes: tuple[Fix, ...]) -> Diagnostic:
    """``diagnostic`` with ``fixes``."""
    return dataclasses.replace(diagnostic, fixes=fixes)


def attach_fixes(
    diagnostics: Sequence[Diagnostic], ctx: CheckContext, fixers: Mapping[str, Fixer]
) -> list[Diagnostic]:
    """Every diagnostic with its proposals; an asset that is never rewritten (an unsupported
    format, an animation, a bomb…) keeps only display-only suggestions, so ``[*]`` and the
    "fixable" count never promise a fix that ``--fix`` would refuse."""
    proposed = [propose_fixes(d, ctx, fixers) for d in diagnostics]
    if not never_rewritten(ctx, proposed):
        return proposed
    return [
        with_fixes(d, tuple(f for f in d.fixes if f.applicability is Applicability.DISPLAY_ONLY))
        for d in proposed
    ]


def never_rewritten(ctx: CheckContext, diagnostics: Sequence[Diagnostic]) -> bool:
    """Whether :func:`_skip_reason` has a reason for these findings, without building the
    text (this runs for every file with a finding; the reason only when fixing)."""
    asset, header = ctx.asset, ctx.asset.header
    if asset.problem is not None or header is None or asset.format not in FIXABLE_FORMATS:
        return True
    if header.n_frames > 1 and asset.format != "MPO":
        return True
    for diagnostic in diagnostics:  # noqa: SIM110 - any(generator) costs more for one or two
        if diagnostic.code in NEVER_FIX:
            return True
    return False


@dataclass(frozen=True)
class FixPlan:
    """The fixes to apply to one asset, those held back, or why it is left alone.

    ``held_back_by`` names, for each held-back fix, the flag that would apply it
    (``--unsafe-fixes``, ``--flatten``), so a run can say "2 more with --flatten"."""

    apply: tuple[Fix, ...] = ()
    held_back: int = 0
    held_back_by: tuple[str, ...] = ()
    skipped: str | None = None


@dataclass(frozen=True)
class FixOutcome:
    """What fixing one asset did (``result``; for ``--diff`` what it would do), how many
    fixes were held back and by which flag, and the error that stopped it (the original is
    then intact)."""

    result: FixResult | None = None
    held_back: int = 0
    held_back_by: tuple[str, ...] = ()
    error: str | None = None
    skipped: str | None = None


def _skip_reason(ctx: CheckContext, codes: set[str]) -> str | None:
    asset = ctx.asset
    blocked = sorted(codes & NEVER_FIX)
    if blocked:
        return f"not fixable ({blocked[0]})"
    if asset.problem is not None or asset.header is None:
        return "not readable as an image"
    if asset.format not in FIXABLE_FORMATS:
        return f"{asset.format or 'unknown'} files are never rewritten"
    if asset.header.n_frames > 1 and asset.format != "MPO":
        return "animated images are not rewritten (frames would be lost)"
    return None


def _choose(diagnostic: Diagnostic, mode: str) -> Fix | None:
    candidates = [f for f in diagnostic.fixes if f.applicability is not Applicability.DISPLAY_ONLY]
    for fix in candidates:
        if fix.fixer == mode:
            return fix
    for fix in candidates:
        if fix.applicability is Applicability.SAFE:
            return fix
    return candidates[0] if candidates else None


def _blocker(fix: Fix, settings: Settings) -> str | None:
    """``None`` when ``fix`` may be applied, else the flag that would allow it."""
    if fix.applicability is Applicability.SAFE or fix.fixer == settings.get("fix-mode"):
        return None
    opt_in = fix.data.get("opt_in")
    if opt_in:
        return None if settings.get(str(opt_in)) else f"--{opt_in}"
    return None if settings.get("unsafe-fixes") else "--unsafe-fixes"


def plan_fixes(ctx: CheckContext, diagnostics: Sequence[Diagnostic], settings: Settings) -> FixPlan:
    """Choose the fixes to apply; pure (no file is opened), so a check run can count them."""
    skipped = _skip_reason(ctx, {d.code for d in diagnostics})
    if skipped is not None:
        return FixPlan(skipped=skipped)
    mode = str(settings.get("fix-mode") or "pad")
    chosen: dict[str, Fix] = {}
    held = 0
    by: list[str] = []
    for diagnostic in sorted(diagnostics, key=lambda d: (d.code == SIZE_CODE, d.code)):
        fix = _choose(diagnostic, mode)
        if fix is None:
            continue
        blocker = _blocker(fix, settings)
        if blocker is not None:
            held += 1
            by.append(blocker)
        elif fix.fixer not in chosen:
            chosen[fix.fixer] = fix
    ordered = sorted(chosen.values(), key=lambda f: bool(f.data.get("resize")))
    return FixPlan(apply=tuple(ordered), held_back=held, held_back_by=tuple(by))


def fix_asset(
    ctx: CheckContext,
    diagnostics: Sequence[Diagnostic],
    fixers: Mapping[str, Fixer],
    settings: Settings,
) -> FixOutcome:
    """Apply the allowed fixes to one asset; never raises, never leaves a half-written file."""
    plan = plan_fixes(ctx, diagnostics, settings)
    base = FixOutcome(held_back=plan.held_back, held_back_by=plan.held_back_by)
    if plan.skipped is not None or not plan.apply:
        return dataclasses.replace(base, skipped=plan.skipped)
    from sora_lint.fix import budget, decoding

    header = ctx.asset.header
    if header is None:  # _skip_reason rules this out
        return dataclasses.replace(base, skipped="not readable as an image")
    needed = decoding.fix_estimate(ctx.asset.format, header, plan.apply)
    limit = int(settings.get("max-decode-memory") or budget.DEFAULT_BUDGET)
    refused = budget.over_budget(needed, limit)
    if refused is not None:
        return dataclasses.replace(base, skipped=refused)
    try:
        with budget.reserve(needed):
            result = _rewrite(ctx, plan.apply, fixers, settings)
    except Exception as exc:  # noqa: BLE001 - one file's failure is a value, the run goes on
        reason = str(exc).splitlines()[0] if str(exc) else ""
        if not isinstance(exc, ValueError | OSError) or not reason:
            reason = f"{type(exc).__name__}: {reason}".rstrip(": ")
        return dataclasses.replace(base, error=reason)
    return dataclasses.replace(base, result=result)


def _rewrite(
    ctx: CheckContext, fixes: Sequence[Fix], fixers: Mapping[str, Fixer], settings: Settings
) -> FixResult:
    from sora_lint.fix import decoding, destination, rendering

    asset, header = ctx.asset, ctx.asset.header
    if header is None or asset.format is None:  # _skip_reason rules this out
        raise ValueError("no header to fix from")
    stored = (header.size.width, header.size.height)
    image, keep, icc, scale = decoding.read(asset.path, asset.format, header, fixes)
    details: dict[str, Any] = {"fixes": [fix.description for fix in fixes]}
    if scale > 1:
        details["decoded_at"] = list(decoding.reduced_size(stored, scale))
    image, said = rendering.apply_fixes(image, fixes, fixers, settings)
    details.update(said)
    quality = rendering.quality_of(settings)
    data = rendering.encode_fixed(image, keep, icc, quality, header.display_size)
    written = destination.write_fixed(asset.path, data, settings)
    return FixResult(
        path=asset.display,
        fixers=tuple(fix.fixer for fix in fixes),
        old_size=header.size,
        new_size=Size(*image.size),
        written=written,
        details=details,
    )
