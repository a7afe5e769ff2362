"""Size rules: SL001 size-mismatch, SL003 unsupported-size, SL010 too-many-pixels.

Like every bundled rule, each check returns a tuple (``()`` when all is well) instead of
yielding: it runs for every rule of every file, and a generator costs more to make than
the check itself.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from sora_lint.hookspecs import hookimpl
from sora_lint.types import (
    SWAPPING_ORIENTATIONS,
    CheckContext,
    Diagnostic,
    Rule,
    Severity,
)

REJECTION = "Inpaint image must match the requested width and height"


def at_origin(ctx: CheckContext) -> dict[str, Any]:
    """``path``/``line``/``asset`` of the text file that declared the target, if one did."""
    origin = ctx.target.request.origin if ctx.target is not None else None
    if origin is None:
        return {}
    return {"path": origin.path, "line": origin.line, "asset": ctx.asset.display}


def check_size_mismatch(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    header, target = ctx.asset.header, ctx.target
    if header is None or target is None:
        return ()
    size, wanted = header.size, target.size
    if wanted is None or size == wanted or not target.allowed:
        return ()
    if not target.profile.exact and target.request.size is None:
        return ()  # a ratio profile's own rules (SL019-SL022) report it, once, with the fix
    message = mismatch_message(
        size.width, size.height, header.orientation in SWAPPING_ORIENTATIONS, wanted.width,
        wanted.height, target.profile.name,
    )  # fmt: skip
    return (SIZE_MISMATCH.diagnostic(ctx, message, size=size, target=wanted, **at_origin(ctx)),)


@functools.lru_cache(maxsize=1024, typed=True)
def mismatch_message(
    width: int, height: int, swapped: bool, to_width: int, to_height: int, model: str
) -> str:
    """SL001's message for an image stored at ``width`` x ``height`` (its orientation swaps
    the sides when ``swapped``) and a target of ``to_width`` x ``to_height``: one of the
    model's exact sizes or a declared one. Pure, so built once per distinct size."""
    upright = ""
    if swapped and (height, width) == (to_width, to_height):
        upright = " (it is displayed upright at that size only because of its EXIF orientation)"
    return (
        f"{REJECTION}: image is {width}x{height}, {model} target is {to_width}x{to_height}{upright}"
    )


def check_unsupported_size(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    target = ctx.target
    if target is None or target.request.size is None or target.allowed:
        return ()
    allowed = ", ".join(str(s) for s in target.profile.sizes)
    return (
        UNSUPPORTED_SIZE.diagnostic(
            ctx,
            f"declared target {target.request.size} ({target.request.source}) is not a size "
            f"{target.profile.name} allows; allowed: {allowed}",
            target=target.request.size,
            size=ctx.asset.header.size if ctx.asset.header else None,
            **at_origin(ctx),
        ),
    )


def check_too_many_pixels(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    header = ctx.asset.header
    limit: int = ctx.settings["max-pixels"]
    if header is None:
        return ()
    size = header.size
    if size.width * size.height <= limit:
        return ()
    return (
        TOO_MANY_PIXELS.diagnostic(
            ctx,
            f"declares {size} = {size.pixels:,} pixels, over the limit of {limit:,} "
            "(max-pixels); not decoded (a decompression bomb?)",
            size=size,
        ),
    )


SIZE_MISMATCH = Rule(
    code="SL001",
    name="size-mismatch",
    severity=Severity.ERROR,
    summary="stored pixel size differs from the target size",
    doc=f"""
## What it does
Compares the image's stored pixel size (from its header) with the target size: the one
declared with `--target`, in config, per path or by a job, or with `auto` the model's allowed
size nearest the image's aspect ratio. For a profile that takes a range of sizes (Runway,
Kling, …) and no declared size, the profile's own rules report the image instead (SL019–SL022),
so each problem is one finding.

## Why is this bad?
The image becomes the first frame of the video, so its pixels must equal the requested
`size` exactly. Sora 2 answers `400 {REJECTION}` otherwise; a model never sees the
EXIF-rotated view, only the stored pixels.

## Example
`hero.png` is 1920x1080 and the job asks for `size="1280x720"`:

    hero.png: SL001 {REJECTION}: image is 1920x1080, sora-2 target is 1280x720

## How to fix
`sora-lint --fix` letterboxes (pad, safe) to the exact size; `--fix --fix-mode cover`
scales and crops instead (choosing the mode is the opt-in for this unsafe fix). The
`crop_bounds` hint gives the crop box with the target's aspect ratio as fractions
(left/top/right/bottom) and pixels, for any cropper (Azure's Sora preview took such a
`crop_bounds`; OpenAI's Sora 2 API has no crop parameter).
""",
    check=check_size_mismatch,
    pure=True,
)

UNSUPPORTED_SIZE = Rule(
    code="SL003",
    name="unsupported-size",
    severity=Severity.ERROR,
    summary="a per-asset declared target is a size the model does not allow",
    doc="""
## What it does
Reports a target declared next to an asset (a job file, a file name) that the model does
not accept, e.g. `1792x1024` for `sora-2`, which only takes 1280x720 and 720x1280.

## Why is this bad?
The API rejects the request before it looks at the image. On the command line or in config
such a size is a usage error (exit 2) instead, so a typo never passes silently.

## Example
A job `{"model": "sora-2", "size": "1792x1024", "input_reference": "a.png"}`.

## How to fix
Use a size the model allows (`sora-lint profiles` lists them) or a model that allows it
(`sora-2-pro` takes 1792x1024).
""",
    check=check_unsupported_size,
    pure=True,
)

TOO_MANY_PIXELS = Rule(
    code="SL010",
    name="too-many-pixels",
    severity=Severity.ERROR,
    summary="declared dimensions exceed the pixel limit; never decoded",
    doc="""
## What it does
Reports images whose header declares more pixels than `max-pixels` (default 178,956,970,
twice Pillow's decompression-bomb limit). The file is never decoded, not even to fix it.

## Why is this bad?
A small file can declare gigapixels (a decompression bomb); decoding it would exhaust memory
in CI or in the upload pipeline. No image-to-video model needs such an input.

## Example
A 20 KB PNG declaring 50000x50000.

## How to fix
Replace the file with a real image at the target size; raise `max-pixels` only for trusted
files that really are that large.
""",
    check=check_too_many_pixels,
    pure=True,
)


@hookimpl
def sora_lint_register_rules() -> Iterable[Rule]:
    return [SIZE_MISMATCH, UNSUPPORTED_SIZE, TOO_MANY_PIXELS]
