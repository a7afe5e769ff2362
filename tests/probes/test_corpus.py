"""Every hostile third-party file in ../shared/corpus gets a verdict; nothing escapes."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

from sora_lint.config.core_options import DEFAULT_EXTENSIONS
from tests.conftest import sora_lint_env


def _lint(corpus: Path, *args: str) -> dict[str, list[str]]:
    proc = subprocess.run(
        ["sora-lint", "--target", "1280x720", "--output-format", "json", *args],
        cwd=corpus.parent, capture_output=True, text=True, env=sora_lint_env(), timeout=600,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr == "", proc.stderr[-3000:]
    found: dict[str, list[str]] = {}
    for item in json.loads(proc.stdout):
        found.setdefault(item["path"], []).append(item["code"])
    return found


def _manifest(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) == 299
    return rows


def test_every_corpus_file_named_explicitly_gets_a_diagnostic(corpus: Path) -> None:
    """As pre-commit passes them: every file, whatever its name, gets a verdict."""
    rows = _manifest(corpus)
    found = _lint(corpus, *[f"corpus/{row['path']}" for row in rows])
    missing = [row["path"] for row in rows if f"corpus/{row['path']}" not in found]
    assert missing == [], f"no diagnostic for {missing}"


def test_walking_the_corpus_reports_every_image_file(corpus: Path) -> None:
    """The folder walk collects by extension; each collected file gets a verdict."""
    found = _lint(corpus, "corpus")
    extensions = set(DEFAULT_EXTENSIONS)
    expected = [
        row["path"] for row in _manifest(corpus)
        if row["path"].rpartition(".")[2].lower() in extensions and "." in row["path"]
    ]  # fmt: skip
    assert len(expected) > 270
    missing = [path for path in expected if f"corpus/{path}" not in found]
    assert missing == [], f"no diagnostic for {missing}"


def test_corpus_formats_sizes_agree_with_pillow(corpus: Path) -> None:
    """Where Pillow opens a file and we report SL001, our stored size is Pillow's."""
    proc = subprocess.run(
        ["sora-lint", "corpus", "--target", "1280x720", "--output-format", "json",
         "--select", "SL001"],
        cwd=corpus.parent, capture_output=True, text=True, env=sora_lint_env(), timeout=600,
    )  # fmt: skip
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        manifest = {row["path"]: row for row in csv.DictReader(handle, delimiter="\t")}
    disagreements = []
    for item in json.loads(proc.stdout):
        row = manifest[item["path"].removeprefix("corpus/")]
        readable = row["pillow_error"] == "-" and row["pillow_size"] != "-"
        if readable and item["size"] != row["pillow_size"]:
            disagreements.append((item["path"], item["size"], row["pillow_size"]))
    assert disagreements == []
