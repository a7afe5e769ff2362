"""What ``sora-lint profiles`` says about each profile: every limit, what the API does when an
image misses it (rejects: an error; adapts: a warning), the byte limit per way of sending,
the request values a job may use, and where each fact comes from.

Generic over :class:`~sora_lint.types.Profile`: no profile, rule or vendor is named here.
"""

from __future__ import annotations

from typing import Any, TextIO

from sora_lint.geometry.profile_fit import accepted_labels
from sora_lint.output.escape import visible_text
from sora_lint.types import DELIVERIES, Combination, Fact, Profile

#: The MIME type of each content format a profile may list (the formats config accepts).
_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif",
         "BMP": "image/bmp", "TIFF": "image/tiff", "HEIF": "image/heic",
         "AVIF": "image/avif"}  # fmt: skip


def _severity(action: str) -> str:
    return "error" if action == "reject" else "warning"


def _rule(profile: Profile, constraint: str, limit: str) -> dict[str, Any]:
    action = profile.action(constraint)
    return {
        "constraint": constraint, "limit": limit, "near_miss": action,
        "severity": _severity(action), "detail": profile.near_miss_detail(constraint),
    }  # fmt: skip


def aspect_limit(profile: Profile) -> str | None:
    if profile.aspect_ratios:
        labels = " or ".join(accepted_labels(profile))
        tolerance = f" (±{profile.aspect_tolerance:.0%})" if profile.aspect_tolerance else ""
        return labels + tolerance
    if profile.aspect_range is not None:
        low, high = profile.aspect_range
        return f"{float(low):g} to {float(high):g} (width / height)"
    return None


def profile_rules(profile: Profile) -> list[dict[str, Any]]:
    """Each limit of the profile with what the API does when an image misses it."""
    rules = []
    if profile.sizes:
        rules.append(_rule(profile, "sizes", ", ".join(str(s) for s in profile.sizes)))
    aspect = aspect_limit(profile)
    if aspect is not None:
        rules.append(_rule(profile, "aspect", aspect))
    for key, value, unit in (("min-side", profile.min_side, "px"),
                             ("max-side", profile.max_side, "px"),
                             ("max-pixels", profile.max_pixels, "pixels")):  # fmt: skip
        if value is not None:
            rules.append(_rule(profile, key, f"{value:,} {unit}"))
    limits = delivery_limits(profile)
    if any(v is not None for v in limits.values()):
        shown = "; ".join(f"{way} {limit:,}" for way, limit in limits.items() if limit)
        rules.append(_rule(profile, "bytes", shown))
    rules.append(_rule(profile, "format", ", ".join(mime_types(profile))))
    content = "error" if profile.content_check else "warning"
    rules.append({
        "constraint": "content-type", "limit": f"the type comes from the {profile.type_from}",
        "near_miss": "reject" if profile.content_check else "unconfirmed", "severity": content,
        "detail": "a declared type the model does not accept is always an error"
        if profile.type_from == "name" else "",
    })  # fmt: skip
    if any(key == "ratio" for key, _, _ in profile.near_miss):
        rules.append(_rule(profile, "ratio", "the image's aspect against the job's ratio"))
    return rules


def mime_types(profile: Profile) -> list[str]:
    return sorted(_MIME.get(fmt, fmt) for fmt in profile.formats)


def delivery_limits(profile: Profile) -> dict[str, int | None]:
    """The byte limit for each way of sending (one limit for all when the profile has one)."""
    return {way: profile.byte_limit(way) for way in DELIVERIES}


def _combination(c: Combination) -> dict[str, Any]:
    return {
        "when": c.when, "in": list(c.values), "then": c.then, "allowed": list(c.allowed),
        "reason": c.reason, "near_miss": c.action, "severity": _severity(c.action),
    }  # fmt: skip


def _fact(f: Fact) -> dict[str, Any]:
    return {
        "key": f.key, "source_url": f.source_url or None, "vendor": f.vendor,
        "checked": f.checked or None, "note": f.note,
    }  # fmt: skip


def profile_dict(profile: Profile, default: bool = False) -> dict[str, Any]:
    return {
        "name": profile.name,
        "default": default,
        "status": profile.status,
        "retired": profile.status == "retired",
        "description": profile.description,
        "aliases": list(profile.aliases),
        "job_schema": profile.job_schema or None,
        "sizes": [str(s) for s in profile.sizes],
        "formats": sorted(profile.formats),
        "mime_types": mime_types(profile),
        "aspect_ratios": list(accepted_labels(profile)),
        "aspect_range": (
            [float(profile.aspect_range[0]), float(profile.aspect_range[1])]
            if profile.aspect_range
            else None
        ),
        "aspect_tolerance": profile.aspect_tolerance,
        "min_side": profile.min_side,
        "max_side": profile.max_side,
        "max_pixels": profile.max_pixels,
        "max_bytes": profile.max_bytes,
        "delivery_limits": delivery_limits(profile),
        "data_uri_counts": profile.data_uri_counts,
        "inline_form": profile.inline_form,
        "type_from": profile.type_from,
        "content_check": profile.content_check,
        "seconds": list(profile.seconds),
        "seconds_range": list(profile.seconds_range) if profile.seconds_range else None,
        "max_prompt": profile.max_prompt,
        "prompt_unit": profile.prompt_unit,
        "ratios": list(profile.ratios),
        "resolutions": list(profile.resolutions),
        "rules": profile_rules(profile),
        "combinations": [_combination(c) for c in profile.combinations],
        "source": profile.source,
        "source_url": profile.source_url,
        "vendor_source": profile.vendor_source,
        "checked": profile.checked,
        "notes": profile.notes,
        "facts": [_fact(f) for f in profile.facts],
    }


def _line(out: TextIO, label: str, text: str) -> None:
    # a profile declared in a repository's config can say anything: one line, escaped
    out.write(f"  {label + ':':<14}{visible_text(text)}\n")


def write_profile(profile: Profile, default: bool, out: TextIO) -> None:
    """One profile as text: name and marks, limits with their near-miss, sources."""
    marks = [mark for mark, on in (("default", default), ("RETIRED", profile.status ==
             "retired")) if on]  # fmt: skip
    out.write(f"{visible_text(profile.name)}{' (' + ', '.join(marks) + ')' if marks else ''}\n")
    if profile.description:
        _line(out, "what", profile.description)
    if profile.aliases:
        _line(out, "aliases", ", ".join(profile.aliases))
    for rule in profile_rules(profile):
        said = "rejected (error)" if rule["near_miss"] == "reject" else (
            f"{rule['near_miss']} (warning)")  # fmt: skip
        detail = f"; {rule['detail']}" if rule["detail"] else ""
        _line(out, rule["constraint"], f"{rule['limit']} — otherwise {said}{detail}")
    if profile.delivery_limits and profile.data_uri_counts == "encoded":
        _line(out, "data URIs", "measured as sent (base64 and prefix)")
    if profile.seconds or profile.seconds_range:
        span = profile.seconds_range
        listed = [*profile.seconds, *([f"{span[0]} to {span[1]}"] if span else [])]
        _line(out, "seconds", ", ".join(listed))
    for label, values in (("ratios", profile.ratios), ("resolutions", profile.resolutions)):
        if values:
            _line(out, label, ", ".join(values))
    for c in profile.combinations:
        when = f"{c.when} {'/'.join(c.values)}" if c.values else f"with {c.when}"
        _line(out, "combination", f"{when} -> {c.then} {'/'.join(c.allowed)} "
              f"({_severity(c.action)}): {c.reason}")  # fmt: skip
    if profile.max_prompt is not None:
        unit = "UTF-16 code units" if profile.prompt_unit == "utf-16" else "characters"
        _line(out, "prompt", f"at most {profile.max_prompt:,} {unit}")
    if profile.job_schema:
        _line(out, "job shape", f"job-schema = {profile.job_schema!r}")
    if profile.notes:
        _line(out, "notes", profile.notes)
    vendor = "vendor's own" if profile.vendor_source else "third party"
    _line(out, "source", f"{profile.source} ({vendor}) {profile.source_url}".strip())
    _line(out, "checked", profile.checked or "unknown")
    if profile.status != "retired":
        for fact in profile.facts:
            who = "vendor" if fact.vendor else "third party" if fact.source_url else "unconfirmed"
            where = " ".join(filter(None, (fact.checked, fact.source_url)))
            note = f" — {fact.note}" if fact.note else ""
            line = f"{fact.key}: {who}{', ' + where if where else ''}{note}"
            out.write(f"    {visible_text(line)}\n")
    out.write("\n")
