"""A finished run as reporters receive it (its diagnostics and what fixing did), and the
reporter registration that renders it (re-exported by :mod:`sora_lint.types`, the public
import path)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sora_lint.values.asset import Asset
from sora_lint.values.diagnostic import Diagnostic
from sora_lint.values.registrations import Fixer, Rule, Settings
from sora_lint.values.size import Size


@dataclass(frozen=True)
class RunReport:
    """The outcome of a run, handed to reporters."""

    diagnostics: tuple[Diagnostic, ...]
    files_checked: int
    fixed: tuple[FixResult, ...] = ()
    settings: Settings = field(default_factory=lambda: Settings({}))
    rules: Mapping[str, Rule] = field(default_factory=dict)
    fixers: Mapping[str, Fixer] = field(default_factory=dict)
    hints: tuple[str, ...] = ()
    assets: tuple[Asset, ...] = ()
    #: The findings that ``--fix`` made go away (as they were before the fix).
    resolved: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class FixResult:
    """What applying fixes did (or, in a dry run, would do) to one asset."""

    path: str
    fixers: tuple[str, ...]
    old_size: Size
    new_size: Size
    written: Path | None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reporter:
    """An output format: ``write`` renders a finished run to a text stream.

    ``statistics``, when given, renders ``--statistics`` in this format instead: how many
    findings each rule has and whether ``--fix`` can fix them (``None``: not supported).
    """

    name: str
    description: str
    write: Callable[[RunReport, TextIO], None]
    statistics: Callable[[RunReport, TextIO], None] | None = None
