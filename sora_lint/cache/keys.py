"""The keys that decide whether a cached result still holds.

The namespace covers what changes every file's result: the tool version, each plugin's name,
version and source stamp (so editing a plugin, or the core in a development install,
invalidates the cache) and every resolved setting except those that only shape the output or
the run (``output-format``, ``jobs``, ``--fix`` …). Unknown plugin options count: a setting
that might change results is part of the key. The check key covers what changes one file's
diagnostics besides its content: how it is shown and the target request resolved for it.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import sys
from pathlib import Path, PurePath
from typing import Any

import pluggy

from sora_lint import __version__
from sora_lint.cache.layout import parser_name
from sora_lint.host.manager import BUILTIN_PACKAGE
from sora_lint.run.engine import Session

#: Settings that do not change any file's probe result or diagnostics.
RUN_ONLY_SETTINGS = frozenset(
    {
        "output-format", "output-file", "output", "quiet", "statistics", "exit-zero",
        "fail-on", "jobs", "no-cache", "cache-dir", "shard", "cli-keys", "config-file",
        "root",  # entries are keyed by root-relative path: a checkout elsewhere still hits
        "fix", "diff", "fix-to", "unsafe-fixes", "exit-non-zero-on-fix", "baseline",
        "write-baseline", "prune-baseline",
    }
)  # fmt: skip


def _jsonable(value: Any) -> Any:
    """A JSON value standing for a setting JSON cannot hold, the same in every process: sets
    sorted by their items' canonical JSON, dataclasses (a config-declared ``Profile``) by
    their fields, never ``repr`` of a set (its order follows the hash seed)."""
    if isinstance(value, set | frozenset):
        return sorted(_canonical(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__qualname__, **fields}
    if isinstance(value, enum.Enum):
        return _jsonable(value.value) if isinstance(value.value, set | frozenset) else value.value
    if isinstance(value, PurePath):
        return str(value)
    return repr(value)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=_jsonable)


def _source_stamp(module: Any) -> list[Any]:
    """Size and mtime of a plugin's source file: changes when the plugin is edited."""
    path = getattr(module, "__file__", None)
    if not path:
        return []
    try:
        info = os.stat(path)
    except OSError:
        return []
    return [os.path.basename(path), info.st_size, info.st_mtime_ns]


def _core_stamp() -> list[Any]:
    """Path, size and mtime of every module of the core and the bundled plugins, in every
    sub-package: a development install changes them without changing the version (editing
    ``run/engine.py`` or a rule's helper module must not leave cached results standing)."""
    packages = [Path(__file__).parent.parent]
    bundled = getattr(sys.modules.get(BUILTIN_PACKAGE), "__file__", None)  # loaded by now
    if bundled is not None:
        packages.append(Path(bundled).parent)
    stamps: list[Any] = []
    for package in packages:
        _tree_stamp(str(package), package.name, stamps)
    return sorted(stamps)


def _tree_stamp(folder: str, shown: str, stamps: list[Any]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        stamps.append([shown, None])
        return
    for entry in entries:
        name = entry.name
        try:
            if name.endswith(".py") and entry.is_file(follow_symlinks=False):
                info = entry.stat(follow_symlinks=False)
                stamps.append([f"{shown}/{name}", info.st_size, info.st_mtime_ns])
            elif name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                _tree_stamp(entry.path, f"{shown}/{name}", stamps)
        except OSError:
            stamps.append([f"{shown}/{name}", None])


def plugin_stamps(pm: pluggy.PluginManager) -> list[Any]:
    """Each registered plugin's name, distribution version and source stamp, sorted."""
    versions: dict[int, str] = {}
    for plugin, dist in pm.list_plugin_distinfo():
        versions[id(plugin)] = f"{dist.project_name}=={dist.version}"
    stamps = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        version = versions.get(id(plugin)) or str(getattr(plugin, "__version__", ""))
        stamps.append([name, version, _source_stamp(plugin)])
    return sorted(stamps)


def namespace_key(session: Session) -> str:
    """A short hash naming the cache namespace of this run's tool, plugins and settings."""
    values = session.settings.values
    settings = {key: value for key, value in values.items() if key not in RUN_ONLY_SETTINGS}
    # Which settings came from the command line decides whether config overrides apply.
    given = values.get("cli-keys", ())
    settings["cli-keys (results)"] = sorted(k for k in given if k not in RUN_ONLY_SETTINGS)
    material = {
        "version": __version__,
        "python": sys.version_info[:2],
        "parser": parser_name(),
        "core": _core_stamp(),
        "plugins": plugin_stamps(session.host.pm),
        "settings": settings,
    }
    try:
        text = json.dumps(material, sort_keys=True, default=_jsonable)
    except (TypeError, ValueError):  # a plugin setting JSON cannot sort: its repr is stable
        text = repr(material)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def run_stamp(stamps: list[str]) -> str:
    """One fixed-width hash of the plugins' cache stamps (see ``sora_lint_cache_stamp``)."""
    text = "\0".join(stamps)
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def check_key(display: str, stamp: str) -> str:
    """What, besides its content and the namespace, a file's diagnostics depend on: how it is
    shown (messages name it) and the run's stamp. Plain text: this is computed per file."""
    return f"{stamp}:{display}"
