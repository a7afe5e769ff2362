"""The core fix options, declared without importing Pillow so that check-only runs (and
the CLI's ``--help``) stay fast; the fix pipeline itself lives in :mod:`sora_lint.fix.fixing`."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from sora_lint.config.options import OptionRegistry, int_between, path_string


def _directory(raw: Any) -> Path:
    return Path(path_string(raw))


#: The default ``max-decode-memory`` (see ``sora_lint.fix.budget``): 512 MiB.
DEFAULT_DECODE_MEMORY = 512 << 20
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_MEMORY_PATTERN = r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtT]?)(?:[iI]?[bB])?\s*$"
_MEMORY = re.compile(_MEMORY_PATTERN)
#: Less than this cannot decode even a small photo: a typo, not a budget.
_LEAST_MEMORY = 16 << 20


#: What ``parse_memory`` accepts, for the config's JSON Schema.
MEMORY_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "integer", "minimum": _LEAST_MEMORY},
        {"type": "string", "pattern": _MEMORY_PATTERN},
    ]
}


def parse_memory(raw: Any) -> int:
    """A memory size: bytes as an integer, or a number with a unit (``512MiB``, ``1G``,
    ``1.5GB``; K, M, G and T count in powers of 1024)."""
    if isinstance(raw, bool):
        raise ValueError(f"expected a size such as 512MiB or 2GiB, got {raw!r}")
    if isinstance(raw, int):
        value = raw
    else:
        match = _MEMORY.match(raw) if isinstance(raw, str) else None
        if match is None:
            raise ValueError(f"expected a size such as 512MiB or 2GiB, got {raw!r}")
        scaled = float(match.group(1)) * _UNITS[match.group(2).lower()]
        if not math.isfinite(scaled) or scaled > 1 << 60:
            raise ValueError(f"{raw!r} is too large")
        value = int(scaled)
    if value < _LEAST_MEMORY:
        raise ValueError(f"{raw!r} is below the smallest budget, 16MiB")
    if value > 1 << 60:
        raise ValueError(f"{raw!r} is too large")
    return value


def declare_fix_options(options: OptionRegistry) -> None:
    """Declare the core fix options; fixers declare their own (``pad-color``, …)."""
    options.add(
        "fix",
        "apply safe fixes (and the fix-mode you chose) in place",
        default=False,
        kind="flag",
        group="fixing",
    )
    options.add(
        "unsafe-fixes",
        "also apply unsafe fixes that need no option of their own",
        default=False,
        kind="flag",
        group="fixing",
    )
    options.add(
        "fix-mode",
        "how a wrong size is fixed: pad (safe, default), cover (crops) or "
        "stretch (distorts); choosing cover or stretch is the opt-in",
        default="pad",
        choices=("pad", "cover", "stretch"),
        metavar="MODE",
        group="fixing",
    )
    options.add(
        "diff",
        "show what --fix would change and write nothing (exit 1 if anything would)",
        default=False,
        kind="flag",
        group="fixing",
    )
    options.add(
        "fix-to",
        "write fixed copies into DIR, mirroring the tree; originals are untouched",
        default=None,
        parse=_directory,
        schema={"type": "string"},
        metavar="DIR",
        group="fixing",
    )
    options.add(
        "flatten",
        "flatten transparency onto the pad colour (SL009)",
        default=False,
        kind="flag",
        group="fixing",
    )
    options.add(
        "exit-non-zero-on-fix",
        "exit 1 when a file was fixed, even if nothing remains",
        default=False,
        kind="flag",
        group="exit",
    )
    options.add(
        "max-decode-memory",
        "memory that decoding images (fixes, report previews) may take at once, across all "
        "--jobs; an image that needs more is reported and left alone (default 512MiB)",
        default=DEFAULT_DECODE_MEMORY,
        parse=parse_memory,
        metavar="SIZE",
        schema=MEMORY_SCHEMA,
    )
    options.add("jpeg-quality", "JPEG (and lossy WebP) quality of fixed files", default=95,
                parse=int_between(1, 100), metavar="1-100", group="fixing")  # fmt: skip
