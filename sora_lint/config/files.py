"""Find and read the configuration: ``sora-lint.toml`` or ``[tool.sora-lint]`` in pyproject.

The nearest configuration file above the working directory wins (``sora-lint.toml`` before
``pyproject.toml`` in the same folder, like ruff); its folder is the project root that
config globs are relative to. Every key is checked against the declared options.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sora_lint.config.core_options import parse_target
from sora_lint.config.options import OptionError, OptionRegistry, glob_pattern, shown
from sora_lint.config.suggest import did_you_mean
from sora_lint.errors import ConfigError
from sora_lint.filesystem.reading import FileRefused, read_optional_file

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


#: A configuration file is kilobytes; a larger one (or a FIFO, a device) is refused unread.
MAX_CONFIG_BYTES = 4 * 1024 * 1024


def find_config(start: Path) -> ConfigFile:
    """Walk up from ``start``; the first folder with a sora-lint config is the project root."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if os.path.lexists(candidate):
                data = _read_toml(candidate)
                if data is not None:
                    return ConfigFile(candidate, folder, data)
        pyproject = folder / "pyproject.toml"
        if os.path.lexists(pyproject):
            table = _section(_read_toml(pyproject) or {}, pyproject)
            if table is not None:
                return ConfigFile(pyproject, folder, table)
    return ConfigFile(None, start, {})


def load_config(path: Path) -> ConfigFile:
    """Load an explicit config file (``--config PATH``)."""
    data = _read_toml(path)
    if data is None:
        raise ConfigError(f"--config {path}: no such file")
    if path.name == "pyproject.toml":
        table = _section(data, path) or {}
        return ConfigFile(path, path.parent.resolve(), table)
    return ConfigFile(path, path.parent.resolve(), data)


def _section(data: Mapping[str, Any], path: Path) -> Mapping[str, Any] | None:
    """The ``[tool.sora-lint]`` table of a pyproject file, or ``None`` when it has none."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool: expected a table, got {_kind(tool)}")
    table = tool.get("sora-lint")
    return None if table is None else _as_table(table, f"{path} {SECTION}")


def _read_toml(path: Path) -> dict[str, Any] | None:
    """The parsed file, ``None`` when it does not exist; anything else that is not a small
    regular file of UTF-8 TOML is a :class:`ConfigError` naming the file."""
    # Imported here: a run in a folder without a config file never needs a TOML parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        raw = read_optional_file(path, MAX_CONFIG_BYTES)
    except FileRefused as exc:
        raise ConfigError(f"{exc}") from None
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}: not UTF-8 text (line {line}); TOML files are UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _kind(value: Any) -> str:
    """A TOML value's kind in words, for messages (never the value: it may be huge)."""
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
             list: "an array", dict: "a table"}  # fmt: skip
    return names.get(type(value), type(value).__name__)


def _as_table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table, got {_kind(value)}")
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
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
            raise ConfigError(f"{here}.paths: expected a non-empty list of globs")
        for glob in paths:
            _check_glob(glob, f"{here}.paths")
        target = table.get("target")
        if target is not None:
            try:
                target = parse_target(target)
            except ValueError as exc:
                raise ConfigError(f"{here}.target: {exc}") from None
        model = table.get("model")
        if model is not None and not isinstance(model, str):
            raise ConfigError(f"{here}.model: expected a profile name, got {shown(model)}")
        if target is None and model is None:
            raise ConfigError(f"{here}: needs target and/or model besides paths")
        result.append(Override(tuple(paths), target, model, index))
    return tuple(result)


def _check_glob(glob: str, where: str) -> None:
    try:
        glob_pattern(glob)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def parse_per_file_ignores(
    raw: Any, where: str, options: OptionRegistry
) -> dict[str, tuple[str, ...]]:
    """Check the ``per-file-ignores`` table: glob -> list of codes or prefixes."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table of glob = [codes]")
    result: dict[str, tuple[str, ...]] = {}
    for glob, codes in raw.items():
        _check_glob(glob, where)
        try:
            result[glob] = tuple(options["ignore"].convert(codes, f"{where}.{glob!r}"))
        except OptionError as exc:
            raise ConfigError(str(exc)) from None
    return result
