"""The bundled profiles: one TOML file each in ``data/``, read with the code that reads a
project's own ``[tool.sora-lint.profiles.NAME]`` tables (``parse.py``), so correcting a model
is a data change with its sources beside it.

The files ship as package data beside this module (pip installs packages unpacked); each is
read the first time the profiles are asked for (``sora-lint profiles`` or a run), never at
import, its table taken from ``data/tables.json`` while that still matches its text
(``tables.py``). A plain path, not ``importlib.resources``: that import alone (with
``tempfile`` and ``zipfile`` behind it) cost every run about 5 ms of start-up (measured A/B).
"""

from __future__ import annotations

import functools
import os

from sora_lint.types import Profile

from .parse import parse_profile
from .tables import DATA, table

#: The bundled profiles' names: the data files' stems (a public contract).
SORA = ("sora-2", "sora-2-pro")
VENDORS = (
    "veo-3.1", "veo-3.0", "runway-gen4.5", "runway-gen4-turbo", "kling-2", "kling-3",
    "hailuo-2.3", "seedance-1", "wan-2.6", "vidu-2", "vidu-q1", "svd", "luma-ray2",
)  # fmt: skip


@functools.cache
def load(name: str) -> Profile:
    """The bundled profile ``name``, parsed from ``data/NAME.toml``."""
    with open(os.path.join(DATA, f"{name}.toml"), encoding="utf-8") as data:
        text = data.read()
    return parse_profile(name, table(name, text))


def data_stamp(names: tuple[str, ...]) -> str:
    """The data files' sizes and modification times, for the cache: a cached result holds
    only while the profiles it was judged by are unchanged (as a plugin's source is)."""
    stamps = []
    for name in names:
        try:
            info = os.stat(os.path.join(DATA, f"{name}.toml"))
        except OSError:
            stamps.append(f"{name}:?")
            continue
        stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return ",".join(stamps)
