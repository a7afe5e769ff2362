"""``--shard I/N``: a deterministic split of the files so a CI matrix lints a huge tree at once.

Each file goes to the shard picked by a CRC-32 of its root-relative POSIX path, so every
machine computes the same split with no coordination, whatever the walk order or Python's
hash seed. The JSON reports of the shards are one array each; ``jq -s add`` merges them.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sora_lint.run.discovery import Candidate, Selection

MAX_SHARDS = 10_000


def parse_shard(raw: Any) -> tuple[int, int]:
    """Parse ``I/N`` (1 ≤ I ≤ N, as a CI matrix counts) into ``(I, N)``."""
    if not isinstance(raw, str):
        raise ValueError(f"expected I/N such as 1/4, got {raw!r}")
    index_text, sep, count_text = raw.strip().partition("/")
    if not sep or not index_text.isdigit() or not count_text.isdigit():
        raise ValueError(f"{raw!r} is not of the form I/N (e.g. 1/4)")
    index, count = int(index_text), int(count_text)
    if not 1 <= count <= MAX_SHARDS or not 1 <= index <= count:
        raise ValueError(f"{raw!r}: need 1 <= I <= N <= {MAX_SHARDS}")
    return index, count


def shard_of(key: str, count: int) -> int:
    """The 1-based shard a root-relative path belongs to."""
    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % count + 1


def shard_key(candidate: Candidate, selection: Selection) -> str:
    """The root-relative POSIX path, or the path as shown for a file outside the root."""
    relative = selection.relative(candidate.path)
    return relative if relative is not None else candidate.display


def select_shard(
    candidates: Iterable[Candidate], selection: Selection, shard: tuple[int, int] | None
) -> Iterator[Candidate]:
    """Keep the candidates of shard ``I`` of ``N``, in their original order."""
    if shard is None:
        yield from candidates
        return
    index, count = shard
    for candidate in candidates:
        if shard_of(shard_key(candidate, selection), count) == index:
            yield candidate
