"""The command line, built from the declared options so each plugin flag appears by itself."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, NoReturn

from sora_lint import __version__
from sora_lint.config.options import OptionError, OptionRegistry
from sora_lint.errors import UsageError

COMMANDS = ("rules", "rule", "profiles")

DESCRIPTION = (
    "Check reference images against what an image-to-video model accepts, and fix them.\n"
    "Other commands: `sora-lint rules`, `sora-lint rule CODE`, `sora-lint profiles`."
)


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every usage error takes one path."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def preparse_plugins(argv: Sequence[str]) -> tuple[list[str], list[str], str | None, bool]:
    """Read ``-p``, ``--config`` and ``--isolated`` before plugins load (they change the options).

    Returns (disabled plugin names, modules to load, config path, isolated).
    """
    disabled: list[str] = []
    modules: list[str] = []
    config: str | None = None
    isolated = False
    items = list(argv)
    for index, item in enumerate(items):
        value: str | None = None
        if item == "-p" and index + 1 < len(items):
            value = items[index + 1]
        elif item.startswith("-p") and len(item) > 2 and not item.startswith("--"):
            value = item[2:]
        if value is not None:
            if value.startswith("no:"):
                disabled.append(value[3:])
            else:
                modules.append(value)
        if item == "--config" and index + 1 < len(items):
            config = items[index + 1]
        elif item.startswith("--config="):
            config = item.split("=", 1)[1]
        if item == "--isolated":
            isolated = True
    return disabled, modules, config, isolated


def build_parser(options: OptionRegistry) -> argparse.ArgumentParser:
    parser = _Parser(prog="sora-lint", description=DESCRIPTION)
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    parser.add_argument("--version", action="version", version=f"sora-lint {__version__}")
    parser.add_argument("--config", metavar="PATH", help="use this config file")
    parser.add_argument("--isolated", action="store_true", help="ignore all config files")
    parser.add_argument(
        "-p", dest="plugins", action="append", default=[], metavar="NAME",
        help="load plugin module NAME, or disable plugin with no:NAME",
    )  # fmt: skip
    for option in options:
        if not option.cli:
            continue
        flags = [option.flag] + ([option.short] if option.short else [])
        help_text = option.help + (f" ({', '.join(option.choices)})" if option.choices else "")
        if option.kind == "flag":
            parser.add_argument(*flags, dest=option.name, action="store_const", const=True,
                                default=None, help=help_text)  # fmt: skip
        elif option.kind == "list":
            parser.add_argument(*flags, dest=option.name, action="append", default=None,
                                metavar=option.metavar, help=help_text)  # fmt: skip
        else:
            parser.add_argument(*flags, dest=option.name, default=None,
                                metavar=option.metavar or "VALUE", help=help_text)  # fmt: skip
    return parser


def cli_values(namespace: argparse.Namespace, options: OptionRegistry) -> dict[str, Any]:
    """The options given on the command line, converted; absent ones are left out."""
    values: dict[str, Any] = {}
    for option in options:
        if not option.cli:
            continue
        raw = getattr(namespace, option.name, None)
        if raw is None:
            continue
        if option.kind == "list":
            raw = [part.strip() for item in raw for part in item.split(",") if part.strip()]
        try:
            values[option.name] = option.convert(raw, option.flag)
        except OptionError as exc:
            raise UsageError(str(exc)) from None
    return values
