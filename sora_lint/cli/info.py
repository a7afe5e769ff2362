"""``sora-lint rules``, ``sora-lint rule CODE`` and ``sora-lint profiles``."""

from __future__ import annotations

import json
from typing import Any, TextIO

from sora_lint.config.suggest import did_you_mean
from sora_lint.errors import UsageError
from sora_lint.host.plugin_host import PluginHost
from sora_lint.types import Profile, Rule


def show_rules(host: PluginHost, as_json: bool, out: TextIO) -> int:
    rules = host.rules.values()
    if as_json:
        data = [_rule_dict(rule) for rule in rules]
        out.write(json.dumps(data, indent=2) + "\n")
        return 0
    width = max((len(rule.name) for rule in rules), default=0)
    for rule in rules:
        out.write(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<8} {rule.summary}\n")
    return 0


def show_rule(host: PluginHost, wanted: str | None, as_json: bool, out: TextIO) -> int:
    """One rule's documentation (``wanted`` a code or a name), or every rule's (``None``)."""
    rules = list(host.rules.values())
    if wanted is not None:
        rules = [r for r in rules if wanted.upper() == r.code or wanted.lower() == r.name]
        if not rules:
            names = [*host.rules, *(r.name for r in host.rules.values())]
            hint = did_you_mean(wanted, names)
            known = ", ".join(host.rules)
            raise UsageError(f"rule: unknown rule {wanted!r}{hint}; known: {known}")
    if as_json:
        data = [{**_rule_dict(rule), "doc": rule.doc.strip()} for rule in rules]
        out.write(json.dumps(data[0] if wanted is not None else data, indent=2) + "\n")
        return 0
    for index, rule in enumerate(rules):
        if index:
            out.write("\n")
        out.write(f"# {rule.name} ({rule.code})\n\n")
        out.write(f"Severity: {rule.severity.value}\n\n")
        out.write(rule.doc.strip() + "\n")
    return 0


def _rule_dict(rule: Rule) -> dict[str, str]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "summary": rule.summary,
    }


def profile_dict(profile: Profile) -> dict[str, Any]:
    return {
        "name": profile.name,
        "status": profile.status,
        "sizes": [str(s) for s in profile.sizes],
        "formats": sorted(profile.formats),
        "aspect_ratios": [f"{r.numerator}:{r.denominator}" for r in profile.aspect_ratios],
        "aspect_range": (
            [float(profile.aspect_range[0]), float(profile.aspect_range[1])]
            if profile.aspect_range
            else None
        ),
        "min_side": profile.min_side,
        "max_side": profile.max_side,
        "max_pixels": profile.max_pixels,
        "max_bytes": profile.max_bytes,
        "aspect_tolerance": profile.aspect_tolerance,
        "seconds": list(profile.seconds),
        "max_prompt": profile.max_prompt,
        "description": profile.description,
        "source": profile.source,
        "source_url": profile.source_url,
        "vendor_source": profile.vendor_source,
        "checked": profile.checked,
        "notes": profile.notes,
    }


def show_profiles(host: PluginHost, as_json: bool, out: TextIO) -> int:
    profiles = host.profiles.values()
    if as_json:
        out.write(json.dumps([profile_dict(p) for p in profiles], indent=2) + "\n")
        return 0
    for profile in profiles:
        data = profile_dict(profile)
        status = " (RETIRED: still usable for checks)" if profile.status == "retired" else ""
        out.write(f"{profile.name}{status}\n")
        if profile.description:
            out.write(f"  {profile.description}\n")
        if data["sizes"]:
            out.write(f"  sizes:   {', '.join(data['sizes'])}\n")
        if data["aspect_ratios"]:
            out.write(f"  aspect:  {', '.join(data['aspect_ratios'])}\n")
        if data["aspect_range"]:
            low, high = data["aspect_range"]
            out.write(f"  aspect:  {low:g} to {high:g} (width / height)\n")
        for key in ("min_side", "max_side", "max_pixels", "max_bytes", "max_prompt"):
            if data[key] is not None:
                out.write(f"  {key.replace('_', ' ')}: {data[key]:,}\n")
        if profile.seconds:
            out.write(f"  seconds: {', '.join(profile.seconds)}\n")
        out.write(f"  formats: {', '.join(data['formats'])}\n")
        if profile.notes:
            out.write(f"  notes:   {profile.notes}\n")
        vendor = "vendor documentation" if profile.vendor_source else "third-party source"
        out.write(f"  source:  {profile.source} ({vendor}) {profile.source_url}\n")
        out.write(f"  checked: {profile.checked}\n\n")
    return 0
