"""The core fix options, declared without importing Pillow so that check-only runs (and
the CLI's ``--help``) stay fast; the fix pipeline itself lives in :mod:`sora_lint.fix.fixing`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sora_lint.config.options import OptionRegistry, int_between, string


def _directory(raw: Any) -> Path:
    return Path(string(raw))


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
    options.add("jpeg-quality", "JPEG (and lossy WebP) quality of fixed files", default=95,
                parse=int_between(1, 100), metavar="1-100", group="fixing")  # fmt: skip
