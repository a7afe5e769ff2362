"""Pixel-layout rules: SL006 exif-orientation, SL007 animated, SL008 color-mode,
SL009 transparency. All read the header only."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sora_lint.hookspecs import hookimpl
from sora_lint.types import CheckContext, Diagnostic, ImageHeader, Rule, Severity, Size

ORIENTATIONS = {
    2: "mirrored horizontally",
    3: "rotated 180°",
    4: "mirrored vertically",
    5: "mirrored and rotated 90° counter-clockwise",
    6: "rotated 90° clockwise",
    7: "mirrored and rotated 90° clockwise",
    8: "rotated 90° counter-clockwise",
}

PLAIN_MODES = frozenset({"RGB", "RGBA", "L"})


def check_orientation(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    header = ctx.asset.header
    if header is None or header.orientation not in ORIENTATIONS:
        return ()
    size = header.size
    message, shown = orientation_message(header.orientation, size.width, size.height)
    return (
        EXIF_ORIENTATION.diagnostic(
            ctx,
            message,
            size=size,
            data={"orientation": header.orientation, "display_size": shown},
        ),
    )


@functools.lru_cache(maxsize=1024, typed=True)
def orientation_message(orientation: int, width: int, height: int) -> tuple[str, str]:
    """SL006's message and the upright size's text for a stored ``width`` x ``height``
    (pure, so built once per distinct size: phones store few)."""
    header = ImageHeader(Size(width, height), "RGB", orientation=orientation)
    shown = header.display_size
    return (
        f"EXIF orientation {orientation} ({ORIENTATIONS[orientation]}): stored {header.size}, "
        f"displayed {shown}; the model gets the stored pixels, not what viewers show",
        str(shown),
    )


def check_animated(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    header = ctx.asset.header
    if header is None or header.n_frames <= 1:
        return ()
    return (
        ANIMATED.diagnostic(
            ctx,
            f"{ctx.asset.format} with {header.n_frames} frames: a reference image is one still "
            "frame, and which frame a model takes is not defined",
            data={"frames": header.n_frames},
        ),
    )


def check_color_mode(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    header = ctx.asset.header
    if header is None or (header.mode in PLAIN_MODES and header.bits == 8):
        return ()
    return (
        COLOR_MODE.diagnostic(
            ctx,
            f"pixel mode {header.mode} ({header.bits}-bit samples) is not 8-bit RGB, RGBA or "
            "L; decoders may convert it differently (colours shift, CMYK inverts)",
            data={"mode": header.mode, "bits": header.bits},
        ),
    )


def check_transparency(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    header = ctx.asset.header
    if header is None or not header.has_alpha:
        return ()
    return (
        TRANSPARENCY.diagnostic(
            ctx,
            f"has transparency ({header.mode}); a video's first frame is opaque, so what "
            "shows through is up to the model",
        ),
    )


EXIF_ORIENTATION = Rule(
    code="SL006",
    name="exif-orientation",
    severity=Severity.WARNING,
    summary="an EXIF orientation rotates or mirrors the stored pixels",
    doc="""
## What it does
Reports an EXIF orientation other than 1 (normal): the picture viewers show is rotated or
mirrored from the pixels stored in the file. Orientations 5–8 also swap width and height.

## Why is this bad?
What the author sees is not what the model gets: phones store portrait photos as landscape
pixels with orientation 6, and the model receives them sideways (and with the wrong size).

## Example
    IMG_0001.jpg: SL006 EXIF orientation 6 (rotated 90° clockwise):
        stored 4032x3024, displayed 3024x4032

## How to fix
`sora-lint --fix` bakes the rotation into the pixels and writes orientation 1 (safe).
""",
    check=check_orientation,
    pure=True,
)

ANIMATED = Rule(
    code="SL007",
    name="animated",
    severity=Severity.WARNING,
    summary="more than one frame (APNG, animated WebP, GIF, MPO)",
    doc="""
## What it does
Reports images with more than one frame: animated PNG (APNG), animated WebP, animated GIF,
multi-picture JPEG (MPO).

## Why is this bad?
A reference image becomes one still frame; which frame a model decodes is not defined.

## Example
    loop.webp: SL007 WEBP with 24 frames: …

## How to fix
Export the frame you mean as a still image.
""",
    check=check_animated,
    pure=True,
)

COLOR_MODE = Rule(
    code="SL008",
    name="color-mode",
    severity=Severity.WARNING,
    summary="not 8-bit RGB, RGBA or grayscale (CMYK, 16-bit, palette, …)",
    doc="""
## What it does
Reports images whose pixels are not 8-bit RGB, RGBA or L (grayscale): CMYK JPEGs, 16-bit
PNGs, palette and 1-bit images.

## Why is this bad?
Decoders handle these differently: CMYK JPEGs from print workflows often come out inverted
or with shifted colours, 16-bit samples are truncated.

## Example
    print.jpg: SL008 pixel mode CMYK (8-bit samples) is not 8-bit RGB, RGBA or L

## How to fix
Any `--fix` rewrite converts to 8-bit sRGB (using the embedded ICC profile).
""",
    check=check_color_mode,
    pure=True,
)

TRANSPARENCY = Rule(
    code="SL009",
    name="transparency",
    severity=Severity.WARNING,
    summary="an alpha channel or transparency the first frame cannot keep",
    doc="""
## What it does
Reports images with an alpha channel or a transparent colour (PNG tRNS, palette
transparency, WebP alpha).

## Why is this bad?
A video frame is opaque; transparent areas are filled by whatever the model decides,
usually black.

## Example
    logo.png: SL009 has transparency (RGBA)

## How to fix
`sora-lint --fix --flatten` flattens onto the pad colour.
""",
    check=check_transparency,
    pure=True,
)


@hookimpl
def sora_lint_register_rules() -> Iterable[Rule]:
    return [EXIF_ORIENTATION, ANIMATED, COLOR_MODE, TRANSPARENCY]
