"""File rules: SL004 unreadable and SL011 lfs-pointer."""

from __future__ import annotations

from collections.abc import Iterable

from sora_lint.hookspecs import hookimpl
from sora_lint.types import CheckContext, Diagnostic, ProblemKind, Rule, Severity

UNREADABLE_KINDS = frozenset(
    {
        ProblemKind.EMPTY,
        ProblemKind.NOT_IMAGE,
        ProblemKind.TRUNCATED,
        ProblemKind.CORRUPT,
        ProblemKind.IO_ERROR,
        ProblemKind.OUTSIDE_TREE,
    }
)


def check_unreadable(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    problem = ctx.asset.problem
    if problem is None or problem.kind not in UNREADABLE_KINDS:
        return ()
    return (UNREADABLE.diagnostic(ctx, problem.message, data={"reason": problem.kind.value}),)


def check_lfs_pointer(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    problem = ctx.asset.problem
    if problem is None or problem.kind is not ProblemKind.LFS_POINTER:
        return ()
    return (LFS_POINTER.diagnostic(ctx, problem.message),)


UNREADABLE = Rule(
    code="SL004",
    name="unreadable",
    severity=Severity.ERROR,
    summary="empty, not an image, truncated, corrupt or unreadable",
    doc="""
## What it does
Reports files that cannot be read as an image, and says which: empty, not an image (text,
unknown content), truncated, corrupt, unreadable (permissions, not a regular file), or a
symlink that points outside the repository (never followed).

Truncated covers a header that ends early and, without decoding a pixel, image data cut
short: one read at the end of the file looks for the JPEG end-of-image marker after the last
scan (data appended after it, such as a motion photo's video, is fine), the PNG IEND chunk
after the image data, the GIF trailer, and a WebP's RIFF size within the file. Corrupt
covers what Pillow, the decoder `--fix` uses, refuses as it opens a file: a bad chunk CRC,
a WebP whose chunks libwebp's demuxer rejects, a JPEG sample precision other than 8 (a
12-bit JPEG, which most decoders cannot read either), … Damage inside the compressed pixel
data itself is found only by decoding, which check mode never does.

## Why is this bad?
The API cannot decode such a file, and `--fix` could not either; a truncated upload or a
file saved half-way usually shows up here first.

## Example
    photo.jpg: SL004 truncated JPEG: the image data starting at byte 2,344 has no
    end-of-image marker; the file ends at byte 48,211 inside it

## How to fix
Re-export or re-download the image; replace the symlink with the file itself.
""",
    check=check_unreadable,
    pure=True,
)

LFS_POINTER = Rule(
    code="SL011",
    name="lfs-pointer",
    severity=Severity.ERROR,
    summary="a Git LFS pointer file instead of the image",
    doc="""
## What it does
Reports a Git LFS pointer (a small text file starting `version https://git-lfs.github.com/
spec/v1`) where an image should be.

## Why is this bad?
The checkout was made without Git LFS (a CI job without `lfs: true`, a plain zip download):
every upload would send 130 bytes of text instead of the picture.

## Example
    hero.png: SL011 Git LFS pointer (oid sha256:4d7a…, 2,345,678 bytes): run `git lfs pull`

## How to fix
Run `git lfs pull` (or enable LFS in the CI checkout step) before linting.
""",
    check=check_lfs_pointer,
    pure=True,
)


@hookimpl
def sora_lint_register_rules() -> Iterable[Rule]:
    return [UNREADABLE, LFS_POINTER]
