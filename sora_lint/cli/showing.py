"""``--show-settings`` and ``--show-files``: what a run would use, and on which files.

A config file in a parent folder silently moves the project root (and so every glob);
these make that visible, as ruff's flags of the same names do.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from sora_lint.config.files import SECTION, ConfigFile
from sora_lint.config.options import OptionRegistry
from sora_lint.output.escape import visible_text
from sora_lint.output.json_shape import jsonable
from sora_lint.run.discovery import Candidate
from sora_lint.types import Settings

DEFAULT = "default"
COMMAND_LINE = "command line"


def setting_sources(
    settings: Settings, config: ConfigFile, options: OptionRegistry
) -> dict[str, tuple[Any, str]]:
    """Each option's resolved value and where it came from, by name."""
    given = set(settings.get("cli-keys") or ())
    config_label = _config_label(config)
    found: dict[str, tuple[Any, str]] = {}
    for option in sorted(options, key=lambda o: o.name):
        if option.name in given:
            source = COMMAND_LINE
        elif option.name in config.table:
            source = config_label
        else:
            source = DEFAULT
        found[option.name] = (_plain(settings.get(option.name)), source)
    return found


def show_settings(
    settings: Settings, config: ConfigFile, options: OptionRegistry, cwd: Path, out: TextIO
) -> int:
    """Print the config file, the project root and every setting with its source."""
    found = setting_sources(settings, config, options)
    if settings.get("output-format") == "json":
        data = {
            "config_file": str(config.path.resolve()) if config.path is not None else None,
            "root": str(Path(settings["root"]).resolve()),
            "settings": {name: {"value": v, "source": s} for name, (v, s) in found.items()},
        }
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    out.write(f"# config file: {visible_text(_config_label(config))}\n")
    out.write(f"# project root: {visible_text(_relative(Path(settings['root'])))}\n")
    for name, (value, source) in found.items():
        text = json.dumps(value, ensure_ascii=False) if value is not None else "(not set)"
        out.write(f"{name} = {visible_text(text)}  # {visible_text(source)}\n")
    return 0


def show_files(candidates: Sequence[Candidate], out: TextIO) -> int:
    """Print each file a run would check, one per line, sorted."""
    for candidate in candidates:
        out.write(visible_text(candidate.display) + "\n")
    return 0


def _config_label(config: ConfigFile) -> str:
    """The config file as seen from the working folder, with its table if in pyproject."""
    if config.path is None:
        return "none (defaults)"
    section = f" {SECTION}" if config.path.name == "pyproject.toml" else ""
    return _relative(config.path) + section


def _relative(path: Path) -> str:
    """``path`` as seen from the working folder (``../pyproject.toml`` shows a root above)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def _plain(value: Any) -> Any:
    """A setting as JSON values: dataclasses (profiles, overrides) become objects."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return jsonable(value)
