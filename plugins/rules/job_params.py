"""Job rules about a request's parameters and inline images, from the job's profile:
SL032 an output ratio the model does not take, SL033 a resolution it does not take, SL034 two
parameters it does not take together (Veo: 1080p only for 8 seconds), SL035 an inline image
written in a form the API refuses (Kling: base64 without ``data:``); and, for an image written
into the job, the image rules SL002, SL005/SL031 and SL023 at the job's line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sora_lint.types import Combination, Diagnostic, Profile

from ..jobs.inline import InlineImage, read_inline
from ..profiles.mime import format_of_mime, mime_of
from .format import EXTENSION_MISMATCH, TYPE_REJECTED, UNSUPPORTED_FORMAT, accepted_as
from .job_support import JobAt, as_text, job_rule, shown
from .profile import ADAPTED, FILE_TOO_LARGE

RATIO = job_rule(
    "SL032", "unsupported-ratio", "a job asks for an output ratio the model does not take"
)
RESOLUTION = job_rule(
    "SL033", "unsupported-resolution", "a job asks for a resolution the model does not take"
)
COMBINATION = job_rule(
    "SL034", "unsupported-combination", "a job combines parameters the model does not take together"
)
INLINE_FORM = job_rule(
    "SL035", "inline-image-form", "a job's inline image is written in a form the API refuses"
)
RULES = (RATIO, RESOLUTION, COMBINATION, INLINE_FORM)


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def _holds(fields: Any, name: str, values: tuple[str, ...]) -> bool:
    """Whether the job's ``name`` is present (non-empty) and, if ``values``, one of them."""
    if name not in fields or fields[name] in ("", [], {}):
        return False
    if not values:
        return True
    text = as_text(fields[name])
    return text is not None and text.casefold() in {v.casefold() for v in values}


def _combination(job: JobAt, combo: Combination, profile: Profile) -> Diagnostic | None:
    fields = job.job.fields
    if not _holds(fields, combo.when, combo.values) or combo.then not in fields:
        return None  # without the second parameter the API's default applies
    then = as_text(fields[combo.then])
    if then is not None and then.casefold() in {a.casefold() for a in combo.allowed}:
        return None
    when = "" if not combo.values else f" {shown(fields[combo.when])}"
    reason = f": {combo.reason}" if combo.reason else ""
    message = (f"{combo.then} {shown(fields[combo.then])} with {combo.when}{when}{reason}; "
               f"{profile.name} takes {combo.then} {_listed(combo.allowed)} with it")  # fmt: skip
    if combo.action != "reject":
        return job.diag(ADAPTED, f"{message} (otherwise: {combo.action})")
    return job.diag(COMBINATION, message)


def check_params(job: JobAt, profile: Profile) -> Iterator[Diagnostic]:
    """SL032, SL033, SL034 for a job whose model is ``profile``."""
    fields = job.job.fields
    if "ratio" in fields and profile.ratios:
        ratio = as_text(fields["ratio"])
        if ratio not in profile.ratios:
            yield job.diag(RATIO, f"ratio {shown(fields['ratio'])} is not one {profile.name} "
                           f"takes; allowed: {_listed(profile.ratios)}")  # fmt: skip
    if "resolution" in fields and profile.resolutions:
        resolution = as_text(fields["resolution"])
        known = {r.casefold() for r in profile.resolutions}
        if resolution is None or resolution.casefold() not in known:
            yield job.diag(RESOLUTION, f"resolution {shown(fields['resolution'])} is not one "
                           f"{profile.name} takes; allowed: "
                           f"{_listed(profile.resolutions)}")  # fmt: skip
    for combo in profile.combinations:
        found = _combination(job, combo, profile)
        if found is not None:
            yield found


def _form(job: JobAt, image: InlineImage, profile: Profile) -> Iterator[Diagnostic]:
    if image.form == "data-uri" and not image.is_base64:
        yield job.diag(INLINE_FORM, "the data URI is not base64 (no ';base64,'): an image "
                       "must be sent base64-encoded")  # fmt: skip
    elif profile.inline_form == "base64" and image.form == "data-uri":
        prefix = f"data:{image.declared or ''};base64,"
        yield job.diag(INLINE_FORM, f"{profile.name} takes bare base64: drop the "
                       f"{shown(prefix)} prefix")  # fmt: skip
    elif profile.inline_form == "data-uri" and image.form == "base64":
        example = (
            f"data:{mime_of(image.format)};base64," if image.format else "data:image/png;base64,"
        )
        yield job.diag(INLINE_FORM, f"{profile.name} takes a data URI with the image's type: "
                       f"start it with {example!r}")  # fmt: skip
    elif image.form == "data-uri" and image.declared is None:
        yield job.diag(INLINE_FORM, "the data URI declares no type (data:;base64,…); "
                       f"{profile.name} needs one, e.g. 'data:image/png;base64,'")  # fmt: skip


def _type(job: JobAt, image: InlineImage, profile: Profile, declared: str) -> Diagnostic | None:
    fmt = image.format
    if fmt is None or not declared:
        return None
    told = format_of_mime(declared)
    content = f"{fmt} ({mime_of(fmt)})"
    if told is not None and accepted_as(told) == accepted_as(fmt):
        return None
    if told is None or accepted_as(told) not in profile.formats:
        return job.diag(TYPE_REJECTED, f"the inline image declares {shown(declared)}, which "
                        f"{profile.name} does not accept; the bytes are {content}")  # fmt: skip
    if profile.content_check:
        return job.diag(TYPE_REJECTED, f"the inline image declares {shown(declared)} but the "
                        f"bytes are {content}; {profile.name} rejects a type that is not the "
                        "content's")  # fmt: skip
    return job.diag(EXTENSION_MISMATCH, f"the inline image declares {shown(declared)} but "
                    f"the bytes are {content}; whether {profile.name} minds is "
                    "unconfirmed")  # fmt: skip


def check_inline(job: JobAt, profile: Profile) -> Iterator[Diagnostic]:
    """For an image written into the job: its form, format, declared type and size."""
    reference = job.job.fields.get("input_reference")
    image = read_inline(reference) if isinstance(reference, str) else None
    if image is None:
        return
    yield from _form(job, image, profile)
    if image.form == "data-uri" and not image.is_base64:
        return
    if image.format is not None and accepted_as(image.format) not in profile.formats:
        accepted = ", ".join(sorted(mime_of(f) for f in profile.formats))
        yield job.diag(UNSUPPORTED_FORMAT, f"the inline image is {image.format} "
                       f"({mime_of(image.format)}), not a format {profile.name} accepts "
                       f"(accepted: {accepted})")  # fmt: skip
    else:
        mime = job.job.fields.get("mime_type")
        declared = image.declared or (mime if isinstance(mime, str) else "")
        found = _type(job, image, profile, declared)
        if found is not None:
            yield found
    limit = profile.byte_limit("data-uri")
    encoded = profile.data_uri_counts == "encoded"
    measured = image.length if encoded else image.byte_size
    if limit is not None and measured > limit:
        what = f"{measured:,} characters of data URI" if encoded else f"{measured:,} bytes"
        yield job.diag(FILE_TOO_LARGE, f"the inline image is {what}; {profile.name} takes "
                       f"inline images of at most {limit:,}"
                       f"{' characters' if encoded else ' bytes'}")  # fmt: skip
