"""Helpers of the cache tests: the debug line's counts, the cache's files, and images aged or
rewritten in place so that only their content tells them apart."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from sora_lint.cache.layout import LAYOUT
from tests.conftest import make_image
from tests.speed_support import age

DEBUG = re.compile(r"(\d+) hits, (\d+) rechecked, (\d+) to probe")


def counts(err: str) -> tuple[int, int, int]:
    """(hits, rechecked, probed) from the debug line."""
    match = DEBUG.search(err)
    assert match, err
    hits, rechecked, probed = match.groups()
    return int(hits), int(rechecked), int(probed)


def entries(folder: Path) -> list[Path]:
    return sorted((folder / ".sora-lint-cache").glob(f"{LAYOUT}/*/[0-9a-f][0-9a-f].json"))


def same_size_pair(folder: Path) -> tuple[Path, bytes]:
    """A clean JPEG, and the bytes of one with the same size but EXIF orientation 6."""
    clean = make_image(folder / "photo.jpg", orientation=1)
    scratch = make_image(folder / "scratch.jpg", orientation=6)
    rotated = scratch.read_bytes()
    scratch.unlink()
    assert len(rotated) == clean.stat().st_size
    age(clean)
    return clean, rotated


def rewrite_keeping_size_and_mtime(path: Path, data: bytes) -> None:
    before = path.stat()
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def findings_file(folder: Path) -> Path:
    (found,) = (folder / ".sora-lint-cache").glob(f"{LAYOUT}/*/findings.json")
    return found


def entries_of(folder: Path) -> dict[str, object]:
    return {k: v for p in entries(folder) for k, v in json.loads(p.read_text())["entries"].items()}


def age_image(path: Path, size: tuple[int, int]) -> Path:
    make_image(path, size)
    age(path)
    return path
