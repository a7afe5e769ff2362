"""The bounded reader every prober gets through ``sora_lint_probe``'s ``reader`` argument.

The core opens each file once (refusing symlinks out of the tree, FIFOs and devices) and hands
its probers a :class:`ProbeReader` over that descriptor: the head it already read, random
access beyond it within one budget per file, and a file object for parsers that want one
(Pillow), capped on its own. No prober opens the file again, so none can be handed a FIFO
swapped in since the check, and none can read without bound.

The first :data:`ZONE` bytes are free whatever the core read up front: the budget, and so
every answer, stays the same when the head is short.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

#: Bytes at the start of a file a prober may read without spending budget.
ZONE = 64 * 1024
#: Bytes the probers of one file may read beyond the zone, in total.
EXTRA_BUDGET = 1024 * 1024
#: Reads the probers of one file may issue beyond the zone.
MAX_READS = 256
#: Smallest read beyond the head: nearby marker or chunk headers come out of one read.
BLOCK = 4096
#: Bytes a parser may read through :meth:`ProbeReader.stream` (Pillow reads a WebP or AVIF
#: whole, and walks a GIF's frames) before the stream refuses to read on.
STREAM_LIMIT = 256 * 1024 * 1024
_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class BudgetExceeded(Exception):
    """The header goes on past what a prober may read; the prober should not decide."""


class StreamLimitExceeded(OSError):
    """A parser reading through :meth:`ProbeReader.stream` asked for more than its cap."""


class ProbeReader:
    """``read(offset, n)`` over one open file whose first bytes (``head``) are in memory.

    ``size`` is the file's size when the core looked at it; reads never go past it.
    """

    # Class attributes are the defaults: a reader that reads nothing costs one small object.
    _near_at = 0  # the last read inside the zone, past the head
    _near = b""
    _cache_at = 0  # the last read beyond the zone
    _cache = b""
    _spent = 0
    _reads = 0

    def __init__(self, fd: int, head: bytes, byte_size: int) -> None:
        self._fd = fd
        self.head = head
        self.size = max(byte_size, len(head))
        #: Reads that end here or before are free (a longer head widens the free zone).
        self.zone = max(ZONE, len(head))

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

    @property
    def reads(self) -> int:
        """Reads issued beyond the free zone so far (what the budget counts)."""
        return self._reads

    def tail(self, n: int) -> bytes:
        """The last ``n`` bytes of the file (all of it when shorter), within the budget: one
        read, or none when the head holds them (the end-of-file checks ask it of every file)."""
        size = self.size
        start = size - n if size > n else 0
        if size <= len(self.head):
            return self.head[start:size]
        if start < self.zone:
            return self.read(start, size - start)
        self._spend(n)
        data = _pread(self._fd, n, start)
        self._cache_at, self._cache = start, data  # a read of those bytes costs nothing more
        return data

    def stream(self, limit: int = STREAM_LIMIT) -> io.BufferedReader:
        """A seekable, read-only file object over the same descriptor, for a parser that wants
        one; past ``limit`` bytes read in all it raises :class:`StreamLimitExceeded`.

        It reads with ``pread``, so it shares no file position with anything else."""
        read_at = functools.partial(_pread, self._fd)
        return io.BufferedReader(_Stream(read_at, self.size, limit), buffer_size=BLOCK)

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
        return _pread(self._fd, n, offset)

    def _spend(self, n: int) -> None:
        self._reads += 1
        self._spent += n
        if self._reads > MAX_READS or self._spent > EXTRA_BUDGET:
            raise BudgetExceeded(f"header continues past {self._spent} bytes")


def _seek_read(fd: int, n: int, offset: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)  # Windows has no pread
    return os.read(fd, n)


#: One positioned read on a raw descriptor: far cheaper than a buffered file object.
_pread = getattr(os, "pread", _seek_read)


class MemoryProbeReader(ProbeReader):
    """A :class:`ProbeReader` over bytes already in memory (an image a program hands the
    Python API): the same head, zone, budget and stream cap as over a file, so every prober
    answers exactly as it would for a file holding these bytes; nothing touches the disk."""

    def __init__(self, data: bytes | bytearray | memoryview, head_bytes: int) -> None:
        view = memoryview(data).cast("B")
        super().__init__(-1, bytes(view[:head_bytes]), len(view))
        self._view = view

    def _pread(self, offset: int, n: int) -> bytes:
        return self._read_at(n, offset)

    def _read_at(self, n: int, offset: int) -> bytes:
        return bytes(self._view[offset : offset + n])

    def tail(self, n: int) -> bytes:
        size = self.size
        start = size - n if size > n else 0
        if size <= len(self.head) or start < self.zone:
            return super().tail(n)  # the head or the free zone: no descriptor is read
        self._spend(n)
        data = self._read_at(n, start)
        self._cache_at, self._cache = start, data
        return data

    def stream(self, limit: int = STREAM_LIMIT) -> io.BufferedReader:
        return io.BufferedReader(_Stream(self._read_at, self.size, limit), buffer_size=BLOCK)


class _Stream(io.RawIOBase):
    """The raw side of :meth:`ProbeReader.stream`: positioned reads (``read_at(n, offset)``),
    a cap on the total."""

    def __init__(self, read_at: Callable[[int, int], bytes], size: int, limit: int) -> None:
        self._read_at, self._size, self._limit = read_at, size, limit
        self._left, self._pos = limit, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise OSError(22, "negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        want = min(len(buffer), max(0, self._size - self._pos))
        if want == 0:
            return 0
        if want > self._left:
            raise StreamLimitExceeded(f"read more than {self._limit:,} bytes for a header")
        data = self._read_at(want, self._pos)
        self._left -= len(data)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


@contextlib.contextmanager
def open_reader(path: Path, head_bytes: int = ZONE) -> Iterator[ProbeReader]:
    """A reader over ``path`` outside a run (a test, a tool): opened without following a
    symlink, its first ``head_bytes`` read up front, closed on leaving."""
    fd = os.open(path, _FLAGS | _NOFOLLOW)
    try:
        size = os.fstat(fd).st_size
        head = _pread(fd, min(head_bytes, size), 0) if size else b""
        yield ProbeReader(fd, head, size)
    finally:
        os.close(fd)
