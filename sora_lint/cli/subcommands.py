"""The command line as argparse sub-commands: ``check`` (the default), ``rule``, ``rules``,
``profiles`` and ``clean``, each with its own ``--help`` and ``--output-format``."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence

from sora_lint.cli.arguments import (
    CHECK_PARSER,
    COMMANDS,
    add_configuration,
    build_parser,
)
from sora_lint.cli.parsing import Parser, help_formatter
from sora_lint.config.options import OptionRegistry
from sora_lint.config.suggest import did_you_mean

#: What ``--output-format`` takes for the commands that describe rather than check.
INFO_FORMATS = ("text", "json")


def with_command(args: Sequence[str]) -> list[str]:
    """``args`` with ``check`` in front unless its first item names a command, so that
    ``sora-lint PATH`` (hooks, scripts) is ``sora-lint check PATH``."""
    items = list(args)
    if items and items[0] in COMMANDS:
        return items
    return ["check", *items]


def info_format(raw: str) -> str:
    if raw not in INFO_FORMATS:
        hint = did_you_mean(raw, INFO_FORMATS)
        raise argparse.ArgumentTypeError(f"{raw!r} is not one of: {', '.join(INFO_FORMATS)}{hint}")
    return raw


def build_command_parser(options: OptionRegistry, formats: Mapping[str, str]) -> Parser:
    """The ``sora-lint`` parser; parse :func:`with_command` of the arguments with it.

    :param formats: the output formats (name -> description) ``check`` offers.
    """
    root = Parser(prog="sora-lint", allow_abbrev=False, add_help=False)
    commands = root.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    check = commands.add_parser("check", **CHECK_PARSER)
    build_parser(options, formats, check)

    rule = _info(
        commands,
        "rule",
        "sora-lint rule CODE | --all",
        "Explain a rule: what it does, why it matters, an example, how to fix it.",
    )
    rule.add_argument(
        "code", nargs="?", metavar="CODE", help="a rule code (SL001) or name (size-mismatch)"
    )
    rule.add_argument("--all", action="store_true", help="explain every rule")
    _info(
        commands,
        "rules",
        "sora-lint rules",
        "List the rules: code, name, severity and what each reports.",
    )
    _info(
        commands,
        "profiles",
        "sora-lint profiles",
        "List the target profiles (also those your config declares): what each model "
        "accepts and where the facts come from.",
        config=True,
    )
    clean = _info(
        commands,
        "clean",
        "sora-lint clean",
        "Remove the cache folder (.sora-lint-cache in the project root, or the "
        "cache-dir of your config). Only a folder sora-lint marked as its cache "
        "(CACHEDIR.TAG) is removed, never a symbolic link.",
        config=True,
    )
    clean.add_argument(
        "--cache-dir",
        metavar="PATH",
        help="the cache folder to remove (relative to the working folder)",
    )
    return root


def _info(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    usage: str,
    description: str,
    config: bool = False,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        usage=usage,
        description=description,
        formatter_class=help_formatter,
        allow_abbrev=False,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="show this help and exit")
    parser.add_argument(
        "--output-format",
        type=info_format,
        default="text",
        metavar="FORMAT",
        help=f"one of: {', '.join(INFO_FORMATS)} [default: text]",
    )
    add_configuration(parser, config=config, with_help=False)
    return parser
