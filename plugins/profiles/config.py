"""A team's own target profiles, declared in config under ``[tool.sora-lint.profiles.NAME]``.

The ``profiles`` option parses each table into a :class:`~sora_lint.types.Profile` with the
same code that reads the bundled profiles (``parse.py``): a pure function of the config, so
every worker of a run gets the same ones. The profile hook registers them from the run's
settings: usable with ``--model NAME``, in overrides and in jobs like the built-in ones. A
name already taken is a plugin error naming both.

Keys (README "Your own profile"): ``sizes``, ``aspect-ratios``, ``aspect-range``,
``aspect-tolerance``, ``min-side``, ``max-side``, ``max-pixels``, ``max-bytes``,
``delivery-limits``, ``formats`` (MIME types; default JPEG, PNG, WebP), ``seconds``,
``seconds-range``, ``max-prompt``, ``ratios``, ``resolutions``, ``near-miss``, ``aliases``,
``combinations``, ``facts`` and the descriptive ``description``, ``notes``, ``source``,
``source-url``, ``checked``, ``vendor-source``, ``status``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sora_lint.config.options import OptionRegistry
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Profile, Settings

from .parse import parse_profile


def parse_profiles(raw: Any) -> tuple[Profile, ...]:
    """The ``[tool.sora-lint.profiles]`` table: one sub-table per profile name."""
    if not isinstance(raw, dict):
        raise ValueError("expected tables [tool.sora-lint.profiles.NAME]")
    return tuple(parse_profile(str(name), table) for name, table in raw.items())


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    options.add(
        "profiles",
        "your own target profiles: [tool.sora-lint.profiles.NAME] tables",
        default=(),
        parse=parse_profiles,
        cli=False,
        plugin="profiles_config",
    )


@hookimpl
def sora_lint_register_profiles(settings: Settings | None) -> Iterable[Profile]:
    if settings is None:
        return []
    return list(settings.get("profiles") or ())
