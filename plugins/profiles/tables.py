"""The bundled profiles' TOML tables, also kept as JSON (``data/tables.json``), so a run need
not parse TOML to start.

Every run reads all the bundled profiles (a model is looked up by its aliases too); parsing
their TOML in pure Python, with the import of ``tomllib``, took 9.5 ms of every run's
start-up (measured: 11.5 ms against 2.0 ms for the fifteen profiles; 12% of a one-file
run's instructions, 5% of a cached re-run's of 8,000 files). The TOML files stay the
source: each JSON table carries the SHA-256 of the text it was read from, and a table whose
text has changed since (a data file edited, the JSON not yet regenerated) is read from the
TOML again. A test keeps the shipped file equal to what this module generates::

    python -m sora_lint_plugins.profiles.tables > plugins/profiles/data/tables.json
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from typing import Any

#: The folder of the bundled profiles' data files.
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
TABLES = os.path.join(DATA, "tables.json")


def digest(text: str) -> str:
    """The SHA-256 of a data file's text (its newlines as Python reads them)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_toml(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


@functools.cache
def _stored() -> dict[str, Any]:
    """The shipped JSON tables by profile name (none when the file is missing or damaged:
    then every profile is read from its TOML)."""
    try:
        with open(TABLES, encoding="utf-8") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def table(name: str, text: str) -> dict[str, Any]:
    """The table of the bundled profile ``name`` whose data file holds ``text``."""
    stored = _stored().get(name)
    if isinstance(stored, dict) and stored.get("sha256") == digest(text):
        found = stored.get("table")
        if isinstance(found, dict):
            return found
    return parse_toml(text)


def generated(names: tuple[str, ...]) -> str:
    """``data/tables.json`` as it should be: each profile's table, read from its TOML, with
    the digest of that text; a table JSON cannot hold exactly (a TOML date) is left out."""
    tables: dict[str, Any] = {}
    for name in names:
        with open(os.path.join(DATA, f"{name}.toml"), encoding="utf-8") as data:
            text = data.read()
        parsed = parse_toml(text)
        if json.loads(json.dumps(parsed)) == parsed:
            tables[name] = {"sha256": digest(text), "table": parsed}
    return json.dumps(tables, indent=1, ensure_ascii=False) + "\n"


def bundled_tables() -> str:
    """``data/tables.json`` for every bundled profile."""
    from .bundled import SORA, VENDORS

    names: tuple[str, ...] = SORA + VENDORS
    return generated(names)


if __name__ == "__main__":  # pragma: no cover - exercised by the test through its functions
    print(bundled_tables(), end="")
