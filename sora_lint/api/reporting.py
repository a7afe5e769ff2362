"""What ``prepare`` says it did: the :class:`PrepareReport` of a finished
:class:`~sora_lint.api.fitting.Fitting`, and the :class:`Prepared` that carries it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sora_lint.api.pictures import MIME_TYPE, extension_of
from sora_lint.api.prepared import Box, Prepared, PrepareReport
from sora_lint.errors import PrepareError
from sora_lint.types import Diagnostic, Size

if TYPE_CHECKING:
    from sora_lint.api.fitting import Fitting
    from sora_lint.fix.fixing import FixPlan

#: The fixers whose fix states the geometry (crop box, pad box, scale) of the result.
SIZE_FIXERS = ("pad", "cover", "stretch", "trim")


def prepared_result(
    job: Fitting,
    data: bytes,
    size: Size,
    quality: int | None,
    plan: FixPlan,
    said: dict[str, Any],
    warnings: tuple[Diagnostic, ...],
    unchanged: bool,
) -> Prepared:
    """The bytes ``job`` made, named and typed, with the report of how."""
    header = job.asset.header
    if header is None:
        raise PrepareError(f"cannot prepare {job.source.display}: no header")
    fmt = job.out_format
    size_fix = next((f for f in plan.apply if f.fixer in SIZE_FIXERS), None)
    report = PrepareReport(
        source=job.source.display,
        model=job.profile.name,
        delivery=job.delivery,
        source_format=source_format(job),
        source_size=header.size,
        upright_size=header.display_size,
        size=size,
        format=fmt,
        quality=quality,
        fixes=tuple(fix.description for fix in plan.apply),
        crop_box=_box(said.get("crop_box"), size_fix.crop_box if size_fix else None),
        pad_box=_box(said.get("pad_box"), size_fix.pad_box if size_fix else None),
        scale=size_fix.scale if size_fix else None,
        conversions=() if unchanged else tuple(_conversions(job, plan, said, fmt)),
        steps=tuple(job.steps),
        byte_limit=job.limit,
        sent_size=job.sent(data, fmt),
        unchanged=unchanged,
        warnings=warnings,
    )
    stem = job.filename.rpartition(".")[0]
    return Prepared(data, MIME_TYPE[fmt], f"{stem}.{extension_of(fmt)}", size, fmt, report)


def source_format(job: Fitting) -> str:
    """The source's format as the report names it (a PIL image's, or ``PIL image``)."""
    image = job.source.image
    if image is not None:
        return str(image.format or "PIL image")
    return job.asset.format or "unknown"


def _conversions(job: Fitting, plan: FixPlan, said: dict[str, Any], fmt: str) -> Iterator[str]:
    """What changed besides the fixes: orientation and mode (when no fix said so),
    transparency the format cannot hold, and the format itself, with why."""
    header = job.asset.header
    if header is None:
        return
    fixers = {fix.fixer for fix in plan.apply}
    if header.orientation != 1 and "orientation" not in fixers:
        yield f"turned upright (EXIF orientation {header.orientation})"
    plain = header.mode in ("RGB", "RGBA", "L") and header.bits == 8
    if not plain and "convert" not in fixers:
        yield f"converted {header.mode} ({header.bits}-bit) to 8 bits"
    flattened = said.get("flattened_for_format")
    if flattened:
        yield f"transparency flattened onto {flattened}: {fmt} has none"
    source = source_format(job)
    written = "JPEG" if source == "MPO" else source
    if fmt != written:
        if job.moved_for_bytes:
            why = "the byte limit"
        elif written not in job.profile.formats:
            why = f"{job.profile.name} does not accept {written}"
        else:
            why = "asked for"
        yield f"written as {fmt} instead of {source} ({why})"
    elif source == "MPO":
        yield "the MPO's first picture written as a plain JPEG"


def _box(applied: Any, stated: Box | None) -> Box | None:
    """The box a fixer reported applying (a smart crop decides it then), else the fix's."""
    if isinstance(applied, list | tuple) and len(applied) == 4:
        return (int(applied[0]), int(applied[1]), int(applied[2]), int(applied[3]))
    return stated
