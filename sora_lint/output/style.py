"""Colour for text outputs on a terminal: whether to use it, and the few styles there are.

The command decides once, for standard output only (a report written to a file never gets
colour), and passes the answer to reporters as the ``color`` setting; a reporter wraps text
that is already escaped, so colour never lets a repository string through unescaped.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

from sora_lint.types import Settings, Severity

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_YELLOW = "\x1b[33m"
_CYAN = "\x1b[36m"


def colour_wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour on ``stream``? ``NO_COLOR`` (no-color.org) says no, then ``FORCE_COLOR`` says
    yes, then ``TERM=dumb`` says no; otherwise only on a terminal. Empty values count as
    unset, as both conventions ask (the order is the one CPython 3.13 uses)."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False


class Style:
    """ANSI styles, or none at all: every method returns its text unchanged when disabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def of(cls, settings: Settings) -> Style:
        """The style a reporter should use: the ``color`` setting the command chose."""
        return cls(bool(settings.get("color")))

    def _wrap(self, text: str, *codes: str) -> str:
        return f"{''.join(codes)}{text}{_RESET}" if self.enabled and text else text

    def path(self, text: str) -> str:
        return self._wrap(text, _BOLD)

    def code(self, text: str, severity: Severity) -> str:
        colour = _RED if severity is Severity.ERROR else _YELLOW
        return self._wrap(text, _BOLD, colour)

    def fixable(self, text: str) -> str:
        return self._wrap(text, _CYAN)

    def summary(self, text: str) -> str:
        return self._wrap(text, _BOLD)
