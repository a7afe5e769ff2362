"""Target profiles for OpenAI's Sora 2 models (``data/sora-2.toml``, ``data/sora-2-pro.toml``).

OpenAI shut their API down on 2026-09-24; the profiles stay (marked retired) so repositories
that still target them keep their gate, and ``sora-2`` stays the default model.
"""

from __future__ import annotations

from collections.abc import Iterable

from sora_lint.hookspecs import hookimpl
from sora_lint.types import Profile, Settings

from .bundled import SORA, data_stamp, load


@hookimpl
def sora_lint_register_profiles() -> Iterable[Profile]:
    return [load(name) for name in SORA]


@hookimpl
def sora_lint_cache_stamp(settings: Settings) -> str:
    """The profiles' data files decide every verdict: cached results follow them."""
    return data_stamp(SORA)


def __getattr__(name: str) -> Profile:
    """``SORA_2`` and ``SORA_2_PRO``, read from their data files when first asked for."""
    names = {"SORA_2": "sora-2", "SORA_2_PRO": "sora-2-pro"}
    if name in names:
        return load(names[name])
    raise AttributeError(name)
