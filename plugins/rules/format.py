"""Format rules: SL002 unsupported-format and SL005 extension-mismatch."""

from __future__ import annotations

from collections.abc import Iterable

from sora_lint.hookspecs import hookimpl
from sora_lint.types import CheckContext, Diagnostic, Rule, Severity

#: Content formats each file extension stands for (the upload's MIME type comes from the name).
EXTENSION_FORMATS: dict[str, frozenset[str]] = {
    "jpg": frozenset({"JPEG", "MPO"}),
    "jpeg": frozenset({"JPEG", "MPO"}),
    "jpe": frozenset({"JPEG", "MPO"}),
    "jfif": frozenset({"JPEG", "MPO"}),
    "mpo": frozenset({"MPO", "JPEG"}),
    "png": frozenset({"PNG"}),
    "apng": frozenset({"PNG"}),
    "webp": frozenset({"WEBP"}),
    "gif": frozenset({"GIF"}),
    "bmp": frozenset({"BMP", "DIB"}),
    "dib": frozenset({"BMP", "DIB"}),
    "tif": frozenset({"TIFF"}),
    "tiff": frozenset({"TIFF"}),
    "heic": frozenset({"HEIF"}),
    "heif": frozenset({"HEIF"}),
    "avif": frozenset({"AVIF"}),
    "jxl": frozenset({"JXL"}),
    "jp2": frozenset({"JPEG2000"}),
    "j2k": frozenset({"JPEG2000"}),
    "ico": frozenset({"ICO"}),
    "psd": frozenset({"PSD"}),
    "qoi": frozenset({"QOI"}),
    "tga": frozenset({"TGA"}),
}

#: The usual extension to suggest for a content format.
PREFERRED_EXTENSION = {
    "JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "BMP": "bmp",
    "DIB": "bmp", "TIFF": "tiff", "HEIF": "heic", "AVIF": "avif", "JXL": "jxl",
    "JPEG2000": "jp2", "ICO": "ico", "PSD": "psd", "QOI": "qoi", "TGA": "tga",
}  # fmt: skip


def accepted_as(fmt: str) -> str:
    """An MPO's first image is a plain JPEG, and decoders read it as one."""
    return "JPEG" if fmt == "MPO" else fmt


def check_unsupported_format(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    fmt, target = ctx.asset.format, ctx.target
    if fmt is None or target is None or accepted_as(fmt) in target.profile.formats:
        return ()
    accepted = ", ".join(sorted(target.profile.formats))
    return (
        UNSUPPORTED_FORMAT.diagnostic(
            ctx,
            f"{fmt} is not a format {target.profile.name} accepts (accepted: {accepted})",
            data={"format": fmt},
        ),
    )


def check_extension_mismatch(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    fmt = ctx.asset.format
    if fmt is None:
        return ()
    name = ctx.asset.path.name
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    expected = EXTENSION_FORMATS.get(extension)
    if expected is not None and fmt in expected:
        return ()
    suggestion = PREFERRED_EXTENSION.get(fmt, fmt.lower())
    if expected is None:
        said = f"the name has no image extension ({'.' + extension if extension else 'none'})"
    else:
        said = f"the name says {sorted(expected)[0]} (.{extension})"
    return (
        EXTENSION_MISMATCH.diagnostic(
            ctx,
            f"content is {fmt} but {said}: the upload's MIME type comes from the file name; "
            f"rename it to .{suggestion}",
            data={"format": fmt, "extension": extension},
        ),
    )


UNSUPPORTED_FORMAT = Rule(
    code="SL002",
    name="unsupported-format",
    severity=Severity.ERROR,
    summary="content is a format the model does not accept",
    doc="""
## What it does
Reports images whose content (read from the bytes, not the name) is a format the model does
not accept. Sora 2 takes JPEG, PNG and WebP only: GIF, BMP, TIFF, HEIC/HEIF, AVIF, JPEG XL,
SVG, EPS, PDF and the rest are reported. Formats sora-lint never opens (EPS, PDF, SVG, HEIF,
JPEG XL) are named from their magic bytes.

## Why is this bad?
The API rejects the upload. HEIC (iPhone photos) and AVIF are the usual surprises.

## Example
    shot.heic: SL002 HEIF is not a format sora-2 accepts (accepted: JPEG, PNG, WEBP)

## How to fix
Convert to PNG (lossless) or JPEG; sora-lint does not convert between formats.
""",
    check=check_unsupported_format,
    pure=True,
)

EXTENSION_MISMATCH = Rule(
    code="SL005",
    name="extension-mismatch",
    severity=Severity.WARNING,
    summary="the file name's type differs from the content",
    doc="""
## What it does
Compares the file extension with the content's real format: a PNG named `.jpg`, a JPEG
named `.png`, an image with no extension.

## Why is this bad?
The upload's MIME type is taken from the file name, so a PNG sent as `image/jpeg` may be
rejected or mis-decoded.

## Example
    logo.jpg: SL005 content is PNG but the name says JPEG (.jpg): … rename it to .png

## How to fix
Rename the file to the extension of its content.
""",
    check=check_extension_mismatch,
    pure=True,
)


@hookimpl
def sora_lint_register_rules() -> Iterable[Rule]:
    return [UNSUPPORTED_FORMAT, EXTENSION_MISMATCH]
