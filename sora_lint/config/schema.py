"""The JSON Schema of the ``[tool.sora-lint]`` table (and of ``sora-lint.toml``).

Generated from the option registry, so every key a bundled plugin declares is in it with its
help as the description; editors (and SchemaStore) use it to complete and check config files.
``python -m sora_lint.config.schema > sora_lint/config/schema.json`` regenerates the file the
package ships; a test fails when the two differ.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sora_lint.config.options import Option, OptionRegistry, string

DRAFT = "http://json-schema.org/draft-07/schema#"

_STRINGS: dict[str, Any] = {
    "anyOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "string", "description": "comma-separated"},
    ]
}


def option_schema(option: Option) -> dict[str, Any]:
    """One key's schema: declared (``Option.schema``), else worked out from its kind, its
    choices, its parser and its default."""
    found: dict[str, Any]
    if option.schema is not None:
        found = dict(option.schema)
    elif option.kind == "flag":
        found = {"type": "boolean"}
    elif option.kind == "list":
        item = _value_schema(option)
        found = {"anyOf": [{"type": "array", "items": item}, _STRINGS["anyOf"][1]]}
    else:
        found = _value_schema(option)
    found.setdefault("description", option.help)
    if option.default not in (None, (), {}) and "default" not in found:
        found["default"] = (
            list(option.default) if isinstance(option.default, tuple) else (option.default)
        )
    return found


def _value_schema(option: Option) -> dict[str, Any]:
    if option.choices:
        return {"type": "string", "enum": list(option.choices)}
    declared = getattr(option.parse, "json_schema", None)
    if isinstance(declared, Mapping):
        return dict(declared)
    if option.parse is string:
        return {"type": "string"}
    default = option.default
    if isinstance(default, bool):
        return {"type": "boolean"}
    if isinstance(default, int):
        return {"type": "integer"}
    if isinstance(default, str):
        return {"type": "string"}
    return {}  # a parser of a plugin's own: any value, checked when sora-lint reads it


def build_schema(options: OptionRegistry) -> dict[str, Any]:
    """The schema of every config key ``options`` declares (unknown keys are errors)."""
    properties = {
        option.name: option_schema(option)
        for option in sorted(options, key=lambda o: o.name)
        if option.config
    }
    return {
        "$schema": DRAFT,
        "title": "sora-lint",
        "description": (
            "Configuration of sora-lint: the [tool.sora-lint] table of pyproject.toml, or the "
            "top level of sora-lint.toml. Keys of third-party plugins are not listed."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def render_schema(options: OptionRegistry) -> str:
    """The schema as the shipped ``schema.json`` holds it."""
    return json.dumps(build_schema(options), indent=2, ensure_ascii=False) + "\n"


def bundled_schema() -> str:
    """The schema of the bundled plugins alone (installed plugins are left out)."""
    from sora_lint.host.manager import build_plugin_manager
    from sora_lint.host.plugin_host import PluginHost

    return render_schema(PluginHost(build_plugin_manager(autoload=False)).options)


if __name__ == "__main__":  # pragma: no cover - exercised by the test through its functions
    print(bundled_schema(), end="")
