"""``.sora-lint-cache/``: each file's probe result and diagnostics, so a re-run skips the I/O.

Layout (:mod:`sora_lint.cache.layout`): ``<cache-dir>/v4/<namespace>/<bucket>.json`` and one
``findings.json``. The namespace is a hash of what changes results for every file (tool
version, each plugin's name, version and source stamp, the settings that are not about
output); a bucket holds the entries of the paths whose CRC-32 falls in it, so pre-commit's
few-file runs read a few small files. An entry is ``[content id, byte size, kind, check key,
diagnostics, day last used]``; the check key is the file's display path and the plugins'
cache stamps (``sora_lint_cache_stamp``), so a job file that changes an image's target
re-runs the rules (on the cached probe result) without reading the image, and an unchanged
file costs a ``stat`` and a dictionary lookup. The kind (format, header or problem), the
findings and their fix proposals are stored once per namespace in ``findings.json``
(:mod:`sora_lint.cache.table`) and entries name them, so each is read, validated and decoded
once per run however many files share it.

Safe when several runs share the folder (pre-commit starts one per CPU): a file is re-read
and merged just before it is replaced by a temporary file and ``os.replace``; a concurrent
writer may lose the other's new entries or findings (an entry naming a value that is not
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
from sora_lint.cache.table import SharedTable
from sora_lint.filesystem.paths import make_folders
from sora_lint.parallel.transfer import check_only
from sora_lint.run.discovery import Candidate
from sora_lint.run.engine import FileOutcome, Session
from sora_lint.types import Asset

__all__ = ["LAYOUT", "RunCache"]

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

    def _key(self, file: str) -> tuple[str, str | None]:
        """(entry key, root-relative POSIX path or None) of a candidate's path string."""
        prefix = self.prefix
        if not file.startswith(prefix):
            return file, None
        relative = file[len(prefix) :]
        if os.sep != "/":
            relative = relative.replace(os.sep, "/")
        return relative, relative

    def _bucket(self, index: int) -> dict[str, Any]:
        bucket = self.buckets.get(index)
        if bucket is None:
            bucket = self.buckets[index] = read_bucket(bucket_path(self.folder, index))
        return bucket

    def lookup(self, candidate: Candidate) -> FileOutcome | None:
        """The cached outcome of an unchanged file, or ``None`` (then :meth:`store` it).

        An entry is ``[content id, byte size, kind, check key, diagnostics, day]``. This runs
        for every file of a re-run, so the common case (a finding or none, dated today) is
        one method: 8,000 calls of each helper cost a re-run about 1 ms.
        """
        key, relative = self._key(candidate.file)
        content = self.ids.content_id(candidate.file, relative)
        if content is None:
            return None
        index = zlib.crc32(key.encode("utf-8", "surrogateescape")) % BUCKETS
        bucket = self.buckets.get(index)
        entry = (self._bucket(index) if bucket is None else bucket).get(key)
        if type(entry) is not list or len(entry) != 6 or entry[0] != content:
            self.pending[key] = content  # to store once probed
            return None
        display = candidate.display
        outcome: FileOutcome | None = None
        if entry[3] != check_key(display, self.stamp):  # a stamp changed (a job file, say)
            outcome = self._recheck(index, key, entry, candidate)
            if outcome is None:
                self.pending[key] = content
            return outcome
        if entry[4] == []:
            outcome = FileOutcome(display, ())
        elif not self.session.fixing:  # a fix run re-probes every file it might change
            table = self.table
            try:
                diagnostics = table.diagnostics(entry[4], display)
                outcome = FileOutcome(display, diagnostics,
                                      table.asset(entry[2], entry[1], candidate))  # fmt: skip
            except (ValueError, TypeError):
                pass
        if outcome is None:
            self.pending[key] = content
            return None
        if entry[5] != self.today:  # used: dated today
            self._put(index, key, [*entry[:5], self.today])
        self.hits += 1
        return outcome

    def _recheck(
        self, index: int, key: str, entry: list[Any], candidate: Candidate
    ) -> FileOutcome | None:
        """Run the rules on the cached probe result and remember what they found now."""
        if self.session.fixing:
            return None
        try:
            asset = self.table.asset(entry[2], entry[1], candidate)
        except (ValueError, TypeError):
            return None
        outcome = self.recheck(asset, candidate, self.session)
        self.rechecked += 1
        self._put(index, key, self._entry(entry[0], asset, candidate.display, outcome))
        return _slim(outcome)

    def store(self, candidate: Candidate, outcome: FileOutcome) -> FileOutcome:
        """Remember a freshly probed file (unless it may have changed during the run)."""
        key, _ = self._key(candidate.file)
        content = self.pending.pop(key, None)
        asset = outcome.asset
        if content is None or asset is None or not check_only(outcome):
            return _slim(outcome)
        if not self.ids.settled(candidate.file):
            return _slim(outcome)
        index = zlib.crc32(key.encode("utf-8", "surrogateescape")) % BUCKETS
        self._bucket(index)
        self._put(index, key, self._entry(content, asset, candidate.display, outcome))
        return _slim(outcome)

    def _entry(self, content: str, asset: Asset, display: str, outcome: FileOutcome) -> list[Any]:
        table = self.table
        diagnostics = table.encode_diagnostics(outcome.diagnostics, display)
        ckey = check_key(display, self.stamp) if diagnostics is not None else None
        return [content, asset.byte_size, table.add_kind(asset), ckey, diagnostics, self.today]

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


def _slim(outcome: FileOutcome) -> FileOutcome:
    """The asset is kept only when something was found, as the engine does."""
    if outcome.asset is not None and not outcome.diagnostics and check_only(outcome):
        return FileOutcome(outcome.display, ())
    return outcome


def _day(entry: Any) -> int:
    if isinstance(entry, list) and len(entry) == 6 and type(entry[5]) is int:
        return entry[5]
    return -1
