"""argparse as sora-lint uses it: errors as values, "did you mean", ``--[no-]flag`` switches.

Every usage error becomes a :class:`~sora_lint.errors.UsageError` (one line, exit 2), never
argparse's own exit; an unknown option is answered with the closest known one.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, NoReturn

from sora_lint.config.suggest import did_you_mean
from sora_lint.errors import UsageError


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, and suggests the option that was meant."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            known = self._known_options(parsed)
            unknown = next((item for item in extras if item.startswith("-")), "")
            hint = did_you_mean(unknown.split("=", 1)[0], known, quote=False) if unknown else ""
            raise UsageError(f"unrecognized arguments: {' '.join(extras)}{hint}")
        return parsed

    def _known_options(self, parsed: argparse.Namespace) -> list[str]:
        """The long options of the command that was parsed (a sub-command's own, if any)."""
        parser: argparse.ArgumentParser = self
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                chosen = getattr(parsed, action.dest or "", None)
                parser = action.choices.get(chosen, self) if chosen else self
        return [s for s in parser._option_string_actions if s.startswith("--")]


class Switch(argparse.Action):
    """An on/off option: ``--X`` turns it on and ``--no-X`` off (for an option named
    ``no-X``, ``--no-X`` is on and ``--X`` off), so the command line beats any config."""

    def __init__(
        self, option_strings: Sequence[str], dest: str, negative: str | None = None, **kw: Any
    ) -> None:
        if negative is None:  # a plain --flag of the command itself: add its --no- form
            negative = "--no-" + option_strings[-1][2:]
            option_strings = [*option_strings, negative]
        super().__init__(option_strings, dest, nargs=0, **kw)
        self.negative = negative

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, option_string != self.negative)

    def format_usage(self) -> str:
        return " | ".join(self.option_strings)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions kept as written; a switch shown once, as ``--[no-]fix``."""

    def __init__(self, prog: str) -> None:
        import shutil  # only for --help, as argparse does

        width = min(100, shutil.get_terminal_size().columns - 2)
        super().__init__(prog, max_help_position=30, width=width)

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if isinstance(action, Switch):
            *positive, negative = action.option_strings
            long = positive[-1]
            if negative == "--no-" + long[2:]:
                return ", ".join([*positive[:-1], "--[no-]" + long[2:]])
            return ", ".join(action.option_strings)
        return super()._format_action_invocation(action)

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap  # only for --help

        # Never break `sora-lint` or `--fix-mode` at a hyphen.
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


help_formatter = HelpFormatter
