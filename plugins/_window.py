"""Bounded random access to one file: served from the head the core read, the rest on demand.

The fast probers parse only headers, but a header can lie past the first 64 KiB (a JPEG with a
large ICC profile, a WebP whose EXIF chunk follows the bitstream). Every read beyond the head
goes through here, so one budget caps what a hostile file can make a prober read.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

#: Bytes a prober may read beyond the head, in total, for one file.
EXTRA_BUDGET = 1024 * 1024
#: Reads a prober may issue beyond the head for one file.
MAX_READS = 256
#: Smallest read beyond the head: nearby marker or chunk headers come out of one read.
BLOCK = 4096


class BudgetExceeded(Exception):
    """The header goes on past what a prober may read; the prober should not decide."""


class FileWindow:
    """``read(offset, n)`` over a file whose first bytes (``head``) are already in memory."""

    def __init__(self, path: Path, head: bytes, byte_size: int) -> None:
        self.path = path
        self.head = head
        self.size = max(byte_size, len(head))
        self._fd: int | None = None
        self._cache_at = 0
        self._cache = b""
        self._spent = 0
        self._reads = 0

    def __enter__(self) -> FileWindow:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def read(self, offset: int, n: int) -> bytes:
        """Return up to ``n`` bytes at ``offset``; fewer only at the end of the file.

        Raises :class:`BudgetExceeded` when the bytes lie beyond what may be read, and
        ``OSError`` when the file cannot be read.
        """
        if offset < 0 or n <= 0 or offset >= self.size:
            return b""
        end = min(offset + n, self.size)
        if end <= len(self.head):  # the common case: one slice, no I/O
            return self.head[offset:end]
        cache_end = self._cache_at + len(self._cache)
        if self._cache_at <= offset and end <= cache_end:
            return self._cache[offset - self._cache_at : end - self._cache_at]
        start = offset if offset >= len(self.head) else len(self.head)
        want = max(end - start, BLOCK)
        self._spend(want)
        data = self._pread(start, want)
        self._cache_at, self._cache = start, data
        if offset < start:
            return self.head[offset:] + data[: end - start]
        return data[offset - start : end - start]

    def _pread(self, offset: int, n: int) -> bytes:
        """One positioned read on a raw descriptor: far cheaper than a buffered file object."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        if hasattr(os, "pread"):
            return os.pread(self._fd, n, offset)
        os.lseek(self._fd, offset, os.SEEK_SET)  # Windows has no pread
        return os.read(self._fd, n)

    def _spend(self, n: int) -> None:
        self._reads += 1
        self._spent += n
        if self._reads > MAX_READS or self._spent > EXTRA_BUDGET:
            raise BudgetExceeded(f"header continues past {self._spent} bytes")
