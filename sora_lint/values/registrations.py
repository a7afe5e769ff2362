"""The registrations of rules and fixers, and what a check is handed: the settings, the
asset and its target (re-exported by :mod:`sora_lint.types`, the public import path)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sora_lint.values.asset import Asset
from sora_lint.values.diagnostic import Applicability, Diagnostic, Fix, Severity
from sora_lint.values.target import Target

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class Settings:
    """Resolved options a rule, fixer or reporter may read (CLI over config over defaults)."""

    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass(frozen=True)
class CheckContext:
    """Everything a rule sees for one asset."""

    asset: Asset
    target: Target | None
    settings: Settings


@dataclass(frozen=True)
class Rule:
    """A registered rule: a stable code and name (a public contract) and its check.

    ``check`` yields diagnostics for one asset; ``doc`` is Markdown with the sections
    What it does / Why is this bad? / Example / How to fix.

    ``pure=True`` promises that ``check`` depends only on the asset's ``format``, ``header``
    and ``problem``, its file name's extension, the target and the settings: never on the
    rest of the path, the byte size or anything outside. The engine then checks one file
    of each such kind and reuses the findings, path swapped, for the others (a finding
    shown elsewhere, at a job file's line, is never reused, so it may name the asset).
    """

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Callable[[CheckContext], Iterable[Diagnostic]]
    pure: bool = False

    def diagnostic(self, ctx: CheckContext, message: str, **extra: Any) -> Diagnostic:
        """Build a diagnostic of this rule for the context's asset; ``extra`` may move it
        (``path``/``line``/``asset``) to the text file that declared the target."""
        fields: dict[str, Any] = {"path": ctx.asset.display, **extra}
        return Diagnostic(self.code, self.name, self.severity, message, **fields)


@dataclass(frozen=True)
class Fixer:
    """A fixer plugin: ``propose`` attaches a fix to a diagnostic; ``apply`` transforms pixels.

    ``apply`` receives the upright, mode-converted image and returns the new image; it is only
    called for fixes whose applicability the user allowed. ``pure=True`` promises that
    ``propose`` depends only on the diagnostic and what a pure :class:`Rule` may read, so
    proposals made for one file are reused for files of the same kind.
    """

    name: str
    applicability: Applicability
    description: str
    propose: Callable[[Diagnostic, CheckContext], Fix | None]
    apply: Callable[[Image.Image, Fix, Settings], Image.Image] | None = None
    pure: bool = False
