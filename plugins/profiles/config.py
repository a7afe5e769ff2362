"""A team's own target profiles, declared in config under ``[tool.sora-lint.profiles.NAME]``.

The ``profiles`` option parses each table into a :class:`~sora_lint.types.Profile` (a pure
function of the config, so every worker of a run gets the same ones) and the profile hook
registers them from the run's settings: usable with ``--model NAME``, in overrides and in
jobs like the built-in ones. A name already taken is a plugin error naming both.

Keys: ``sizes`` (exact ``WxH`` list), ``aspect-ratios`` (``"16:9"`` or numbers),
``aspect-range`` (two ratios), ``aspect-tolerance``, ``min-side``, ``max-side``,
``max-pixels``, ``max-bytes``, ``formats`` (default JPEG, PNG, WEBP), ``seconds``,
``max-prompt``, ``description``, ``notes``, ``source``, ``source-url``, ``checked``,
``vendor-source``, ``status``.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from sora_lint.config.options import OptionRegistry
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Profile, Settings, Size

DEFAULT_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
_FORMAT_NAMES = {
    "JPG": "JPEG", "JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF", "AVIF": "AVIF",
    "HEIC": "HEIF", "HEIF": "HEIF", "BMP": "BMP", "TIFF": "TIFF",
}  # fmt: skip
_INTS = ("min-side", "max-side", "max-pixels", "max-bytes", "max-prompt")
_TEXTS = ("description", "notes", "source", "source-url", "checked", "status")
KEYS = ("sizes", "aspect-ratios", "aspect-range", "aspect-tolerance", "formats", "seconds",
        "vendor-source", *_INTS, *_TEXTS)  # fmt: skip


def parse_ratio(raw: Any, where: str) -> Fraction:
    """``"16:9"``, ``"0.5"`` or a number; kept as a small fraction."""
    try:
        if isinstance(raw, str) and ":" in raw:
            width, _, height = raw.partition(":")
            ratio = Fraction(width.strip()) / Fraction(height.strip())
        elif isinstance(raw, int | float | str) and not isinstance(raw, bool):
            ratio = Fraction(str(raw).strip())
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        example = '(e.g. "16:9" or 1.5)'
        raise ValueError(f"{where}: {raw!r} is not an aspect ratio {example}") from None
    if ratio <= 0:
        raise ValueError(f"{where}: {raw!r} is not a positive aspect ratio")
    return ratio.limit_denominator(1000)


def _list(table: dict[str, Any], key: str, where: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{where}.{key}: expected a list")
    return value


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{where}: expected a positive integer, got {value!r}")
    return value


def parse_profile(name: str, table: Any) -> Profile:
    where = f"profiles.{name}"
    if not isinstance(table, dict):
        raise ValueError(f"{where}: expected a table of profile keys")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(KEYS)}")
    try:
        sizes = tuple(Size.parse(str(s)) for s in _list(table, "sizes", where))
    except ValueError as exc:
        raise ValueError(f"{where}.sizes: {exc}") from None
    listed = _list(table, "aspect-ratios", where)
    ratios = tuple(parse_ratio(r, f"{where}.aspect-ratios") for r in listed)
    span = _list(table, "aspect-range", where)
    if span and len(span) != 2:
        raise ValueError(f'{where}.aspect-range: expected [low, high], e.g. ["1:2", "2:1"]')
    aspect_range = None
    if span:
        low, high = (parse_ratio(r, f"{where}.aspect-range") for r in span)
        if low > high:
            raise ValueError(f"{where}.aspect-range: {span[0]!r} is above {span[1]!r}")
        aspect_range = (low, high)
    formats = set()
    for fmt in _list(table, "formats", where) or sorted(DEFAULT_FORMATS):
        known = _FORMAT_NAMES.get(str(fmt).upper())
        if known is None:
            allowed = ", ".join(sorted(_FORMAT_NAMES))
            raise ValueError(f"{where}.formats: {fmt!r}; allowed: {allowed}")
        formats.add(known)
    tolerance = table.get("aspect-tolerance", 0.0)
    number = isinstance(tolerance, int | float) and not isinstance(tolerance, bool)
    if not number or not 0 <= tolerance < 0.5:
        raise ValueError(
            f"{where}.aspect-tolerance: expected a number from 0 to 0.5, got {tolerance!r}"
        )
    ints = {key: _int(table[key], f"{where}.{key}") for key in _INTS if key in table}
    texts = {key: table[key] for key in _TEXTS if key in table}
    for key, value in texts.items():
        if not isinstance(value, str):
            raise ValueError(f"{where}.{key}: expected a string, got {value!r}")
    vendor = table.get("vendor-source", False)
    if not isinstance(vendor, bool):
        raise ValueError(f"{where}.vendor-source: expected true or false")
    return Profile(
        name=name, sizes=sizes, formats=frozenset(formats),
        aspect_ratios=ratios, aspect_range=aspect_range, aspect_tolerance=float(tolerance),
        min_side=ints.get("min-side"), max_side=ints.get("max-side"),
        max_pixels=ints.get("max-pixels"), max_bytes=ints.get("max-bytes"),
        seconds=tuple(str(s) for s in _list(table, "seconds", where)),
        max_prompt=ints.get("max-prompt"),
        description=texts.get("description", "declared in config"),
        notes=texts.get("notes", ""), source=texts.get("source", "project configuration"),
        source_url=texts.get("source-url", ""), checked=texts.get("checked", ""),
        vendor_source=vendor, status=texts.get("status", "active"),
    )  # fmt: skip


def parse_profiles(raw: Any) -> tuple[Profile, ...]:
    """The ``[tool.sora-lint.profiles]`` table: one sub-table per profile name."""
    if not isinstance(raw, dict):
        raise ValueError("expected tables [tool.sora-lint.profiles.NAME]")
    return tuple(parse_profile(str(name), table) for name, table in raw.items())


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    options.add(
        "profiles",
        "your own target profiles: [tool.sora-lint.profiles.NAME] tables",
        default=(),
        parse=parse_profiles,
        cli=False,
        plugin="profiles_config",
    )


@hookimpl
def sora_lint_register_profiles(settings: Settings | None) -> Iterable[Profile]:
    if settings is None:
        return []
    return list(settings.get("profiles") or ())
