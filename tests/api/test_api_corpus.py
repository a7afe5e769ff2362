"""Hostile third-party files (``../shared/corpus``): ``check`` returns findings and
``prepare`` returns an image ``check`` finds clean or raises ``PrepareError``; nothing else,
whichever way the file is handed over, and no warning reaches the caller."""

from __future__ import annotations

import warnings
from pathlib import Path

import sora_lint

SKIPPED = {"README.md", "MANIFEST.tsv"}
RUNWAY = {"model": "runway-gen4.5", "delivery": "data-uri", "ratio": "1280:720"}


def _said(found: list[sora_lint.Diagnostic]) -> list[tuple[str, str]]:
    return sorted((d.code, d.message) for d in found)


def test_hostile_files_become_findings_or_a_prepare_error(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name not in SKIPPED)
    assert len(files) > 250
    outcomes = {"prepared": 0, "refused": 0}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for path in files:
            data = path.read_bytes()
            for model in ("sora-2", "veo-3.1"):
                from_path = sora_lint.check(path, model=model)
                from_bytes = sora_lint.check(data, model=model, name=path.name)
                assert _said(from_path) == _said(from_bytes), path
            try:
                prepared = sora_lint.prepare(data, **RUNWAY)
            except sora_lint.PrepareError as exc:
                assert str(exc).startswith("cannot prepare <bytes>: "), path
                outcomes["refused"] += 1
                continue
            outcomes["prepared"] += 1
            left = sora_lint.check(prepared.data, name=prepared.filename, **RUNWAY)
            assert left == [], (path, _said(left))
    assert [str(w.message) for w in caught] == []
    assert outcomes["prepared"] > 100 and outcomes["refused"] > 100, outcomes
