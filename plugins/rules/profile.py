"""Rules for profiles that accept a range of sizes (Veo, Runway, Kling, Luma): SL019 aspect
ratio, SL020 side too small, SL021 side too large, SL022 too many pixels for the model, and
SL023 file too large (any profile with a byte limit).

They judge the size the image is shown at (upright), like the target; SL001 reports the
same image with the size ``--fix`` pads (or crops) it to. A diagnostic moves to the job
file and line when a job declared the image's target.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sora_lint.geometry.profile_fit import violations
from sora_lint.hookspecs import hookimpl
from sora_lint.types import CheckContext, Diagnostic, Rule, Severity

from .size import at_origin


def _check(kind: str) -> Callable[[CheckContext], tuple[Diagnostic, ...]]:
    def check(ctx: CheckContext) -> tuple[Diagnostic, ...]:
        header, target = ctx.asset.header, ctx.target
        if header is None or target is None or target.profile.exact:
            return ()
        shown = header.display_size
        return tuple(
            RULES_BY_KIND[kind].diagnostic(
                ctx, message, size=shown, target=target.size, **at_origin(ctx)
            )
            for found, message in violations(target.profile, shown)
            if found == kind
        )

    return check


def check_file_too_large(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    target, size = ctx.target, ctx.asset.byte_size
    if target is None or target.profile.max_bytes is None or size <= target.profile.max_bytes:
        return ()
    limit = target.profile.max_bytes
    return (
        FILE_TOO_LARGE.diagnostic(
            ctx,
            f"{size:,} bytes; {target.profile.name} takes files of at most {limit:,} bytes",
            data={"bytes": size, "max_bytes": limit},
            **at_origin(ctx),
        ),
    )


_FIX = """`sora-lint --fix` pads the image to the nearest size the profile accepts (SL001 carries
the fix); `--fix --fix-mode cover` crops to it instead."""

ASPECT = Rule(
    "SL019", "unsupported-aspect-ratio", Severity.ERROR,
    "the aspect ratio is not one the model accepts",
    f"""
## What it does
For a model that takes a list of aspect ratios (Luma Ray 2, Veo 3) or a range (Runway Gen-4:
1:2 to 2:1; Kling: 1:2.5 to 2.5:1), reports an image whose upright aspect ratio is not
accepted, within the profile's tolerance.

## Why is this bad?
The API rejects the image, or crops it to a ratio it accepts and loses the edges you framed.

## Example
A 3000x1000 panorama for `runway-gen4`:

    pano.png: SL019 aspect ratio 3 (3000x1000) is not one runway-gen4 accepts:
    from 1:2 to 2:1 (0.5 to 2)

## How to fix
{_FIX}
""",
    _check("aspect"),
    pure=True,
)  # fmt: skip

SIDE_TOO_SMALL = Rule(
    "SL020", "side-too-small", Severity.ERROR, "a side is shorter than the model's minimum",
    f"""
## What it does
Reports an image with a side shorter than the profile's `min_side` (Kling: 300 px).

## Why is this bad?
The API rejects it; a thumbnail committed instead of the full image is the usual cause.

## Example
    thumb.jpg: SL020 200x400 has a side of 200 px; kling needs at least 300 px on each side

## How to fix
Use the full-size image. {_FIX} Enlarging adds no detail.
""",
    _check("small"),
    pure=True,
)  # fmt: skip

SIDE_TOO_LARGE = Rule(
    "SL021", "side-too-large", Severity.ERROR, "a side is longer than the model's maximum",
    f"""
## What it does
Reports an image with a side longer than the profile's `max_side` (Runway Gen-4: 7,999 px).

## Why is this bad?
The API rejects it.

## Example
    scan.png: SL021 9000x6000 has a side of 9000 px; runway-gen4 takes at most 7999 px on each side

## How to fix
{_FIX} Both scale the image down to fit.
""",
    _check("large"),
    pure=True,
)  # fmt: skip

MODEL_PIXELS = Rule(
    "SL022", "too-many-pixels-for-model", Severity.ERROR,
    "more pixels than the model takes",
    f"""
## What it does
Reports an image with more pixels than the profile's `max_pixels`, a limit of the model
(unlike SL010, which guards against decompression bombs for every model).

## Why is this bad?
The API rejects it.

## Example
A profile declared with `max-pixels = 8294400` (3840x2160) and a 6000x4000 photo.

## How to fix
{_FIX} Both scale the image down to fit.
""",
    _check("pixels"),
    pure=True,
)  # fmt: skip

FILE_TOO_LARGE = Rule(
    "SL023", "file-too-large", Severity.ERROR, "the file is larger than the model takes",
    """
## What it does
Reports an image file larger than the profile's `max_bytes` (Kling: 10 MB; Runway: 16 MB by
URL, 5 MB as a data URI).

## Why is this bad?
The upload is refused before the model sees it.

## Example
    photo.png: SL023 14,680,064 bytes; kling takes files of at most 10,000,000 bytes

## How to fix
Save as JPEG (quality 90–95) or shrink the image; sora-lint does not re-encode to save bytes.
""",
    check_file_too_large,
)  # fmt: skip

RULES_BY_KIND = {
    "aspect": ASPECT, "small": SIDE_TOO_SMALL, "large": SIDE_TOO_LARGE, "pixels": MODEL_PIXELS,
}  # fmt: skip


@hookimpl
def sora_lint_register_rules() -> Iterable[Rule]:
    return [*RULES_BY_KIND.values(), FILE_TOO_LARGE]
