"""The cache's files on disk: where each lives, reading them safely, writing them whole, and
removing what is no longer used.

``<cache-dir>/v4/<namespace>/`` holds ``<bucket>.json`` files (the entries of the paths whose
CRC-32 falls in the bucket) and one ``findings.json`` (every finding and fix proposal the
entries name, stored once for the namespace). Every file is read only if it is a regular file
(never through a symlink) under its size limit, and parsed as JSON only: anything else reads
as empty, so it is a miss. Files are written whole through the one atomic writer.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sora_lint.cache.marker import is_cache_folder
from sora_lint.filesystem.atomic import atomic_write, remove_stale_temp
from sora_lint.filesystem.reading import FileRefused, read_regular_file

LAYOUT = "v4"
BUCKETS = 64
PRUNE_DAYS = 30
MAX_NAMESPACES = 8
#: A bucket larger than this is a miss, never read: a legitimate one holds 1/64 of a tree's
#: entries (~35 KB for 8,000 files, ~4 MB for a million), and JSON takes ~10x its size.
MAX_BUCKET_BYTES = 8 * 1024 * 1024
#: The findings file holds each distinct finding and fix once (~450 KB for 8,000 files of
#: 230 sizes): one over this is not read, and the entries that name it are misses.
MAX_FINDINGS_BYTES = 16 * 1024 * 1024
FINDINGS = "findings.json"
_NAMESPACE = re.compile(r"[0-9a-f]{20}")
_OLD_LAYOUT = re.compile(r"v[0-9]+")


def _remove_tree(path: str | Path) -> None:
    import shutil  # only runs that prune import it (start-up: see marker._create_marked)

    shutil.rmtree(path, ignore_errors=True)


def bucket_path(folder: Path, index: int) -> Path:
    return folder / f"{index:02x}.json"


def loads(text: bytes | str) -> Any:
    """JSON text as values: orjson where it installs (it parses the cache's files in half the
    time), the standard library where orjson refuses the text (a lone surrogate escaped from
    an undecodable file name) or is missing. Both give the same values for what the cache
    writes: :class:`~sora_lint.cache.codec.SharedTable` stores no value that this function
    does not read back as it was, and the namespace names the parser."""
    fast = _orjson_loads()
    if fast is not None:
        try:
            return fast(text)
        except ValueError:  # orjson.JSONDecodeError
            pass
    return json.loads(text)


@functools.cache
def _orjson_loads() -> Callable[[bytes | str], Any] | None:
    try:
        import orjson
    except ImportError:
        return None
    loads: Callable[[bytes | str], Any] = orjson.loads
    return loads


def parser_name() -> str:
    """Which parser reads the cache (part of the namespace: values round-trip through it)."""
    return "json" if _orjson_loads() is None else "orjson"


def read_file(path: Path, limit: int) -> dict[str, Any]:
    """The JSON object of a cache file of this layout; a missing, partial, foreign, oversized
    or non-regular file (a FIFO, a symlink) reads as ``{}``."""
    try:
        data = loads(read_regular_file(path, limit, follow_symlinks=False))
    except (FileRefused, OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("layout") != LAYOUT:
        return {}
    return data


def read_bucket(path: Path) -> dict[str, Any]:
    """The entries of a bucket file (``{}`` when it cannot be used)."""
    entries = read_file(path, MAX_BUCKET_BYTES).get("entries")
    return entries if isinstance(entries, dict) else {}


def read_findings(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The namespace's findings and fixes by name, and the day each was last used."""
    data = read_file(folder / FINDINGS, MAX_FINDINGS_BYTES)
    values, days = data.get("values"), data.get("days")
    return (values if isinstance(values, dict) else {}), (days if isinstance(days, dict) else {})


def write_file(path: Path, content: dict[str, Any]) -> None:
    """Replace a cache file whole (a concurrent reader sees the old file or the new one);
    a symlink, FIFO or folder in its place (in our marked cache) is removed first."""
    _unlink_unless_regular(path)
    text = json.dumps({"layout": LAYOUT, **content})
    atomic_write(path, text.encode("utf-8", "surrogatepass"))


def _unlink_unless_regular(path: Path) -> None:
    """A symlink, FIFO or folder where a cache file belongs is removed, so the file can be
    written; a link is removed, never followed."""
    try:
        info = os.lstat(path)
    except OSError:
        return
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISDIR(info.st_mode):
        _remove_tree(path)
    else:
        os.unlink(path)


def unlink_inner_links(top: Path, namespace: Path) -> None:
    """A symlink inside a marked cache (``v4 -> /elsewhere``) is removed, never followed."""
    if not is_cache_folder(top):
        return
    for inner in (namespace.parent, namespace):
        if os.path.islink(inner):
            os.unlink(inner)


def remove_stale_temps(folder: Path) -> None:
    """Temporary files a killed run left in ``folder`` (a live run's are seconds old)."""
    try:
        names = [e.name for e in os.scandir(folder) if e.name.startswith(".")]
    except OSError:
        return
    now = time.time()
    for name in names:
        remove_stale_temp(str(folder), name, now)


def _real_subfolders(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of ``folder``, a symlink among them removed (it is inside the cache)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                os.unlink(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                found.append(entry)
    return found


def prune_namespaces(layout_dir: Path, keep: str, today: int) -> None:
    """Remove namespaces unused for ``PRUNE_DAYS``, and all but the newest few."""
    try:
        entries = [
            e
            for e in _real_subfolders(layout_dir)
            if e.name != keep and _NAMESPACE.fullmatch(e.name)
        ]
        dated = sorted(
            ((e.stat(follow_symlinks=False).st_mtime, e.path) for e in entries), reverse=True
        )
    except OSError:
        return
    cutoff = (today - PRUNE_DAYS) * 86400
    for rank, (mtime, path) in enumerate(dated, start=1):
        if mtime < cutoff or rank >= MAX_NAMESPACES:
            _remove_tree(path)


def prune_layouts(top: Path) -> None:
    """Remove what an older sora-lint wrote in a layout this one no longer reads (only in a
    folder that carries the cache marker)."""
    if not is_cache_folder(top):
        return
    try:
        old = [e.path for e in _real_subfolders(top) if _OLD_LAYOUT.fullmatch(e.name)]
    except OSError:
        return
    for path in old:
        if os.path.basename(path) != LAYOUT:
            _remove_tree(path)
