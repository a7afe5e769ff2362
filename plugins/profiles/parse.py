"""One profile table -> a :class:`~sora_lint.types.Profile`: the same code for the bundled data
files (``data/*.toml``) and the ``[tool.sora-lint.profiles.NAME]`` tables of a project, so a
bundled profile is exactly what a team could declare itself.

Every error is a ``ValueError`` naming the key (``profiles.NAME.KEY: ...``) and, where there
is a choice, the allowed values.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from sora_lint.types import DELIVERIES, NEAR_MISS_ACTIONS, Combination, Fact, Profile, Size

from .mime import FORMAT_NAMES

DEFAULT_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
_INTS = ("min-side", "max-side", "max-pixels", "max-bytes", "max-prompt")
_TEXTS = ("description", "notes", "source", "source-url", "checked")
_LISTS = ("sizes", "aspect-ratios", "aspect-range", "formats", "seconds", "seconds-range",
          "aliases", "ratios", "resolutions")  # fmt: skip
#: Keys whose value is one of a few words, and the words (the first is the default).
_CHOICES: dict[str, tuple[str, ...]] = {
    "status": ("active", "retired"),
    "prompt-unit": ("characters", "utf-16"),
    "data-uri-counts": ("decoded", "encoded"),
    "inline-form": ("data-uri", "base64"),
    "type-from": ("name", "content"),
    "job-schema": ("", "openai", "runway", "veo", "kling", "luma"),
}
_TABLES = ("delivery-limits", "near-miss", "facts")
KEYS = (*_LISTS, "aspect-tolerance", "vendor-source", "content-check", *_INTS, *_TEXTS,
        *_CHOICES, *_TABLES, "combinations")  # fmt: skip
#: What an image can miss, for ``near-miss``: the profile's limits and how the job asks.
CONSTRAINTS = ("sizes", "aspect", "ratio", "min-side", "max-side", "max-pixels", "bytes",
               "format", "content-type")  # fmt: skip
#: Job parameters a combination may name (the canonical job fields).
PARAMETERS = ("seconds", "resolution", "ratio", "reference_images", "input_reference",
              "resize_mode", "delivery")  # fmt: skip
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def ratio_label(raw: Any, ratio: Fraction) -> str:
    """How a ratio is shown: as written (``21:9`` stays ``21:9``), numbers as ``W:H``."""
    if isinstance(raw, str) and ":" in raw:
        return ":".join(part.strip() for part in raw.split(":", 1))
    return f"{ratio.numerator}:{ratio.denominator}"


def _list(table: dict[str, Any], key: str, where: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{where}.{key}: expected a list")
    return value


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _list(table, key, where)
    for value in values:
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            raise ValueError(f"{where}.{key}: expected strings, got {value!r}")
    return tuple(str(v).strip() for v in values)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{where}: expected a positive integer, got {value!r}")
    return value


def _bool(table: dict[str, Any], key: str, where: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{where}.{key}: expected true or false")
    return value


def _table(table: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"{where}.{key}: expected a table")
    return value


def _choice(table: dict[str, Any], key: str, where: str) -> str:
    allowed = _CHOICES[key]
    value = table.get(key, allowed[0])
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed if a)
        raise ValueError(f"{where}.{key}: {value!r}; allowed: {shown}")
    return str(value)


def _aspects(table: dict[str, Any], where: str) -> tuple[tuple[Fraction, ...], tuple[str, ...]]:
    listed = _list(table, "aspect-ratios", where)
    ratios = tuple(parse_ratio(r, f"{where}.aspect-ratios") for r in listed)
    return ratios, tuple(ratio_label(raw, r) for raw, r in zip(listed, ratios, strict=True))


def _aspect_range(table: dict[str, Any], where: str) -> tuple[Fraction, Fraction] | None:
    span = _list(table, "aspect-range", where)
    if not span:
        return None
    if len(span) != 2:
        raise ValueError(f'{where}.aspect-range: expected [low, high], e.g. ["1:2", "2:1"]')
    low, high = (parse_ratio(r, f"{where}.aspect-range") for r in span)
    if low > high:
        raise ValueError(f"{where}.aspect-range: {span[0]!r} is above {span[1]!r}")
    return low, high


def _formats(table: dict[str, Any], where: str) -> frozenset[str]:
    formats = set()
    for fmt in _list(table, "formats", where) or sorted(DEFAULT_FORMATS):
        known = FORMAT_NAMES.get(str(fmt).strip().lower())
        if known is None:
            allowed = ", ".join(name for name in FORMAT_NAMES if "/" in name)
            raise ValueError(f"{where}.formats: {fmt!r}; allowed: {allowed}")
        formats.add(known)
    return frozenset(formats)


def _tolerance(table: dict[str, Any], where: str) -> float:
    tolerance = table.get("aspect-tolerance", 0.0)
    number = isinstance(tolerance, int | float) and not isinstance(tolerance, bool)
    if not number or not 0 <= tolerance < 0.5:
        raise ValueError(
            f"{where}.aspect-tolerance: expected a number from 0 to 0.5, got {tolerance!r}"
        )
    return float(tolerance)


def _seconds_range(table: dict[str, Any], where: str) -> tuple[int, int] | None:
    span = _list(table, "seconds-range", where)
    if not span:
        return None
    low, high = (_int(s, f"{where}.seconds-range") for s in span) if len(span) == 2 else (0, -1)
    if low > high:
        raise ValueError(f"{where}.seconds-range: expected [shortest, longest], e.g. [2, 10]")
    return low, high


def _deliveries(table: dict[str, Any], where: str) -> tuple[tuple[str, int], ...]:
    limits = _table(table, "delivery-limits", where)
    for way in limits:
        if way not in DELIVERIES:
            raise ValueError(f"{where}.delivery-limits: {way!r}; allowed: {', '.join(DELIVERIES)}")
    return tuple(
        (way, _int(limits[way], f"{where}.delivery-limits.{way}"))
        for way in DELIVERIES
        if way in limits
    )


def _near_miss(table: dict[str, Any], where: str) -> tuple[tuple[str, str, str], ...]:
    found = []
    for constraint, raw in _table(table, "near-miss", where).items():
        here = f"{where}.near-miss.{constraint}"
        if constraint not in CONSTRAINTS:
            raise ValueError(f"{here}: unknown constraint; allowed: {', '.join(CONSTRAINTS)}")
        entry = raw if isinstance(raw, dict) else {"action": raw}
        if set(entry) - {"action", "detail"}:
            raise ValueError(f"{here}: expected an action or a table of action and detail")
        action, detail = entry.get("action"), entry.get("detail", "")
        if action not in NEAR_MISS_ACTIONS or not isinstance(detail, str):
            raise ValueError(f"{here}: {action!r}; allowed: {', '.join(NEAR_MISS_ACTIONS)}")
        found.append((str(constraint), str(action), detail))
    return tuple(found)


def _combinations(table: dict[str, Any], where: str) -> tuple[Combination, ...]:
    raw = table.get("combinations", [])
    if not isinstance(raw, list):
        raise ValueError(f"{where}.combinations: expected a list of tables")
    found = []
    for index, entry in enumerate(raw):
        here = f"{where}.combinations[{index}]"
        keys = {"when", "in", "then", "allowed", "reason", "action"}
        if not isinstance(entry, dict) or set(entry) - keys:
            raise ValueError(f"{here}: expected a table of {', '.join(sorted(keys))}")
        for key in ("when", "then"):
            if entry.get(key) not in PARAMETERS:
                raise ValueError(f"{here}.{key}: {entry.get(key)!r}; allowed: "
                                 f"{', '.join(PARAMETERS)}")  # fmt: skip
        allowed = _strings(entry, "allowed", here)
        action = entry.get("action", "reject")
        if not allowed or action not in NEAR_MISS_ACTIONS:
            raise ValueError(f"{here}: needs allowed values and an action from "
                             f"{', '.join(NEAR_MISS_ACTIONS)}")  # fmt: skip
        reason = entry.get("reason", "")
        if not isinstance(reason, str):
            raise ValueError(f"{here}.reason: expected a string")
        values = _strings(entry, "in", here)
        found.append(Combination(entry["when"], values, entry["then"], allowed, reason, action))
    return tuple(found)


def _facts(table: dict[str, Any], where: str) -> tuple[Fact, ...]:
    found = []
    for key, raw in _table(table, "facts", where).items():
        here = f"{where}.facts.{key}"
        head, _, tail = str(key).partition(".")
        known = head in KEYS and (not tail or head in ("near-miss", "delivery-limits"))
        if not known or head == "facts":
            raise ValueError(f"{here}: not a key of the profile")
        if not isinstance(raw, dict) or set(raw) - {"source-url", "vendor", "checked", "note"}:
            raise ValueError(f"{here}: expected a table of source-url, vendor, checked, note")
        url, note, checked = raw.get("source-url", ""), raw.get("note", ""), raw.get("checked", "")
        if not all(isinstance(v, str) for v in (url, note, checked)):
            raise ValueError(f"{here}: source-url, checked and note are strings")
        if url and not url.startswith("https://"):
            raise ValueError(f"{here}.source-url: expected an https:// address")
        if checked and not _DATE.match(checked):
            raise ValueError(f"{here}.checked: expected a date YYYY-MM-DD")
        if not url and not note:
            raise ValueError(f"{here}: give a source-url, or a note saying it is unconfirmed")
        found.append(Fact(str(key), url, _bool(raw, "vendor", here), checked, note))
    return tuple(found)


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
    ratios, labels = _aspects(table, where)
    ints = {key: _int(table[key], f"{where}.{key}") for key in _INTS if key in table}
    texts = {key: table[key] for key in _TEXTS if key in table}
    for key, value in texts.items():
        if not isinstance(value, str):
            raise ValueError(f"{where}.{key}: expected a string, got {value!r}")
    return Profile(
        name=name, sizes=sizes, formats=_formats(table, where),
        aspect_ratios=ratios, aspect_labels=labels, aspect_range=_aspect_range(table, where),
        aspect_tolerance=_tolerance(table, where),
        min_side=ints.get("min-side"), max_side=ints.get("max-side"),
        max_pixels=ints.get("max-pixels"), max_bytes=ints.get("max-bytes"),
        seconds=_strings(table, "seconds", where), seconds_range=_seconds_range(table, where),
        max_prompt=ints.get("max-prompt"), prompt_unit=_choice(table, "prompt-unit", where),
        description=texts.get("description", "declared in config"),
        notes=texts.get("notes", ""), source=texts.get("source", "project configuration"),
        source_url=texts.get("source-url", ""), checked=texts.get("checked", ""),
        vendor_source=_bool(table, "vendor-source", where),
        status=_choice(table, "status", where),
        aliases=_strings(table, "aliases", where),
        delivery_limits=_deliveries(table, where),
        data_uri_counts=_choice(table, "data-uri-counts", where),
        inline_form=_choice(table, "inline-form", where),
        type_from=_choice(table, "type-from", where),
        content_check=_bool(table, "content-check", where),
        ratios=_strings(table, "ratios", where),
        resolutions=_strings(table, "resolutions", where),
        near_miss=_near_miss(table, where), combinations=_combinations(table, where),
        job_schema=_choice(table, "job-schema", where), facts=_facts(table, where),
    )  # fmt: skip
