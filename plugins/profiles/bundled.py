"""The bundled profiles: one TOML file each in ``data/``, read with the code that reads a
project's own ``[tool.sora-lint.profiles.NAME]`` tables (``parse.py``), so correcting a model
is a data change with its sources beside it.

The files ship as package data; each is read the first time the profiles are asked for
(``sora-lint profiles`` or a run), never at import.
"""

from __future__ import annotations

import functools
import os
import sys
from importlib import resources

from sora_lint.types import Profile

from .parse import parse_profile

#: The bundled profiles' names: the data files' stems (a public contract).
SORA = ("sora-2", "sora-2-pro")
VENDORS = (
    "veo-3.1", "veo-3.0", "runway-gen4.5", "runway-gen4-turbo", "kling-2", "kling-3",
    "hailuo-2.3", "seedance-1", "wan-2.6", "vidu-2", "vidu-q1", "svd", "luma-ray2",
)  # fmt: skip


@functools.cache
def load(name: str) -> Profile:
    """The bundled profile ``name``, parsed from ``data/NAME.toml``."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    text = resources.files(__package__).joinpath("data", f"{name}.toml").read_text("utf-8")
    return parse_profile(name, tomllib.loads(text))


def data_stamp(names: tuple[str, ...]) -> str:
    """The data files' sizes and modification times, for the cache: a cached result holds
    only while the profiles it was judged by are unchanged (as a plugin's source is)."""
    folder = resources.files(__package__).joinpath("data")
    stamps = []
    for name in names:
        try:
            info = os.stat(str(folder.joinpath(f"{name}.toml")))
        except OSError:
            stamps.append(f"{name}:?")
            continue
        stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return ",".join(stamps)
