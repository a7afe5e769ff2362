"""``.sora-lint-cache/``: each file's probe result and diagnostics, so a re-run skips the I/O.

Layout (:mod:`sora_lint.cache.layout`): ``<cache-dir>/v4/<namespace>/<bucket>.json`` and one
``findings.json``. The namespace is a hash of what changes results for every file (tool
version, each plugin's name, version and source stamp, the settings that are not about
output); a bucket holds the entries of the paths whose CRC-32 falls in it, so pre-commit's
few-file runs read a few small files. An entry is ``[content id, probe result, check key,
diagnostics, day last used]``; the check key is the file's display path and the plugins'
cache stamps (``sora_lint_cache_stamp``), so a job file that changes an image's target
re-runs the rules (on the cached probe result) without reading the image, and an unchanged
file costs a ``stat`` and a dictionary lookup. Findings and fix proposals are stored once per
namespace in ``findings.json`` (``SharedTable``) and entries name them, so a finding is
read, validated and decoded once per run however many files share it.

Safe when several runs share the folder (pre-commit starts one per CPU): a file is re-read
and merged just before it is replaced by a temporary file and ``os.replace``; a concurrent
writer may lose the other's new entries or findings (an entry naming a finding that is not
there is a miss: the file is re-probed next time) but a reader never sees a partial file,
and a corrupt one is ignored. Entries and findings unused for ``PRUNE_DAYS`` and namespaces
unused for as long (keeping at most ``MAX_NAMESPACES``) go.
"""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sora_lint.cache.codec import (
    SharedTable,
    decode_asset,
    decode_diagnostics,
    encode_asset,
    encode_diagnostics,
)
from sora_lint.cache.content_ids import ContentIds
from sora_lint.cache.keys import check_key
from sora_lint.cache.layout import (
    BUCKETS,
    FINDINGS,
    LAYOUT,
    PRUNE_DAYS,
    bucket_path,
    prune_layouts,
    prune_namespaces,
    read_bucket,
    read_findings,
    remove_stale_temps,
    unlink_inner_links,
    write_file,
)
from sora_lint.cache.location import TEMP_FOLDER, usable_cache_folder
from sora_lint.cache.marker import claim, is_cache_folder
from sora_lint.filesystem.paths import make_folders
from sora_lint.parallel.transfer import check_only
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome, Session
from sora_lint.types import Asset, ImageHeader

__all__ = ["LAYOUT", "RunCache", "plausible"]

#: Turns a cached probe result into the file's outcome by running the rules again.
Recheck = Callable[[Asset, Candidate, Session], FileOutcome]


class RunCache:
    """One run's view of one namespace: look up before the work, store after, flush once."""

    def __init__(
        self, folder: Path, ids: ContentIds, session: Session, recheck: Recheck, stamp: str = ""
    ) -> None:
        self.stamp = stamp
        self.ids = ids
        self.session = session
        self.recheck = recheck
        #: The cache folder itself (``<top>/<layout>/<namespace>`` is ``folder``); refused
        #: here, before anything is read, when a repository could have aimed it elsewhere.
        self.top = usable_cache_folder(folder.parent.parent, session.settings)
        self.folder = self.top / folder.parent.name / folder.name
        unlink_inner_links(self.top, self.folder)
        if is_cache_folder(self.top):
            remove_stale_temps(self.top / TEMP_FOLDER)
        self.today = int(time.time() // 86400)
        self.buckets: dict[int, dict[str, Any]] = {}
        self._table: SharedTable | None = None
        self.dirty: dict[int, dict[str, Any]] = {}
        self.pending: dict[str, str] = {}
        self.hits = 0
        self.rechecked = 0
        root = str(session.selection.root)
        self.prefix = root if root.endswith(os.sep) else root + os.sep

    @property
    def table(self) -> SharedTable:
        """The namespace's findings, read when the first entry needs them."""
        if self._table is None:
            self._table = SharedTable(*read_findings(self.folder))
        return self._table

    def _key(self, candidate: Candidate) -> tuple[str, str | None]:
        """(entry key, root-relative POSIX path or None): string work, as this runs per file."""
        path = candidate.file
        if not path.startswith(self.prefix):
            return path, None
        relative = path[len(self.prefix) :]
        if os.sep != "/":
            relative = relative.replace(os.sep, "/")
        return relative, relative

    def _bucket(self, index: int) -> dict[str, Any]:
        bucket = self.buckets.get(index)
        if bucket is None:
            bucket = self.buckets[index] = read_bucket(bucket_path(self.folder, index))
        return bucket

    def lookup(self, candidate: Candidate) -> FileOutcome | None:
        """The cached outcome of an unchanged file, or ``None`` (then :meth:`store` it)."""
        key, relative = self._key(candidate)
        content = self.ids.content_id(candidate.file, relative)
        if content is None:
            return None
        index = zlib.crc32(key.encode("utf-8", "surrogateescape")) % BUCKETS
        entry = self._bucket(index).get(key)
        outcome = None
        if type(entry) is list and len(entry) == 5 and entry[0] == content:
            outcome = self._use(index, key, entry, candidate)
        if outcome is None:
            self.pending[key] = content  # to store once probed
        return outcome

    def _use(
        self, index: int, key: str, entry: list[Any], candidate: Candidate
    ) -> FileOutcome | None:
        """The outcome an entry for the file's content holds, if it can be used."""
        ckey = check_key(candidate.display, self.stamp)
        fresh = entry[2] == ckey  # else a stamp changed (a job file, say): rules run again
        try:
            diagnostics = decode_diagnostics(entry[3], self.table) if fresh else None
            if self.session.fixing and diagnostics != ():
                return None  # a fix run re-probes every file it might change
            asset = decode_asset(entry[1], candidate) if diagnostics != () else None
        except (ValueError, TypeError):
            return None
        if asset is not None and not plausible(asset.header):
            return None  # a damaged entry: the rules would divide by a zero side
        self._settle(index, key, entry)
        if diagnostics is None:
            if asset is None:  # cannot happen: a recheck always decodes the asset
                return None
            return self._recheck(index, key, candidate, ckey, asset)
        self.hits += 1
        return FileOutcome(candidate.display, diagnostics, asset)

    def _settle(self, index: int, key: str, entry: list[Any]) -> None:
        """The entry was used: it is dated today."""
        if entry[4] != self.today:
            self._put(index, key, [*entry[:4], self.today])

    def _recheck(
        self, index: int, key: str, candidate: Candidate, ckey: str, asset: Asset
    ) -> FileOutcome:
        """Run the rules on the cached probe result and remember what they found now."""
        outcome = self.recheck(asset, candidate, self.session)
        self.rechecked += 1
        content = self.buckets[index][key][0]
        self._put(index, key, self._entry(content, asset, ckey, outcome))
        return _slim(outcome)

    def store(self, candidate: Candidate, outcome: FileOutcome) -> FileOutcome:
        """Remember a freshly probed file (unless it may have changed during the run)."""
        key, _ = self._key(candidate)
        content = self.pending.pop(key, None)
        asset = outcome.asset
        if content is None or asset is None or not check_only(outcome):
            return _slim(outcome)
        if not self.ids.settled(candidate.file):
            return _slim(outcome)
        ckey = check_key(candidate.display, self.stamp)
        index = zlib.crc32(key.encode("utf-8", "surrogateescape")) % BUCKETS
        self._bucket(index)
        self._put(index, key, self._entry(content, asset, ckey, outcome))
        return _slim(outcome)

    def _entry(self, content: str, asset: Asset, ckey: str, outcome: FileOutcome) -> list[Any]:
        diagnostics = encode_diagnostics(outcome.diagnostics, self.table)
        return [content, encode_asset(asset), ckey if diagnostics is not None else None,
                diagnostics, self.today]  # fmt: skip

    def _put(self, index: int, key: str, entry: list[Any]) -> None:
        self.buckets[index][key] = entry
        self.dirty.setdefault(index, {})[key] = entry

    def flush(self) -> None:
        """Write the files this run changed, the findings first (an entry that names a
        finding not written yet is a miss); a cache that cannot be written is skipped."""
        table = self._table
        if not self.dirty and (table is None or not table.changed(self.today)):
            return
        try:
            if not claim(self.top):
                return  # someone else's folder appeared meanwhile: write nothing there
            make_folders(self.folder, self.top)
            if table is not None and table.changed(self.today):
                values, days = table.merged(*read_findings(self.folder), self.today)
                write_file(self.folder / FINDINGS, {"values": values, "days": days})
            cutoff = self.today - PRUNE_DAYS
            for index, changes in self.dirty.items():
                path = bucket_path(self.folder, index)
                merged = {**read_bucket(path), **changes}
                kept = {k: v for k, v in merged.items() if _day(v) > cutoff}
                write_file(path, {"entries": kept})
            remove_stale_temps(self.folder)
            prune_namespaces(self.folder.parent, keep=self.folder.name, today=self.today)
            prune_layouts(self.top)
        except OSError:
            return
        self.dirty.clear()


def plausible(header: ImageHeader | None) -> bool:
    """Whether a cached header is one a prober can give (sides and frames at least 1, an
    orientation 1-8): a cache file that says otherwise was damaged, and the entry is a miss
    rather than "a plugin failed: ZeroDivisionError"."""
    if header is None:
        return True
    size = header.size
    return (
        size.width > 0 and size.height > 0 and header.n_frames > 0
        and 1 <= header.orientation <= 8 and header.bits >= 0
    )  # fmt: skip


def _slim(outcome: FileOutcome) -> FileOutcome:
    """The asset is kept only when something was found, as the engine does."""
    if outcome.asset is not None and not outcome.diagnostics and check_only(outcome):
        return FileOutcome(outcome.display, ())
    return outcome


def _day(entry: Any) -> int:
    if isinstance(entry, list) and len(entry) == 5 and type(entry[4]) is int:
        return entry[4]
    return -1
