"""Errors that end a run with exit 2 and a one-line message (never a traceback)."""

from __future__ import annotations


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
