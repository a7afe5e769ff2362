"""The default target resolver: ``--target``/``--model``, config, then per-path overrides.

Registered ``trylast``: a plugin that knows an asset's target better (a job file, the file
name) answers first; this one answers for everything else.
"""

from __future__ import annotations

import functools

import pathspec

from sora_lint.hookspecs import hookimpl
from sora_lint.types import Asset, Settings, Size, TargetRequest


@functools.lru_cache(maxsize=256)
def _matches(globs: tuple[str, ...], relative: str) -> bool:
    return bool(pathspec.GitIgnoreSpec.from_lines(globs).match_file(relative))


@hookimpl(trylast=True)
def sora_lint_resolve_target(asset: Asset, settings: Settings) -> TargetRequest | None:
    model: str = settings["model"]
    target: str = settings["target"]
    source = "--target/--model or config"
    root = settings.get("root")
    if root is not None and settings["overrides"]:
        try:
            relative = asset.path.relative_to(root).as_posix()
        except ValueError:
            relative = None
        if relative is not None:
            from_cli = settings.get("cli-keys", ())
            for override in settings["overrides"]:
                if _matches(override.paths, relative):
                    if override.model and "model" not in from_cli:
                        model = override.model
                        source = f"overrides[{override.index}]"
                    if override.target and "target" not in from_cli:
                        target = override.target
                        source = f"overrides[{override.index}]"
    size = None if target == "auto" else Size.parse(target)
    return TargetRequest(model=model, size=size, source=source)
