"""``sora-lint rules``, ``sora-lint rule CODE`` and ``sora-lint profiles``."""

from __future__ import annotations

import json
from typing import TextIO

from sora_lint.cli.profile_info import profile_dict, write_profile
from sora_lint.config.suggest import did_you_mean
from sora_lint.errors import UsageError
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.targeting import find_profile
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


def default_model(host: PluginHost) -> Profile | None:
    """The profile a run uses when nothing names one: the configured ``model`` (this
    project's, when ``sora-lint profiles`` found a config), else the tool's default."""
    settings = host._settings
    model = settings.get("model") if settings is not None else None
    if not isinstance(model, str):
        model = host.options.defaults().get("model")
    return find_profile(host.profiles, model) if isinstance(model, str) else None


def show_profiles(host: PluginHost, as_json: bool, out: TextIO) -> int:
    profiles = host.profiles.values()
    default = default_model(host)
    is_default = {p.name: default is not None and p.name == default.name for p in profiles}
    if as_json:
        data = [profile_dict(p, is_default[p.name]) for p in profiles]
        out.write(json.dumps(data, indent=2) + "\n")
        return 0
    for profile in profiles:
        write_profile(profile, is_default[profile.name], out)
    return 0
