"""Which rules run for which file: ``select``/``ignore`` by code or prefix, per-file ignores.

As in ruff, the most specific selector wins (``--select SL --ignore SL00 --select SL001``
keeps SL001); on a tie ``ignore`` wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sora_lint.config.suggest import did_you_mean
from sora_lint.errors import UsageError

if TYPE_CHECKING:
    import pathspec


def _specificity(selector: str, code: str) -> int:
    if selector == "ALL":
        return 0
    return len(selector) if code.startswith(selector) else -1


def check_selectors(selectors: Iterable[str], codes: Iterable[str], key: str) -> None:
    """Every selector must match a registered rule, or be ``ALL``."""
    known = sorted(codes)
    for selector in selectors:
        if selector != "ALL" and not any(code.startswith(selector) for code in known):
            hint = did_you_mean(selector, known)
            raise UsageError(
                f"{key}: unknown rule code or prefix {selector!r}{hint}; known: {', '.join(known)}"
            )


def enabled_codes(
    codes: Iterable[str], select: Sequence[str], ignore: Sequence[str]
) -> frozenset[str]:
    """The codes left enabled after applying ``select`` and ``ignore``."""
    enabled = set()
    for code in codes:
        best_select = max((_specificity(s, code) for s in select), default=-1)
        best_ignore = max((_specificity(s, code) for s in ignore), default=-1)
        if best_select >= 0 and best_select > best_ignore:
            enabled.add(code)
    return frozenset(enabled)


@dataclass(frozen=True)
class PerFileIgnores:
    """Globs (relative to the project root) with the codes they turn off."""

    entries: tuple[tuple[pathspec.GitIgnoreSpec, tuple[str, ...]], ...]

    @classmethod
    def build(cls, table: Mapping[str, Sequence[str]]) -> PerFileIgnores:
        from sora_lint.run.discovery import gitignore_spec

        return cls(tuple((gitignore_spec([glob]), tuple(codes)) for glob, codes in table.items()))

    def ignored(self, relative: str | None, code: str) -> bool:
        if relative is None:
            return False
        for spec, selectors in self.entries:
            if spec.match_file(relative) and any(_specificity(s, code) >= 0 for s in selectors):
                return True
        return False
