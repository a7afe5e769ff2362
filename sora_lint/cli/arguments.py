"""The ``check`` options, built from the declared options so each plugin flag appears by itself.

Every option of the registry that has a command line becomes a flag in the ``--help`` group
its ``group`` names; every on/off option gets its ``--no-`` form, so the command line can
always undo what a config file turned on.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

from sora_lint import __version__
from sora_lint.cli.parsing import Parser, Switch, help_formatter
from sora_lint.config.options import GROUPS, Option, OptionError, OptionRegistry
from sora_lint.errors import UsageError

COMMANDS = ("check", "rule", "rules", "profiles", "clean")

CHECK_USAGE = "sora-lint [check] [OPTIONS] [PATH ...]"

CHECK_DESCRIPTION = """\
Check reference images against what an image-to-video model accepts, and fix them.

commands:
  check [PATH ...]   check files and folders (the default command)
  rule CODE|--all    explain a rule
  rules              list the rules
  profiles           list the target profiles
  clean              remove the cache folder

A first argument that names a command runs that command, anything else is checked: for a
folder named like a command, write `sora-lint check profiles` or `sora-lint ./profiles`.
Each command has its own --help."""

EXIT_CODES = """\
exit codes:
  0    no error remains (warnings alone pass unless --fail-on warning)
  1    errors remain; or --diff would change a file; or --exit-non-zero-on-fix fixed one
  2    usage, configuration or plugin error (one line on stderr)
  130  interrupted (a --fix run lists the files it already rewrote)

environment:
  NO_COLOR, FORCE_COLOR, TERM=dumb   colour on a terminal: never / always / never
  SORA_LINT_DISABLE_PLUGIN_AUTOLOAD  do not load installed plugins (entry points)"""


#: How the ``check`` parser reads and shows itself, standalone or as ``sora-lint check``.
CHECK_PARSER: dict[str, Any] = {
    "usage": CHECK_USAGE,
    "description": CHECK_DESCRIPTION,
    "epilog": EXIT_CODES,
    "formatter_class": help_formatter,
    "allow_abbrev": False,
    "add_help": False,
}


def preparse_plugins(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Read ``-p`` before plugins load (they change the options): (disabled plugin names,
    modules to load). Nothing after ``--`` is an option."""
    disabled: list[str] = []
    modules: list[str] = []
    items = list(argv)
    if "--" in items:
        items = items[: items.index("--")]
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
    return disabled, modules


def add_configuration(
    parser: argparse.ArgumentParser, config: bool = True, with_help: bool = True
) -> Any:
    """``-p`` (every command) and, where config matters, ``--config`` and ``--isolated``;
    returns the group, for more."""
    group = parser.add_argument_group("configuration")
    if with_help:
        group.add_argument("-h", "--help", action="help", help="show this help and exit")
    if config:
        group.add_argument(
            "--config",
            metavar="PATH",
            help="use this config file (default: the nearest sora-lint.toml or "
            "pyproject.toml with [tool.sora-lint], walking up)",
        )
        group.add_argument(
            "--isolated", action=Switch, default=False, help="ignore every config file"
        )
    group.add_argument(
        "-p",
        dest="plugins",
        action="append",
        default=[],
        metavar="NAME",
        help="load plugin module NAME, or disable plugin with no:NAME (repeatable)",
    )
    return group


def build_parser(
    options: OptionRegistry,
    formats: Mapping[str, str] | None = None,
    parser: argparse.ArgumentParser | None = None,
) -> argparse.ArgumentParser:
    """The ``check`` command's parser (``parser``, or a new one), grouped for ``--help``.

    :param formats: output format names -> descriptions, listed as ``--output-format``'s values.
    """
    if parser is None:
        parser = Parser(prog="sora-lint", **CHECK_PARSER)
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders to check (default: the current folder)",
    )
    groups: dict[str, Any] = {}
    for option in sorted((o for o in options if o.cli), key=_group_order):
        title = _group_title(option)
        if title not in groups:
            groups[title] = parser.add_argument_group(title)
        _add_option(groups[title], option, formats)
    inspect = add_configuration(parser)
    inspect.add_argument(
        "--show-settings",
        action="store_true",
        help="print the resolved settings, where each came from, the config "
        "file and the project root; check nothing",
    )
    inspect.add_argument(
        "--show-files",
        action="store_true",
        help="print the files a run would check (after excludes and .gitignore); check nothing",
    )
    inspect.add_argument(
        "-V",
        "--version",
        action="version",
        version=f"sora-lint {__version__}",
        help="print the version and exit",
    )
    return parser


def _group_title(option: Option) -> str:
    if option.group is None:
        return f"options of plugin {option.plugin}"
    return GROUPS.get(option.group, option.group)


def _group_order(option: Option) -> tuple[int, str]:
    """Known groups in :data:`GROUPS` order, then the others by title; declaration order
    within a group (``sorted`` is stable)."""
    keys = list(GROUPS)
    if option.group in GROUPS:
        return keys.index(option.group), ""
    return len(keys), _group_title(option)


def _help(option: Option, formats: Mapping[str, str] | None) -> str:
    """The help line: what it does, then the values it takes and its default."""
    notes = []
    allowed: Sequence[str] = option.choices
    if option.name == "output-format" and formats:
        allowed = list(formats)
    if allowed:
        notes.append(f"one of: {', '.join(allowed)}")
    documented = "default" in option.help
    if option.kind != "flag" and option.default not in (None, (), {}, "") and not documented:
        default = option.default
        if isinstance(default, tuple):
            default = ",".join(str(item) for item in default)
            if len(default) > 40:
                default = ""
        if default != "":
            notes.append(f"default: {default}")
    text = option.help + (f" [{'; '.join(notes)}]" if notes else "")
    return text.replace("%", "%%")  # argparse formats help strings with %


def _add_option(group: Any, option: Option, formats: Mapping[str, str] | None) -> None:
    flags = ([option.short] if option.short else []) + [option.flag]
    help_text = _help(option, formats)
    if option.kind == "flag":
        name = option.name
        opposite = f"--{name[3:]}" if name.startswith("no-") else f"--no-{name}"
        group.add_argument(
            *flags,
            opposite,
            dest=name,
            action=Switch,
            negative=opposite,
            default=None,
            help=help_text,
        )
    elif option.kind == "list":
        group.add_argument(
            *flags,
            dest=option.name,
            action="append",
            default=None,
            metavar=option.metavar,
            help=help_text,
        )
    else:
        metavar = option.metavar or (
            "{" + ",".join(option.choices) + "}" if option.choices else "VALUE"
        )
        group.add_argument(*flags, dest=option.name, default=None, metavar=metavar, help=help_text)


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
