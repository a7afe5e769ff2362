"""The default target resolver: ``--target``/``--model``, config, then per-path overrides.

Registered ``trylast``: a plugin that knows an asset's target better (a job file, the file
name) answers first; this one answers for everything else.
"""

from __future__ import annotations

import functools
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from sora_lint.hookspecs import hookimpl
from sora_lint.run.discovery import gitignore_spec
from sora_lint.types import Asset, Settings, Size, TargetRequest

if TYPE_CHECKING:
    import pathspec

DEFAULT_SOURCE = "--target/--model or config"


@functools.lru_cache(maxsize=256)
def _spec(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """An override's globs compiled once (per run's overrides, not per file: compiling them
    costs far more than matching one path)."""
    return gitignore_spec(globs)


def _matches(globs: tuple[str, ...], relative: str) -> bool:
    return bool(_spec(globs).match_file(relative))


#: The last settings seen (weakly: a run's state dies with its settings) and the request
#: every asset without an override gets: one frozen value for all of them, not one per file.
_DEFAULT: list[tuple[weakref.ref[Settings], TargetRequest]] = []


def _default_request(settings: Settings) -> TargetRequest:
    remembered = _DEFAULT[0] if _DEFAULT else None
    if remembered is not None and remembered[0]() is settings:
        return remembered[1]
    model: str = settings["model"]
    target: str = settings["target"]
    size = None if target == "auto" else Size.parse(target)
    request = TargetRequest(model=model, size=size, source=DEFAULT_SOURCE)
    try:
        _DEFAULT[:] = [(weakref.ref(settings), request)]
    except TypeError:  # a stand-in mapping that cannot be referenced weakly: not remembered
        _DEFAULT.clear()
    return request


def _override_request(asset: Asset, settings: Settings, root: str | Path) -> TargetRequest | None:
    """The request per-path overrides make for ``asset``; ``None`` when none applies."""
    try:
        relative = asset.path.relative_to(root).as_posix()
    except ValueError:
        return None
    model: str = settings["model"]
    target: str = settings["target"]
    source = DEFAULT_SOURCE
    from_cli = settings.get("cli-keys", ())
    for override in settings["overrides"]:
        if _matches(override.paths, relative):
            if override.model and "model" not in from_cli:
                model = override.model
                source = f"overrides[{override.index}]"
            if override.target and "target" not in from_cli:
                target = override.target
                source = f"overrides[{override.index}]"
    if source == DEFAULT_SOURCE:
        return None
    size = None if target == "auto" else Size.parse(target)
    return TargetRequest(model=model, size=size, source=source)


@hookimpl(trylast=True)
def sora_lint_resolve_target(asset: Asset, settings: Settings) -> TargetRequest | None:
    root = settings.get("root")
    if root is not None and settings["overrides"]:
        request = _override_request(asset, settings, root)
        if request is not None:
            return request
    return _default_request(settings)
