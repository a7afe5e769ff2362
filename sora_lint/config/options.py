"""Options declared once by the core or a plugin, exposed both as a CLI flag and a config key.

A plugin that needs a setting (``pad-color``, ``jpeg-quality``) declares it in
``sora_lint_addoption``; the core then parses it from the command line and from
``[tool.sora-lint]`` alike and rejects bad values naming the key and what it allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sora_lint.config.suggest import did_you_mean

Kind = Literal["value", "flag", "list"]

#: The sections of ``sora-lint check --help``, in order: an option's ``group`` names one. A
#: group not listed here gets a section of its own titled by its name; an option without a
#: group is listed under its plugin's name, after these.
GROUPS: dict[str, str] = {
    "targets": "targets: what each image must suit",
    "files": "file selection",
    "selection": "rule selection",
    "fixing": "fixing",
    "output": "output",
    "exit": "exit status",
    "baseline": "baseline",
    "performance": "performance",
}


class OptionError(ValueError):
    """A value an option does not accept; the message names the key and the allowed values."""


_SHOWN = 80


def shown(value: Any) -> str:
    """``repr(value)`` cut to a length a one-line message can carry (a config value may be
    megabytes long)."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


@dataclass(frozen=True)
class Option:
    """One setting. ``parse`` turns a raw value (CLI string or TOML value) into the typed one
    and raises ``ValueError`` with a short reason; ``choices`` limits string values."""

    name: str
    help: str
    default: Any = None
    kind: Kind = "value"
    parse: Callable[[Any], Any] | None = None
    choices: tuple[str, ...] = ()
    metavar: str | None = None
    cli: bool = True
    config: bool = True
    short: str | None = None
    plugin: str = "sora_lint"
    #: The ``--help`` section (a key of :data:`GROUPS`, or any title of the plugin's own).
    group: str | None = None
    #: The JSON Schema of the config value, for ``schema.json``; inferred when ``None``.
    schema: Mapping[str, Any] | None = None

    @property
    def flag(self) -> str:
        return f"--{self.name}"

    def convert(self, raw: Any, where: str) -> Any:
        """Validate and convert ``raw``; ``where`` says which key or flag, for the message."""
        if self.kind == "flag":
            if not isinstance(raw, bool):
                raise OptionError(f"{where}: expected true or false, got {shown(raw)}")
            return raw
        if self.kind == "list":
            items = _as_list(raw, where)
            return tuple(self._convert_one(item, where) for item in items)
        return self._convert_one(raw, where)

    def _convert_one(self, raw: Any, where: str) -> Any:
        if self.choices and (not isinstance(raw, str) or raw not in self.choices):
            allowed = ", ".join(self.choices)
            hint = did_you_mean(raw, self.choices) if isinstance(raw, str) else ""
            raise OptionError(f"{where}: {shown(raw)} is not one of: {allowed}{hint}")
        if self.parse is None:
            return raw
        try:
            return self.parse(raw)
        except (ValueError, TypeError, OverflowError) as exc:
            raise OptionError(f"{where}: {exc}") from None


def _as_list(raw: Any, where: str) -> Sequence[Any]:
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(raw, list | tuple):
        return list(raw)
    raise OptionError(f"{where}: expected a list, got {shown(raw)}")


class OptionRegistry:
    """The options every loaded plugin declared; names are unique across plugins."""

    def __init__(self) -> None:
        self._options: dict[str, Option] = {}

    def add(self, name: str, help: str, **kwargs: Any) -> Option:
        """Declare an option; a name declared twice is a plugin error naming both."""
        option = Option(name=name, help=help, **kwargs)
        if name in self._options:
            first = self._options[name].plugin
            raise OptionError(f"option {name!r} is declared by both {first} and {option.plugin}")
        self._options[name] = option
        return option

    def __contains__(self, name: object) -> bool:
        return name in self._options

    def __getitem__(self, name: str) -> Option:
        return self._options[name]

    def __iter__(self) -> Iterator[Option]:
        return iter(self._options.values())

    def names(self) -> list[str]:
        return sorted(self._options)

    def defaults(self) -> dict[str, Any]:
        return {name: option.default for name, option in self._options.items()}


#: The largest integer a setting takes (TOML's own limit): beyond it nothing is meaningful.
MAX_INT = 2**63 - 1


def int_between(low: int, high: int | None = None) -> Callable[[Any], int]:
    """A parser for integers in ``[low, high]`` (up to :data:`MAX_INT` when ``high`` is
    None), from an int or a string of digits; booleans are refused (TOML ``true`` is not a
    number), and so are fractions, ``inf`` and ``nan``."""
    if high is not None:
        wanted = f"an integer from {low} to {high}"
    else:
        wanted = {0: "0 or a positive integer", 1: "a positive integer"}.get(
            low, f"an integer of at least {low}"
        )
    top = MAX_INT if high is None else high

    def parse(raw: Any) -> int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        elif isinstance(raw, str) and raw.strip().lstrip("+-").isascii():
            try:
                value = int(raw.strip())
            except ValueError:
                raise ValueError(f"expected {wanted}, got {shown(raw)}") from None
        else:
            raise ValueError(f"expected {wanted}, got {shown(raw)}")
        if value < low or value > top:
            raise ValueError(f"expected {wanted}, got {shown(raw)}")
        return value

    # Read by sora_lint.config.schema: the JSON Schema of the values this parser accepts.
    parse.json_schema = {  # type: ignore[attr-defined]
        "type": "integer",
        "minimum": low,
        **({"maximum": high} if high is not None else {}),
    }
    return parse


#: Parse a positive integer from an int or a string.
positive_int = int_between(1)


def string(raw: Any) -> str:
    """Accept only strings, so a TOML number where a name belongs is reported."""
    if not isinstance(raw, str):
        raise ValueError(f"expected a string, got {shown(raw)}")
    return raw


def path_string(raw: Any) -> str:
    """A file or folder name: a non-empty string without NUL (no system call takes one)."""
    text = string(raw)
    if not text.strip():
        raise ValueError("expected a path, got an empty string")
    if "\0" in text:
        raise ValueError(f"{shown(text)} is not a path: it contains a NUL character")
    return text


def glob_pattern(raw: Any) -> str:
    """A gitignore-style glob that compiles (``[z-a]`` or a trailing ``\\`` do not)."""
    text = string(raw)
    import pathspec  # only when a pattern is configured

    try:
        pathspec.GitIgnoreSpec.from_lines([text])
    except (ValueError, re.error) as exc:
        raise ValueError(f"{shown(text)} is not a valid glob: {exc}") from None
    return text


path_string.json_schema = {"type": "string"}  # type: ignore[attr-defined]
glob_pattern.json_schema = {"type": "string"}  # type: ignore[attr-defined]
