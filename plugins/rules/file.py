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
unknown content), header truncated, corrupt, unreadable (permissions, not a regular file), or
a symlink that points outside the repository (never followed).

## Why is this bad?
The API cannot decode such a file; a truncated upload or a file saved half-way usually shows
up here first.

## Example
    broken.jpg: SL004 not an image: the content is text

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
