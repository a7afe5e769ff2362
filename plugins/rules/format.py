"""Format rules: SL002 unsupported-format, SL005 extension-mismatch and SL031
upload-type-rejected.

An upload's MIME type is what the API is told (the file name's type, or a type a job
declares), the content is what the bytes are. SL031 is the error when the API will refuse
what it is told: a type it does not take, or a type that is not the bytes' where the profile
says the API checks (Runway). SL005 is the warning for the rest of the mismatches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sora_lint.hookspecs import hookimpl
from sora_lint.types import CheckContext, Diagnostic, Profile, Rule, Severity

from ..profiles.mime import (
    EXTENSION_FORMATS,
    GENERIC_MIME,
    PREFERRED_EXTENSION,
    format_of_mime,
    mime_of,
    mime_of_extension,
)
from .size import at_origin

__all__ = ["EXTENSION_FORMATS", "PREFERRED_EXTENSION"]


def accepted_as(fmt: str) -> str:
    """An MPO's first image is a plain JPEG, and decoders read it as one."""
    return "JPEG" if fmt == "MPO" else fmt


def _accepts(profile: Profile, fmt: str | None) -> bool:
    return fmt is not None and accepted_as(fmt) in profile.formats


def check_unsupported_format(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    fmt, target = ctx.asset.format, ctx.target
    if fmt is None or target is None or _accepts(target.profile, fmt):
        return ()
    accepted = ", ".join(sorted(mime_of(f) for f in target.profile.formats))
    return (
        UNSUPPORTED_FORMAT.diagnostic(
            ctx,
            f"{fmt} ({mime_of(fmt)}) is not a format {target.profile.name} accepts (accepted: "
            f"{accepted})",
            data={"format": fmt},
        ),
    )


def _rename(fmt: str, extension: str) -> str:
    suggestion = PREFERRED_EXTENSION.get(fmt, fmt.lower())
    if suggestion == extension:
        return "give it a name that says its type"
    return f"rename it to .{suggestion}"


def type_finding(ctx: CheckContext) -> tuple[str, str, dict[str, str]] | None:
    """``(code, message, data)`` for the type an upload of this file carries against its
    bytes: SL031 when the API will refuse it, SL005 for the other mismatches."""
    fmt, target = ctx.asset.format, ctx.target
    if fmt is None:
        return None
    name = ctx.asset.path.name
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    declared = target.request.param("mime_type") if target is not None else None
    named = EXTENSION_FORMATS.get(extension)
    told_format = format_of_mime(declared) if declared else _named_format(named)
    if told_format is not None and accepted_as(told_format) == accepted_as(fmt):
        return None
    if target is not None and not _accepts(target.profile, fmt):
        return None  # SL002 reports the content: no name makes it acceptable
    content = f"{fmt} ({mime_of(fmt)})"
    if declared:
        said, told, fix = f"the job declares {declared}", declared, f"declare {mime_of(fmt)}"
    else:
        told = mime_of_extension(extension)
        said = (
            f"the name says .{extension}"
            if named is not None
            else f"the name has no image extension ({'.' + extension if extension else 'none'})"
        )
        fix = _rename(fmt, extension)
    data = {"format": fmt, "extension": extension, "mime_type": told,
            "content_mime_type": mime_of(fmt)}  # fmt: skip
    upload = f"the upload will carry {told}"
    if target is None:
        return "SL005", f"content is {content} but {said}: {upload}; {fix}", data
    profile = target.profile
    if profile.type_from == "content":
        return "SL005", (f"content is {content} but {said}; {profile.name} reads the type from "
                         f"the bytes, so only people are misled: {fix}"), data  # fmt: skip
    if told == GENERIC_MIME or not _accepts(profile, told_format):
        return "SL031", (f"{said}: {upload}, which {profile.name} does not accept; the bytes "
                         f"are {content}: {fix}"), data  # fmt: skip
    if profile.content_check:
        return "SL031", (f"{said}: {upload} but the bytes are {content}; {profile.name} "
                         f"rejects a type that is not the content's: {fix}"), data  # fmt: skip
    return "SL005", (f"content is {content} but {said}: {upload}; whether {profile.name} "
                     f"minds is unconfirmed: {fix}"), data  # fmt: skip


def _type_check(code: str) -> Callable[[CheckContext], tuple[Diagnostic, ...]]:
    def check(ctx: CheckContext) -> tuple[Diagnostic, ...]:
        found = type_finding(ctx)
        if found is None or found[0] != code:
            return ()
        rule = EXTENSION_MISMATCH if code == "SL005" else TYPE_REJECTED
        # a type the job declared is shown at the job's line; the name's at the image
        declared = ctx.target is not None and ctx.target.request.param("mime_type")
        moved = at_origin(ctx) if declared else {}
        return (rule.diagnostic(ctx, found[1], data=found[2], **moved),)

    return check


def _named_format(named: frozenset[str] | None) -> str | None:
    return min(named) if named else None


UNSUPPORTED_FORMAT = Rule(
    code="SL002",
    name="unsupported-format",
    severity=Severity.ERROR,
    summary="content is a format the model does not accept",
    doc="""
## What it does
Reports images whose content (read from the bytes, not the name) is a format the model does
not accept, named with its MIME type. Sora 2 takes JPEG, PNG and WebP only; Veo JPEG and PNG:
GIF, BMP, TIFF, HEIC/HEIF, AVIF, JPEG XL, SVG, EPS, PDF and the rest are reported where the
profile does not list them (`sora-lint profiles`). Formats sora-lint never opens (EPS, PDF,
SVG, HEIF, JPEG XL) are named from their magic bytes.

## Why is this bad?
The API rejects the upload. HEIC (iPhone photos) and AVIF are the usual surprises.

## Example
    shot.heic: SL002 HEIF (image/heic) is not a format sora-2 accepts (accepted: image/jpeg,
    image/png, image/webp)

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
Compares the type an upload of the file carries (its name's, or the `mimeType` a job
declares) with the content's real format, where the model would still take the upload: a
model that reads the type from the bytes (Kling), or one where no source says whether a
mismatch is refused (Veo, Seedance, Sora). Also without a target. The errors — a type the
model does not take, or a mismatch where the API checks the bytes — are SL031.

## Why is this bad?
The upload's declared type is not its content: some decoders mis-read it, people are misled,
and an API that starts checking will refuse it.

## Example
    logo.jpg: SL005 content is PNG (image/png) but the name says .jpg: the upload will carry
    image/jpeg; whether veo-3.1 minds is unconfirmed: rename it to .png

## How to fix
Rename the file to the extension of its content (or declare the content's type in the job).
""",
    check=_type_check("SL005"),
    pure=True,
)

TYPE_REJECTED = Rule(
    code="SL031",
    name="upload-type-rejected",
    severity=Severity.ERROR,
    summary="the MIME type the upload carries is one the model refuses",
    doc="""
## What it does
Reports an image whose upload the API will refuse because of the type it is told, which
comes from the file name (or from a job's `mimeType` or data URI): a type the model does not
accept (a JPEG named `.heic` is sent as `image/heic`; a name without an image extension as
`application/octet-stream`), or, where the profile says the API checks the bytes against the
declared type (Runway), any type that is not the content's. The message names the type the
upload will carry and the type the bytes are.

## Why is this bad?
The API answers 400 before the model sees the image (Runway: `Unsupported Content-Type
response header`), although the bytes themselves are fine.

## Example
    hero.heic: SL031 the name says .heic: the upload will carry image/heic, which sora-2 does
    not accept; the bytes are JPEG (image/jpeg): rename it to .jpg

## How to fix
Rename the file to its content's extension (or fix the declared type).
""",
    check=_type_check("SL031"),
    pure=True,
)


@hookimpl
def sora_lint_register_rules() -> Iterable[Rule]:
    return [UNSUPPORTED_FORMAT, EXTENSION_MISMATCH, TYPE_REJECTED]
