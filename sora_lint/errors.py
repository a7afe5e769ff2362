"""Errors that end a run with exit 2 and a one-line message (never a traceback), and the one
the Python API's ``prepare`` raises for an image it cannot make acceptable."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sora_lint.types import Diagnostic


class SoraLintError(Exception):
    """Base of the errors the CLI turns into ``sora-lint: error: MESSAGE`` and exit 2."""

    exit_code = 2


class UsageError(SoraLintError):
    """A bad command line: unknown option, bad value, missing path."""


class ConfigError(SoraLintError):
    """A bad configuration file: unknown key, bad value; the message names the key."""


class PluginError(SoraLintError):
    """A plugin that failed to import, register or declare itself consistently."""


class WorkerError(SoraLintError):
    """A worker process ended before finishing its files (killed, out of memory)."""


class PrepareError(SoraLintError):
    """``sora_lint.prepare`` cannot make this image one the model accepts: it is unreadable,
    animated, over the pixel limit or the decode memory budget, in a format sora-lint does
    not decode, or cannot be made small enough for the byte limit. ``diagnostics`` holds the
    findings that stopped it (as ``sora_lint.check`` reports them), when there are some."""

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics
