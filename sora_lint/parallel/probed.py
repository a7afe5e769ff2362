"""How a forked worker sends back what it probed: each kind of file once, then its number.

A worker of a check run where processes fork only probes (:mod:`~sora_lint.parallel.sharing`);
the main process checks every file through ``process_file`` with the probe result, as the
cache hands one over. An asset is its path (the main process has it), its byte size and its
kind: format, header and problem. Files of one kind share one header object (the probers'
answers are shared), so an :class:`AssetPacker` numbers each kind the first time it sends it,
in the cache's plain encoding, and afterwards sends the number and the byte size alone: two
small integers a file. A file with a problem (its message names the file's bytes) or a
plugin's own header type travels whole, pickled.

A number means something only after the message that defined it: the main process must
unpack each worker's messages in the order that worker sent them (a pipe keeps it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sora_lint.cache.codec import decode_kind, encode_kind
from sora_lint.run.discovery import Candidate
from sora_lint.types import Asset, ImageHeader

#: Header objects numbered per worker at most, so a run of unlike files cannot grow without
#: bound (past it, a kind travels pickled each time).
MAX_KINDS = 65536


class AssetPacker:
    """A worker's side: :meth:`pack` turns a chunk's assets into numbers."""

    def __init__(self) -> None:
        #: Number (-1: travels pickled) and header (kept, so the id in the key is never
        #: reused) by format and header object: a cheap key, as the fast probers share one
        #: header object per kind.
        self.numbers: dict[tuple[str | None, int], tuple[int, ImageHeader]] = {}
        #: Number by format and header as written out (``repr``: exact, where ``0`` equals
        #: ``False``), for headers equal but not shared.
        self.by_value: dict[tuple[str | None, str], int] = {}

    def pack(self, assets: Sequence[Asset]) -> tuple[list[Any], list[Any]]:
        """The kinds defined here (number, encoded kind) and, per asset, its kind (a number,
        or the kind itself) and its byte size, one flat list."""
        numbers = self.numbers
        defined: list[Any] = []
        flat: list[Any] = []
        for asset in assets:
            header = asset.header
            if asset.problem is not None or type(header) is not ImageHeader:
                flat.append((asset.format, header, asset.problem))  # rare: pickled as it is
            else:
                key = (asset.format, id(header))
                known = numbers.get(key)
                if known is None and len(numbers) < MAX_KINDS:
                    known = self._number(asset, header, defined)
                    numbers[key] = known
                if known is not None and known[0] >= 0:
                    flat.append(known[0])
                else:
                    flat.append((asset.format, header, asset.problem))
            flat.append(asset.byte_size)
        return defined, flat

    def _number(
        self, asset: Asset, header: ImageHeader, defined: list[Any]
    ) -> tuple[int, ImageHeader]:
        """A header object not seen before: the number of an equal one sent already (the
        Pillow fallback makes a header per file), else a new number, defined here."""
        by_value, value = self.by_value, (asset.format, repr(header))
        number = by_value.get(value)
        if number is None:
            number = len(by_value) if _exact(asset) else -1  # -1: travels pickled
            by_value[value] = number
            if number >= 0:
                defined.append((number, encode_kind(asset)))
        return number, header


def _exact(asset: Asset) -> bool:
    """Whether the cache's encoding gives this kind back exactly (a plugin's header with a
    value of another type travels pickled instead)."""
    kind = (asset.format, asset.header, asset.problem)
    try:
        back = decode_kind(encode_kind(asset))
    except (ValueError, TypeError):
        return False
    return back == kind and repr(back) == repr(kind)  # repr: 0 equals False, and hashes alike


class AssetUnpacker:
    """The main process's side, one per worker: rebuilds the assets of a chunk."""

    def __init__(self) -> None:
        self.kinds: dict[int, tuple[Any, Any, Any]] = {}

    def unpack(
        self, defined: list[Any], flat: list[Any], candidates: Sequence[Candidate]
    ) -> list[Asset]:
        kinds = self.kinds
        for number, raw in defined:
            kinds[number] = decode_kind(raw)
        assets = []
        for at, candidate in enumerate(candidates):
            kind, size = flat[2 * at], flat[2 * at + 1]
            if type(kind) is int:
                fmt, header, problem = kinds[kind]
            else:
                fmt, header, problem = kind
            assets.append(Asset(candidate.path, candidate.display, size, fmt, header, problem))
        return assets
