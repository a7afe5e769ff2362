"""The namespace's ``findings.json``: findings, fix proposals and kinds of file, each stored
once and named by a hash of its JSON, and the entries' diagnostics and assets built from them.

Files of one size and target get the same findings and proposals, and files of one kind the
same format and header, so a tree of thousands of files holds a few hundred distinct values:
stored once, validated and decoded once per run, and shared (they are frozen). A name stands
for one JSON value, so a value is decoded the first time its name is met and never compared
again. Each name carries the day it was last used, so names no entry has used for
``PRUNE_DAYS`` go without reading every bucket.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sora_lint.cache.codec import (
    Json,
    Kind,
    Template,
    decode_fix,
    decode_kind,
    decode_template,
    encode_fix,
    encode_kind,
    encode_template,
    fix_names,
    plausible,
)
from sora_lint.cache.layout import PRUNE_DAYS, loads
from sora_lint.run.discovery import Candidate
from sora_lint.types import Asset, Diagnostic, Fix


class SharedTable:
    """One namespace's shared values, read from ``findings.json`` and added to by a run."""

    def __init__(self, raw: Json = None, days: Json = None) -> None:
        self.raw: dict[str, Json] = dict(raw) if isinstance(raw, dict) else {}
        self.days: dict[str, int] = (
            {n: d for n, d in days.items() if type(d) is int} if isinstance(days, dict) else {}
        )
        self.fixes: dict[str, Fix] = {}
        self.templates: dict[str, Template] = {}
        self.kinds: dict[str, Kind] = {}
        #: The names this run decoded or added: they are dated today when the table is written.
        self.used: set[str] = set()
        #: The values this run added (not in the file it read).
        self.added: dict[str, Json] = {}

    def add(self, encoded: Json) -> str:
        text = json.dumps(encoded, separators=(",", ":"))  # key order kept: reports show it
        name = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        if name not in self.raw:
            value = loads(text)
            if json.dumps(value, separators=(",", ":")) != text:  # 2**70 read as a float
                raise ValueError(f"does not read back as written: {text[:200]}")
            self.raw[name] = self.added[name] = value
        self.used.add(name)
        return name

    def _raw(self, name: Json) -> Json:
        if type(name) is not str or name not in self.raw:
            raise ValueError(f"unknown shared value {name!r}"[:200])
        self.used.add(name)
        return self.raw[name]

    def fix(self, name: Json) -> Fix:
        fix = self.fixes.get(name) if type(name) is str else None
        if fix is None:
            fix = self.fixes[name] = decode_fix(self._raw(name))
        return fix

    def template(self, name: Json) -> Template:
        found = self.templates.get(name) if type(name) is str else None
        if found is None:
            raw = self._raw(name)
            fixes = tuple([self.fix(n) for n in fix_names(raw)])
            found = self.templates[name] = decode_template(raw, fixes)
        return found

    def kind(self, name: Json) -> Kind:
        found = self.kinds.get(name) if type(name) is str else None
        if found is None:
            found = decode_kind(self._raw(name))
            header = found[1]
            if header is not None and not plausible(header):
                raise ValueError(f"not a header a prober gives: {header}")  # damaged
            self.kinds[name] = found
        return found

    def asset(self, kind: Json, byte_size: Json, candidate: Candidate) -> Asset:
        """The asset an entry describes (its kind named, its byte size given)."""
        fmt, header, problem = self.kinds.get(kind) or self.kind(kind)
        if type(byte_size) is not int or byte_size < 0:
            raise ValueError(f"not a byte size: {byte_size!r}"[:200])
        return Asset(candidate.path, candidate.display, byte_size, fmt, header, problem)

    def diagnostics(self, raw: Json, display: str) -> tuple[Diagnostic, ...]:
        """The diagnostics an entry lists: a finding's name (shown at ``display``, the file)
        or ``[name, path]``. One loop, the names looked up inline: this runs per file."""
        if type(raw) is not list:
            raise ValueError("diagnostics: expected a list")
        templates = self.templates
        found = []
        for item in raw:
            if type(item) is str:
                name, path = item, display
            elif type(item) is list and len(item) == 2 and type(item[1]) is str:
                name, path = item
            else:
                raise ValueError(f"not a diagnostic: {item!r}"[:200])
            t = templates.get(name) or self.template(name)
            found.append(Diagnostic(t[0], t[1], t[2], t[3], path, t[4], t[5], t[6], t[7],
                                    t[8], t[9]))  # fmt: skip
        return tuple(found)

    def encode_diagnostics(self, diagnostics: tuple[Diagnostic, ...], display: str) -> Json | None:
        """The diagnostics as finding names (``[name, path]`` for one not shown at the file;
        findings and fixes added to the table), or ``None`` when they would not come back
        equal (a plugin put a tuple or an object in ``data``): those are then never cached."""
        try:
            encoded: list[Any] = []
            for d in diagnostics:
                fixes = [self.add(encode_fix(f)) for f in d.fixes]
                name = self.add(encode_template(d, fixes))
                encoded.append(name if d.path == display else [name, d.path])
            back = loads(json.dumps(encoded))
            if self.diagnostics(back, display) == diagnostics:
                return back
        except (TypeError, ValueError):
            pass
        return None

    def add_kind(self, asset: Asset) -> str:
        return self.add(encode_kind(asset))

    def changed(self, today: int) -> bool:
        """Whether the file needs writing: values added, or used names not dated today."""
        days = self.days
        return bool(self.added) or any(days.get(n) != today for n in self.used)

    def merged(
        self, values: Json, days: Json, today: int
    ) -> tuple[dict[str, Json], dict[str, int]]:
        """This run's additions and uses merged into the values and days read from the file
        just now (another run may have written it meanwhile); names unused for ``PRUNE_DAYS``
        (those of entries that were pruned, or never stored) are left out."""
        on_disk = SharedTable(values, days)
        merged_days = dict(on_disk.days)
        for name, day in self.days.items():
            merged_days[name] = max(day, merged_days.get(name, day))
        for name in self.used:
            merged_days[name] = today
        merged_values = {**self.raw, **on_disk.raw}
        cutoff = today - PRUNE_DAYS
        kept = {n: v for n, v in merged_values.items() if merged_days.get(n, -1) > cutoff}
        return kept, {n: merged_days[n] for n in kept}
