"""SL024 fix-enlarges: the size fix would enlarge the picture more than twice.

It judges the fix ``--fix`` would apply in the run's ``fix-mode`` with the geometry the
fixers use (``boxes.fix_scale``), so the warning and the fix's description say the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from sora_lint.geometry import boxes
from sora_lint.hookspecs import hookimpl
from sora_lint.types import (
    SWAPPING_ORIENTATIONS,
    CheckContext,
    Diagnostic,
    Rule,
    Severity,
)

from .size import at_origin

#: Enlarging more than this many times is worth a warning (the fixers' descriptions agree).
LIMIT = 2


def check_fix_enlarges(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    header, target = ctx.asset.header, ctx.target
    if header is None or target is None or target.size is None or not target.allowed:
        return ()
    size = header.size
    shown = (size.height, size.width) if header.orientation in SWAPPING_ORIENTATIONS else (
        size.width, size.height)  # fmt: skip
    wanted = (target.size.width, target.size.height)
    if shown == wanted:
        return ()
    mode = str(ctx.settings.get("fix-mode") or "pad")
    scale = boxes.fix_scale(shown, wanted, mode)
    if scale <= LIMIT:
        return ()
    message = (
        f"fixing the size enlarges the picture {float(scale):.3g}x ({shown[0]}x{shown[1]} to "
        f"{wanted[0]}x{wanted[1]}, --fix-mode {mode}): enlarging adds no detail, so the "
        "video starts from a soft frame; use a larger source image"
    )
    return (
        FIX_ENLARGES.diagnostic(
            ctx, message, size=target.size, data={"scale": float(scale)}, **at_origin(ctx)
        ),
    )


FIX_ENLARGES = Rule(
    code="SL024",
    name="fix-enlarges",
    severity=Severity.WARNING,
    summary="fixing the size would enlarge the picture more than twice",
    doc=f"""
## What it does
Reports an image whose size fix (`--fix` in the run's `--fix-mode`) would enlarge the picture
more than {LIMIT} times: a 64x36 thumbnail for a 1280x720 target is enlarged 20 times.
The fix's own description says so too, and so does the `Fixed …` line of a `--fix` run.

## Why is this bad?
Enlarging adds no detail. The model starts the video from a soft, blocky frame, and a
thumbnail committed instead of the full image is the usual cause.

## Example
    thumb.png: SL024 fixing the size enlarges the picture 20x (64x36 to 1280x720,
    --fix-mode pad): enlarging adds no detail, so the video starts from a soft frame; use a
    larger source image

## How to fix
Use a larger source image. To accept the enlargement, fix anyway: this is a warning
(`--ignore SL024` hides it; `--fail-on warning` makes it fail the run).
""",
    check=check_fix_enlarges,
    pure=True,
)


@hookimpl
def sora_lint_register_rules() -> Iterable[Rule]:
    return [FIX_ENLARGES]
