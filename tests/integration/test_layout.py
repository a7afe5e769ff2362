"""The folders are the architecture: packaging and ARCHITECTURE.md must name each of them."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
#: Source folder -> the package name it installs as.
TOPS = {"sora_lint": "sora_lint", "plugins": "sora_lint_plugins"}


def _packages_on_disk() -> set[str]:
    found = set()
    for folder, package in TOPS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((package, *parts)))
    return found


def test_pyproject_installs_every_package_folder() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    assert listed == _packages_on_disk()


def test_architecture_map_names_every_folder_and_only_real_ones() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    on_disk = {
        f"{folder}/{'/'.join(init.parent.relative_to(ROOT / folder).parts)}/"
        for folder in TOPS
        for init in (ROOT / folder).rglob("__init__.py")
        if init.parent != ROOT / folder
    }
    named = set(re.findall(r"`((?:sora_lint|plugins)/[a-z_/]+/)`", text))
    assert on_disk - named == set(), "folders missing from ARCHITECTURE.md"
    assert named - on_disk == set(), "ARCHITECTURE.md names folders that do not exist"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_the_values_import_nothing_else_of_the_core() -> None:
    """ARCHITECTURE.md's invariant: the values are pure data, so every part of the core (and
    every plugin) can import them without a cycle."""
    outside = {
        f"{path.name}: {module}"
        for path in (ROOT / "sora_lint" / "values").glob("*.py")
        for module in _imported_modules(path)
        if module.split(".")[0] in TOPS.values() and not module.startswith("sora_lint.values")
    }
    assert outside == set()
