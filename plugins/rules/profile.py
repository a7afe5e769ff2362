"""Rules for profiles that accept a range of sizes (Runway, Kling, Hailuo, Seedance, Wan,
Vidu, Veo): SL019 aspect ratio, SL020 side too small, SL021 side too large, SL022 too many
pixels for the model, SL023 file too large for the way it is sent (any profile), and SL030
for what a model adapts instead of rejecting (Veo crops to 16:9).

They judge the size the image is shown at (upright), like the target, and carry the fix to
the nearest accepted size: for these profiles they are the one finding per problem (SL001
reports a declared size). A diagnostic moves to the job file and line when a job declared
the image's target.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

from sora_lint.config.options import OptionRegistry
from sora_lint.geometry.profile_fit import (
    CONSTRAINT_OF,
    accepted_labels,
    adaptation,
    aspect_ok,
    nearest_aspect,
    ratio_text,
    violations,
)
from sora_lint.hookspecs import hookimpl
from sora_lint.types import DELIVERIES, CheckContext, Diagnostic, Profile, Rule, Severity

from ..profiles.mime import mime_of, mime_of_extension
from ..profiles.parse import parse_ratio
from .profile_docs import DOCS
from .size import at_origin

#: Each way of sending an image, as a message says it.
SENT = {"url": "by URL", "data-uri": "as a data URI", "upload": "uploaded"}
#: How far an image's aspect may be from a job's output ratio before the model changes it.
RATIO_TOLERANCE = 0.01


def _check(kind: str) -> Callable[[CheckContext], tuple[Diagnostic, ...]]:
    def check(ctx: CheckContext) -> tuple[Diagnostic, ...]:
        header, target = ctx.asset.header, ctx.target
        if header is None or target is None or target.profile.exact:
            return ()
        declared = target.request.size
        if declared is not None and header.size != declared:
            return ()  # SL001 reports the declared size; the image must become that
        profile, shown = target.profile, header.display_size
        if profile.action(CONSTRAINT_OF[kind]) != "reject":
            return ()  # SL030 says what the model does instead
        return tuple(
            RULES_BY_KIND[kind].diagnostic(
                ctx, message, size=shown, target=target.size, **at_origin(ctx)
            )
            for found, message in violations(profile, shown)
            if found == kind
        )

    return check


def _job_ratio(ctx: CheckContext) -> tuple[str, Fraction] | None:
    """The output ratio a job asked for (``"9:16"``, ``"1280:720"``) as ``(label, ratio)``,
    when it is one the model takes (else SL032 reports the job); ``adaptive`` is none."""
    target = ctx.target
    raw = target.request.param("ratio") if target is not None else None
    if raw is None or (target is not None and target.profile.ratios
                       and raw not in target.profile.ratios):  # fmt: skip
        return None
    try:
        return raw, parse_ratio(raw, "ratio")
    except ValueError:
        return None


def _action(profile: Profile, constraint: str, resize_mode: str | None) -> tuple[str, str]:
    """The near-miss action and its detail: the profile's, unless the job picked Veo's
    ``resizeMode``."""
    action = profile.action(constraint)
    mode = (resize_mode or "").strip().upper()
    if action in ("crop", "pad") and mode in ("CROP", "PAD"):
        return mode.lower(), f"the job's resizeMode {mode}"
    return action, profile.near_miss_detail(constraint)


def check_adapted(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    header, target = ctx.asset.header, ctx.target
    if header is None or target is None or target.profile.exact:
        return ()
    profile, shown = target.profile, header.display_size
    mode = target.request.param("resize_mode")
    found: list[str] = []
    asked = _job_ratio(ctx)
    if asked is not None and profile.action("ratio") != "reject":
        label, ratio = asked
        aspect = shown.width / shown.height
        if abs(aspect / float(ratio) - 1) > max(RATIO_TOLERANCE, profile.aspect_tolerance):
            action, detail = _action(profile, "ratio", mode)
            found.append(adaptation(profile, shown, ratio, f"the job's {label}", action, detail))
    elif profile.action("aspect") != "reject" and not aspect_ok(profile, shown):
        nearest = nearest_aspect(profile, shown)
        if nearest is not None:
            labels = dict(zip(profile.aspect_ratios, accepted_labels(profile), strict=True))
            action, detail = _action(profile, "aspect", mode)
            label = labels.get(nearest, ratio_text(nearest))
            found.append(adaptation(profile, shown, nearest, label, action, detail))
    for kind, message in violations(profile, shown):
        action = profile.action(CONSTRAINT_OF[kind])
        if kind != "aspect" and action != "reject":
            found.append(f"{message}: {profile.name} will {action} it")
    return tuple(ADAPTED.diagnostic(ctx, text, size=shown, **at_origin(ctx)) for text in found)


def upload_mime(ctx: CheckContext, profile: Profile) -> str:
    """The MIME type an upload of this asset carries: the one a job declared, else the one
    its name gives (or, for an API that reads the bytes, the content's)."""
    target = ctx.target
    declared = target.request.param("mime_type") if target is not None else None
    if declared:
        return declared
    name = ctx.asset.path.name
    if profile.type_from == "name" and "." in name:
        return mime_of_extension(name.rpartition(".")[2])
    return mime_of(ctx.asset.format or "")


def measured_size(byte_size: int, profile: Profile, delivery: str, mime: str) -> int:
    """The size the API compares with its limit: a data URI's whole length (base64 of the
    bytes and, for a data-URI form, the ``data:<type>;base64,`` prefix) where it counts the
    encoded text, else the bytes."""
    if delivery != "data-uri" or profile.data_uri_counts != "encoded":
        return byte_size
    prefix = len(f"data:{mime};base64,") if profile.inline_form == "data-uri" else 0
    return 4 * -(-byte_size // 3) + prefix


def delivery_of(ctx: CheckContext) -> str:
    target = ctx.target
    asked = target.request.param("delivery") if target is not None else None
    return asked or str(ctx.settings.get("delivery") or "url")


def check_file_too_large(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    target, size = ctx.target, ctx.asset.byte_size
    if target is None:
        return ()
    profile, delivery = target.profile, delivery_of(ctx)
    limit = profile.byte_limit(delivery)
    if limit is None:
        return ()
    mime = upload_mime(ctx, profile)
    measured = measured_size(size, profile, delivery, mime)
    if measured <= limit:
        return ()
    if measured != size:
        prefix = f"data:{mime};base64,…" if profile.inline_form == "data-uri" else "base64"
        said = f"{size:,} bytes are {measured:,} characters as a data URI ({prefix})"
        takes = f"takes data URIs of at most {limit:,}"
    else:
        said = f"{size:,} bytes"
        how = f" {SENT[delivery]}" if profile.delivery_limits else ""
        takes = f"takes images of at most {limit:,} bytes{how}"
    better = [
        f"{SENT[other]}: up to {bound:,} bytes"
        for other, bound in profile.delivery_limits
        if other != delivery and measured_size(size, profile, other, mime) <= bound
    ]
    hint = f" ({'; '.join(better)})" if better else ""
    data = {"bytes": size, "max_bytes": limit, "delivery": delivery, "measured": measured}
    return (
        FILE_TOO_LARGE.diagnostic(
            ctx, f"{said}; {profile.name} {takes}{hint}", data=data, **at_origin(ctx)
        ),
    )


def _rule(code: str, name: str, severity: Severity, summary: str, check: Callable[
        [CheckContext], tuple[Diagnostic, ...]], pure: bool = True) -> Rule:  # fmt: skip
    return Rule(code, name, severity, summary, DOCS[code], check, pure=pure)


ASPECT = _rule("SL019", "unsupported-aspect-ratio", Severity.ERROR,
               "the aspect ratio is not one the model accepts", _check("aspect"))  # fmt: skip
SIDE_TOO_SMALL = _rule("SL020", "side-too-small", Severity.ERROR,
                       "a side is shorter than the model's minimum", _check("small"))  # fmt: skip
SIDE_TOO_LARGE = _rule("SL021", "side-too-large", Severity.ERROR,
                       "a side is longer than the model's maximum", _check("large"))  # fmt: skip
MODEL_PIXELS = _rule("SL022", "too-many-pixels-for-model", Severity.ERROR,
                     "more pixels than the model takes", _check("pixels"))  # fmt: skip
FILE_TOO_LARGE = _rule("SL023", "file-too-large", Severity.ERROR,
                       "the file is larger than the model takes the way it is sent",
                       check_file_too_large, pure=False)  # fmt: skip
ADAPTED = _rule("SL030", "model-adapts-image", Severity.WARNING,
                "the model will crop, pad or change the image", check_adapted)  # fmt: skip

RULES_BY_KIND = {
    "aspect": ASPECT, "small": SIDE_TOO_SMALL, "large": SIDE_TOO_LARGE, "pixels": MODEL_PIXELS,
}  # fmt: skip


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    options.add(
        "delivery",
        "how images reach the API, for its byte limit: url, data-uri or upload",
        default="url",
        choices=DELIVERIES,
        metavar="url|data-uri|upload",
        plugin="rules_profile",
        group="targets",
    )


@hookimpl
def sora_lint_register_rules() -> Iterable[Rule]:
    return [*RULES_BY_KIND.values(), FILE_TOO_LARGE, ADAPTED]
