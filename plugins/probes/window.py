"""Bounded random access to one file: served from the head the core read, the rest on demand.

The fast probers parse only headers, but a header can lie past the head (a JPEG with a large
ICC profile, a WebP whose EXIF chunk follows the bitstream). Every read beyond the head goes
through here, so one budget caps what a hostile file can make a prober read. The first
:data:`ZONE` bytes are free whatever the core read up front: the budget, and so every answer,
stays the same when the head is short.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from sora_lint.run.probing import lent_descriptor

#: Bytes at the start of a file a prober may read without spending budget.
ZONE = 64 * 1024
#: Bytes a prober may read beyond the zone, in total, for one file.
EXTRA_BUDGET = 1024 * 1024
#: Reads a prober may issue beyond the zone for one file.
MAX_READS = 256
#: Smallest read beyond the head: nearby marker or chunk headers come out of one read.
BLOCK = 4096
_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class BudgetExceeded(Exception):
    """The header goes on past what a prober may read; the prober should not decide."""


class FileWindow:
    """``read(offset, n)`` over a file whose first bytes (``head``) are already in memory."""

    # Class attributes are the defaults: a window that reads nothing costs one small object.
    _fd: int | None = None
    _own_fd = False  # False: the core's descriptor (lent_descriptor), not ours to close
    _near_at = 0  # the last read inside the zone, past the head
    _near = b""
    _cache_at = 0  # the last read beyond the zone
    _cache = b""
    _spent = 0
    _reads = 0

    def __init__(self, path: Path, head: bytes, byte_size: int) -> None:
        self.path = path
        self.head = head
        self.size = max(byte_size, len(head))
        #: Reads that end here or before are free (a longer head widens the free zone).
        self.zone = max(ZONE, len(head))

    def __enter__(self) -> FileWindow:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            self.close()

    def close(self) -> None:
        if self._fd is not None:
            if self._own_fd:
                os.close(self._fd)
            self._fd = None

    def read(self, offset: int, n: int) -> bytes:
        """Return up to ``n`` bytes at ``offset``; fewer only at the end of the file.

        Raises :class:`BudgetExceeded` when the bytes lie beyond what may be read, and
        ``OSError`` when the file cannot be read.
        """
        if offset < 0 or n <= 0 or offset >= self.size:
            return b""
        end = offset + n
        if end > self.size:
            end = self.size
        if end <= len(self.head):  # the common case: one slice, no I/O
            return self.head[offset:end]
        if end <= self.zone:
            return self._near_read(offset, end)
        cache_end = self._cache_at + len(self._cache)
        if self._cache_at <= offset and end <= cache_end:
            return self._cache[offset - self._cache_at : end - self._cache_at]
        start = offset if offset >= self.zone else self.zone
        want = max(end - start, BLOCK)
        self._spend(want)
        data = self._pread(start, want)
        self._cache_at, self._cache = start, data
        if offset < start:
            return self._near_read(offset, start) + data[: end - start]
        return data[offset - start : end - start]

    def _near_read(self, offset: int, end: int) -> bytes:
        """Bytes inside the zone but past the head: read a block at a time, never counted."""
        near_at = self._near_at
        if near_at <= offset and end <= near_at + len(self._near):
            return self._near[offset - near_at : end - near_at]
        head = self.head
        if offset < len(head):
            return head[offset:] + self._near_read(len(head), end)
        want = min(max(end - offset, BLOCK), self.zone - offset)
        data = self._pread(offset, want)
        self._near_at, self._near = offset, data
        return data[: end - offset]

    def _pread(self, offset: int, n: int) -> bytes:
        """One positioned read on a raw descriptor: far cheaper than a buffered file object."""
        if self._fd is None:
            self._fd = lent_descriptor(self.path)
            if self._fd is None:  # a prober called outside the core (a test, a tool)
                self._fd = os.open(self.path, _FLAGS)
                self._own_fd = True
        if hasattr(os, "pread"):
            return os.pread(self._fd, n, offset)
        os.lseek(self._fd, offset, os.SEEK_SET)  # Windows has no pread
        return os.read(self._fd, n)

    def _spend(self, n: int) -> None:
        self._reads += 1
        self._spent += n
        if self._reads > MAX_READS or self._spent > EXTRA_BUDGET:
            raise BudgetExceeded(f"header continues past {self._spent} bytes")
