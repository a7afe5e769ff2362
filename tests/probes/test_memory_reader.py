"""``MemoryProbeReader``: bytes in memory read exactly as the same bytes in a file, budget and
all, so a prober answers the Python API's bytes as it answers the command's files."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from sora_lint.run.probe_reader import (
    EXTRA_BUDGET,
    ZONE,
    BudgetExceeded,
    MemoryProbeReader,
    ProbeReader,
    StreamLimitExceeded,
    open_reader,
)
from sora_lint.run.probing import HEAD_BYTES

SIZE = 3 * EXTRA_BUDGET  # past the free zone and past the budget
#: Reads a prober may issue, in order: inside the head, in the free zone, beyond it.
READS: list[tuple[str, int, int]] = [
    ("read", 0, 16), ("read", HEAD_BYTES - 8, 64), ("read", ZONE - 10, 40), ("tail", 0, 12),
    ("read", ZONE + 5000, 100), ("read", ZONE + 5010, 20), ("tail", 0, 9000),
    ("read", SIZE - 3, 50), ("read", -1, 5), ("read", SIZE, 5),
    *[("read", ZONE + 70_000 * i, 65_536) for i in range(1, 30)],
]  # fmt: skip


def _trace(reader: ProbeReader) -> list[Any]:
    """Every answer, the reads counted, and where the budget ran out."""
    seen: list[Any] = []
    for kind, offset, n in READS:
        try:
            seen.append(reader.tail(n) if kind == "tail" else reader.read(offset, n))
        except BudgetExceeded as exc:
            seen.append(f"budget: {exc}")
        seen.append(reader.reads)
    return seen


def _streamed(reader: ProbeReader, limit: int) -> Any:
    stream = reader.stream(limit)
    try:
        first = stream.read(100)
        stream.seek(-50, 2)
        last = stream.read()
        stream.seek(0)
        return first, last, stream.read()
    except StreamLimitExceeded as exc:
        return f"limit: {exc}"


@pytest.mark.parametrize("limit", [SIZE * 2, EXTRA_BUDGET])
def test_bytes_read_as_the_same_file(tmp_path: Path, limit: int) -> None:
    data = random.Random(7).randbytes(SIZE)
    path = tmp_path / "blob"
    path.write_bytes(data)
    with open_reader(path, HEAD_BYTES) as from_file:
        on_disk = _trace(from_file), _streamed(from_file, limit)
    in_memory = MemoryProbeReader(data, HEAD_BYTES)
    assert (_trace(in_memory), _streamed(in_memory, limit)) == on_disk
    assert any(isinstance(seen, str) for seen in on_disk[0])  # the budget did run out
