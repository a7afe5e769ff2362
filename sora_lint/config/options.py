"""Options declared once by the core or a plugin, exposed both as a CLI flag and a config key.

A plugin that needs a setting (``pad-color``, ``jpeg-quality``) declares it in
``sora_lint_addoption``; the core then parses it from the command line and from
``[tool.sora-lint]`` alike and rejects bad values naming the key and what it allows.
"""

from __future__ import annotations

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
                raise OptionError(f"{where}: expected true or false, got {raw!r}")
            return raw
        if self.kind == "list":
            items = _as_list(raw, where)
            return tuple(self._convert_one(item, where) for item in items)
        return self._convert_one(raw, where)

    def _convert_one(self, raw: Any, where: str) -> Any:
        if self.choices and raw not in self.choices:
            allowed = ", ".join(self.choices)
            hint = did_you_mean(raw, self.choices) if isinstance(raw, str) else ""
            raise OptionError(f"{where}: {raw!r} is not one of: {allowed}{hint}")
        if self.parse is None:
            return raw
        try:
            return self.parse(raw)
        except (ValueError, TypeError) as exc:
            raise OptionError(f"{where}: {exc}") from None


def _as_list(raw: Any, where: str) -> Sequence[Any]:
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(raw, list | tuple):
        return list(raw)
    raise OptionError(f"{where}: expected a list, got {raw!r}")


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


def int_between(low: int, high: int | None = None) -> Callable[[Any], int]:
    """A parser for integers in ``[low, high]`` (no upper bound when ``high`` is None), from
    an int or a string; booleans are refused, since TOML ``true`` is not a number."""
    if high is not None:
        wanted = f"an integer from {low} to {high}"
    else:
        wanted = {0: "0 or a positive integer", 1: "a positive integer"}.get(
            low, f"an integer of at least {low}"
        )

    def parse(raw: Any) -> int:
        try:
            if isinstance(raw, bool):
                raise ValueError
            value = int(raw)
        except (TypeError, ValueError):
            raise ValueError(f"expected {wanted}, got {raw!r}") from None
        if value < low or (high is not None and value > high):
            raise ValueError(f"expected {wanted}, got {raw!r}")
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
        raise ValueError(f"expected a string, got {raw!r}")
    return raw
