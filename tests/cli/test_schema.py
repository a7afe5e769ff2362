"""The JSON Schema of ``[tool.sora-lint]``: generated from the options, shipped, and true to
every configuration example the README documents."""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sora_lint.config.files import ConfigFile, config_values
from sora_lint.config.schema import bundled_schema
from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from tests.cli.readme_console import README, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 only
    import tomli as tomllib

SHIPPED = ROOT / "sora_lint" / "config" / "schema.json"


def _schema() -> dict[str, Any]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_shipped_schema_is_the_generated_one() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == bundled_schema(), (
        "regenerate it: python -m sora_lint.config.schema > sora_lint/config/schema.json"
    )
    installed = resources.files("sora_lint.config").joinpath("schema.json")
    assert installed.read_text(encoding="utf-8") == bundled_schema()  # package data
    jsonschema.Draft7Validator.check_schema(_schema())


def _readme_tables() -> list[tuple[int, dict[str, Any]]]:
    """The sora-lint table of each ``toml`` block of the README (with its line), as
    pyproject's ``[tool.sora-lint]`` or a ``sora-lint.toml``; other TOML (a plugin's own
    pyproject) is left out."""
    found = []
    for match in re.finditer(r"^```toml\n(.*?)^```$", README.read_text(), re.M | re.S):
        line = README.read_text()[: match.start()].count("\n") + 1
        data = tomllib.loads(match.group(1))
        if "tool" in data:
            if "sora-lint" in data["tool"]:
                found.append((line, data["tool"]["sora-lint"]))
        elif not any(isinstance(v, dict) and k in ("project", "build-system") for k, v in
                     data.items()):  # fmt: skip
            found.append((line, data))
    return found


TABLES = _readme_tables()


@pytest.mark.parametrize("table", [t for _, t in TABLES], ids=[f"README.md:{n}" for n, _ in TABLES])
def test_every_readme_config_example_is_valid(table: dict[str, Any]) -> None:
    """Valid for the schema, and for sora-lint itself."""
    jsonschema.validate(table, _schema())
    host = PluginHost(build_plugin_manager(autoload=False))
    config_values(ConfigFile(Path("sora-lint.toml"), ROOT, table), host.options)


def test_the_readme_documents_several_config_examples() -> None:
    keys = {key for _, table in TABLES for key in table}
    assert len(TABLES) >= 4 and {"model", "overrides", "job-files", "profiles"} <= keys


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"fix_mode": "pad"}, "Additional properties are not allowed"),
        ({"fix-mode": "crop"}, "is not one of"),
        ({"jpeg-quality": 101}, "is greater than the maximum"),
        ({"pad-blur-radius": 4097}, "is greater than the maximum"),
        ({"max-pixels": "lots"}, "is not of type 'integer'"),
        ({"quiet": "yes"}, "is not of type 'boolean'"),
        ({"select": 1}, "is not valid under any of the given schemas"),
        ({"overrides": [{"paths": ["a/**"]}]}, "is not valid under any of the given schemas"),
        ({"overrides": [{"paths": ["a"], "size": "1x1"}]}, "Additional properties"),
        ({"output-file": "x"}, "Additional properties"),  # command line only
    ],
)
def test_the_schema_rejects_what_sora_lint_rejects(table: dict[str, Any], message: str) -> None:
    with pytest.raises(jsonschema.ValidationError, match=re.escape(message)):
        jsonschema.validate(table, _schema())
