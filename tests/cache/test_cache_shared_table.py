"""The shared findings table: findings and fixes stored once, what does not round-trip not
cached, and names pruned by the day a run last used them."""

from __future__ import annotations

import dataclasses
import json

from sora_lint.cache.layout import PRUNE_DAYS
from sora_lint.cache.table import SharedTable
from sora_lint.types import Applicability, Diagnostic, Fix, Severity, Size


def test_diagnostics_that_do_not_round_trip_are_not_cached() -> None:
    pad = Fix("pad", Applicability.SAFE, "pad", {"box": [0, 0, 1, 1]})
    plain = Diagnostic("SL001", "size-mismatch", Severity.ERROR, "m", "a.png",
                       size=Size(1, 2), target=Size(3, 4), fixes=(pad,))  # fmt: skip
    elsewhere = dataclasses.replace(plain, path="b.png")
    table = SharedTable()
    encoded = table.encode_diagnostics((plain, plain, elsewhere), "a.png")
    assert encoded is not None
    assert table.diagnostics(encoded, "a.png") == (plain, plain, elsewhere)
    assert len(table.raw) == 2  # one finding and one fix, stored once and shared
    again = SharedTable(json.loads(json.dumps(table.raw)))
    assert again.diagnostics(json.loads(json.dumps(encoded)), "a.png") == (plain, plain, elsewhere)
    assert again.used == set(table.raw)  # the finding and the fix it names
    odd = Diagnostic("SL001", "size-mismatch", Severity.ERROR, "m", "a.png", data={"t": (1, 2)})
    assert table.encode_diagnostics((odd,), "a.png") is None


def test_findings_a_run_uses_are_dated_and_the_unused_pruned() -> None:
    """The findings file is pruned by the day each name was last used, so a run that read
    only a few buckets never drops what the entries of the others name."""
    fix = Fix("pad", Applicability.SAFE, "pad to 1280x720", {"target": [1280, 720]})
    found = (Diagnostic("SL001", "size-mismatch", Severity.ERROR, "wrong size", "a.png",
                        size=Size(640, 360), target=Size(1280, 720), fixes=(fix,)),)  # fmt: skip
    writer = SharedTable()
    encoded = writer.encode_diagnostics(found, "a.png")
    assert encoded is not None
    today = 20_000
    values, days = writer.merged({}, {}, today)
    assert set(values) == set(writer.raw) and set(days.values()) == {today}
    old = today - PRUNE_DAYS
    stale = {"0123456789abcdef": ["x"], "fedcba9876543210": ["y"]}
    on_disk = {**values, **stale}
    dated = {**dict.fromkeys(values, old), "0123456789abcdef": old, "fedcba9876543210": today}
    reader = SharedTable(on_disk, dated)
    assert not reader.changed(today)
    assert reader.diagnostics(encoded, "a.png") == found  # a hit: its finding and fix used
    assert reader.changed(today)
    values, days = reader.merged(on_disk, dated, today)
    assert set(values) == {*writer.raw, "fedcba9876543210"}  # unused for 30 days: gone
    assert days == {**dict.fromkeys(writer.raw, today), "fedcba9876543210": today}
