"""Find and read the configuration: ``sora-lint.toml`` or ``[tool.sora-lint]`` in pyproject.

The nearest configuration file above the working directory wins (``sora-lint.toml`` before
``pyproject.toml`` in the same folder, like ruff); its folder is the project root that
config globs are relative to. Every key is checked against the declared options.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sora_lint.config.core_options import parse_target
from sora_lint.config.options import OptionError, OptionRegistry
from sora_lint.config.suggest import did_you_mean
from sora_lint.errors import ConfigError

CONFIG_NAMES = ("sora-lint.toml", ".sora-lint.toml")
SECTION = "[tool.sora-lint]"


@dataclass(frozen=True)
class ConfigFile:
    """A configuration that was found: where, its folder (the root) and its raw table."""

    path: Path | None
    root: Path
    table: Mapping[str, Any]

    @property
    def label(self) -> str:
        if self.path is None:
            return "defaults"
        return str(self.path) + (f" {SECTION}" if self.path.name == "pyproject.toml" else "")


@dataclass(frozen=True)
class Override:
    """A per-path target from the ``overrides`` list."""

    paths: tuple[str, ...]
    target: str | None
    model: str | None
    index: int


def find_config(start: Path) -> ConfigFile:
    """Walk up from ``start``; the first folder with a sora-lint config is the project root."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return load_config(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("sora-lint")
            if table is not None:
                return ConfigFile(pyproject, folder, _as_table(table, f"{pyproject} {SECTION}"))
    return ConfigFile(None, start, {})


def load_config(path: Path) -> ConfigFile:
    """Load an explicit config file (``--config PATH``)."""
    if not path.is_file():
        raise ConfigError(f"--config {path}: no such file")
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("sora-lint", {})
        return ConfigFile(path, path.parent.resolve(), _as_table(table, f"{path} {SECTION}"))
    return ConfigFile(path, path.parent.resolve(), data)


def _read_toml(path: Path) -> dict[str, Any]:
    # Imported here: a run in a folder without a config file never needs a TOML parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _as_table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table")
    return value


def config_values(config: ConfigFile, options: OptionRegistry) -> dict[str, Any]:
    """Validate and convert every key of the config table; unknown keys are errors."""
    values: dict[str, Any] = {}
    allowed = [o.name for o in options if o.config]
    for key, raw in config.table.items():
        where = f"{config.label}: {key}"
        if key not in options or not options[key].config:
            hint = did_you_mean(key, allowed)
            raise ConfigError(
                f"{config.label}: unknown key {key!r}{hint}; allowed: {', '.join(allowed)}"
            )
        if key == "overrides":
            values[key] = parse_overrides(raw, where)
        elif key == "per-file-ignores":
            values[key] = parse_per_file_ignores(raw, where, options)
        else:
            try:
                values[key] = options[key].convert(raw, where)
            except OptionError as exc:
                raise ConfigError(str(exc)) from None
    return values


_OVERRIDE_KEYS = ("paths", "target", "model")


def parse_overrides(raw: Any, where: str) -> tuple[Override, ...]:
    """Check the ``[[tool.sora-lint.overrides]]`` tables: paths plus target and/or model."""
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: expected a list of tables ([[...overrides]])")
    result = []
    for index, table in enumerate(raw):
        here = f"{where}[{index}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{here}: expected a table with keys {', '.join(_OVERRIDE_KEYS)}")
        unknown = sorted(set(table) - set(_OVERRIDE_KEYS))
        if unknown:
            raise ConfigError(
                f"{here}: unknown key {unknown[0]!r}; allowed: {', '.join(_OVERRIDE_KEYS)}"
            )
        paths = table.get("paths")
        if isinstance(paths, str):
            paths = [paths]
        if not paths or not all(isinstance(p, str) for p in paths):
            raise ConfigError(f"{here}.paths: expected a non-empty list of globs")
        target = table.get("target")
        if target is not None:
            try:
                target = parse_target(target)
            except ValueError as exc:
                raise ConfigError(f"{here}.target: {exc}") from None
        model = table.get("model")
        if model is not None and not isinstance(model, str):
            raise ConfigError(f"{here}.model: expected a profile name, got {model!r}")
        if target is None and model is None:
            raise ConfigError(f"{here}: needs target and/or model besides paths")
        result.append(Override(tuple(paths), target, model, index))
    return tuple(result)


def parse_per_file_ignores(
    raw: Any, where: str, options: OptionRegistry
) -> dict[str, tuple[str, ...]]:
    """Check the ``per-file-ignores`` table: glob -> list of codes or prefixes."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table of glob = [codes]")
    result: dict[str, tuple[str, ...]] = {}
    for glob, codes in raw.items():
        try:
            result[glob] = tuple(options["ignore"].convert(codes, f"{where}.{glob!r}"))
        except OptionError as exc:
            raise ConfigError(str(exc)) from None
    return result
