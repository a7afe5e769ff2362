"""How a worker sends a file's outcome back: each distinct finding once, then its number.

Used by the pool of a check run where processes do not fork (:mod:`~sora_lint.parallel.pool`);
where they fork, workers only probe and send probe results (:mod:`~sora_lint.parallel.probed`).

Files of one kind get the same findings (the engine reuses them, path swapped), so a worker's
:class:`Packer` numbers each distinct finding the first time it sends it and afterwards
sends the number alone (and the path, when the finding is not shown at the file itself);
the asset travels as the cache's plain fields (:func:`~sora_lint.cache.codec.encode_asset`).
Measured on 8,000 files of 230 sizes: the main process (the one part of a run that cannot be
parallel) spends 6.6 µs a file loading and rebuilding outcomes, against 42 with each finding
sent whole (a pickled frozen dataclass is slow to load); packing costs a worker 2.2 µs a file.

A number means something only after the message that defined it: the main process must
unpack each worker's messages in the order that worker sent them (a pipe keeps it; a pool's
ordered results keep it too). Every fix run's outcome, and anything but a plain check,
travels pickled as it is.
"""

from __future__ import annotations

import os
from typing import Any

from sora_lint.cache.codec import decode_asset, encode_asset
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome
from sora_lint.run.reuse import shown_at
from sora_lint.types import Diagnostic

#: The defaults of the outcome's fields beyond display, diagnostics and asset: a check-mode
#: outcome leaves them all at the default (whatever fields fixing adds later).
_FIX_DEFAULTS = tuple(FileOutcome._field_defaults[name] for name in FileOutcome._fields[3:])

#: Distinct findings numbered per worker at most, so a run of unlike files cannot grow
#: without bound (past it, a finding travels whole each time).
_MAX_SHARED = 65536


def check_only(outcome: FileOutcome) -> bool:
    """Whether ``outcome`` is a plain check result: nothing fixed, held back or skipped."""
    return outcome[3:] == _FIX_DEFAULTS


class Packer:
    """A worker's side: :meth:`pack` returns ``None`` for a clean file with nothing to carry,
    a tuple for a checked file, the outcome itself otherwise."""

    def __init__(self) -> None:
        #: Tells this packer's numbers apart from another worker's in the main process.
        self.token = os.getpid()
        #: Number and first diagnostic (kept, so the ids in the key are never reused) by key.
        self.numbers: dict[tuple[Any, ...], tuple[int, Diagnostic]] = {}

    def pack(self, outcome: FileOutcome) -> Any:
        if not check_only(outcome):
            return outcome
        if not outcome.diagnostics and outcome.asset is None:
            return None
        display, numbers = outcome.display, self.numbers
        defined: list[tuple[int, Diagnostic]] = []
        sent: list[Any] = []
        for d in outcome.diagnostics:
            # Findings moved between files of one kind share their values: identity is a
            # cheap, exact key (the first diagnostic is kept, so no id is ever reused).
            key = (d.code, d.message, d.name, id(d.severity), d.line, d.asset, id(d.size),
                   id(d.target), id(d.fixes), id(d.data))  # fmt: skip
            known = numbers.get(key)
            if known is not None:
                number = known[0]
            elif len(numbers) < _MAX_SHARED:
                number = len(numbers)
                defined.append((number, d))
                numbers[key] = (number, d)
            else:  # a run of unlike findings: each travels whole
                sent.append(d)
                continue
            sent.append(number if d.path == display else (number, d.path))
        asset = None if outcome.asset is None else encode_asset(outcome.asset)
        return (self.token, asset, tuple(sent), tuple(defined))


class Unpacker:
    """The main process's side: rebuilds outcomes, each numbered finding shared."""

    def __init__(self) -> None:
        #: Findings by packer token and number, as first sent (shown at their first file).
        self.numbered: dict[tuple[int, int], Diagnostic] = {}

    def outcome(self, packed: Any, candidate: Candidate) -> FileOutcome:
        if packed is None:
            return FileOutcome(candidate.display, ())
        if isinstance(packed, FileOutcome):
            return packed
        token, raw_asset, sent, defined = packed
        numbered = self.numbered
        for number, first in defined:
            numbered[token, number] = first
        # The cache's decoder: each distinct header is decoded once and shared.
        asset = None if raw_asset is None else decode_asset(raw_asset, candidate)
        display = candidate.display
        found: list[Diagnostic] = []
        for item in sent:
            if type(item) is int:
                d, path = numbered[token, item], display
            elif type(item) is tuple:
                d, path = numbered[token, item[0]], item[1]
            else:  # sent whole
                d, path = item, item.path
            found.append(d if d.path == path else shown_at(d, path))
        return FileOutcome(display, tuple(found), asset)
