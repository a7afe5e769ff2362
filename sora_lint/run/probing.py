"""Probe one file: the safety checks every prober relies on, then the ``sora_lint_probe`` hook.

The host refuses what no prober should see (symlinks out of the tree, FIFOs and devices,
unreadable files), reads a bounded head, and turns a prober's crash into a value.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sora_lint.run.probe_reader import MemoryProbeReader, ProbeReader
from sora_lint.types import Asset, Problem, ProblemKind

if TYPE_CHECKING:
    from sora_lint.host.plugin_host import PluginHost

#: Bytes read up front and handed to every prober as ``head``: enough for every signature and
#: sniff (the SVG sniff reads 4 KiB) and for the whole header of a usual JPEG, PNG or WebP.
#: Probers read on past it through the reader they are given, and what they may read does
#: not depend on it (``sora_lint/run/probe_reader.py``), so a small first read is the cheap one.
HEAD_BYTES = 4 * 1024
_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
#: A regular file is opened without following a symlink: one swapped in since ``lstat`` fails.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FORMAT, _LINK, _REGULAR = 0o170000, stat.S_IFLNK, stat.S_IFREG


def probe_file(
    path: Path, display: str, host: PluginHost, roots: Sequence[Path], file: str | None = None
) -> Asset:
    """Return the asset for ``path``; never raises for anything the file contains.

    ``file`` is ``str(path)`` when the caller has it (a candidate keeps it from the walk)."""
    # A fresh Path builds its string in Python on its first str() or system call; the walk
    # already has it. Measured: 4.3% of a check run's instructions, 7% of its CPU time.
    name = os.fspath(path) if file is None else file
    try:
        info = os.lstat(name)
    except OSError as exc:
        return _problem(path, display, ProblemKind.IO_ERROR, f"cannot stat: {exc.strerror}")
    flags = _FLAGS | _NOFOLLOW
    kind = info.st_mode & _FORMAT
    if kind == _LINK:
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return _problem(path, display, ProblemKind.IO_ERROR, "broken symlink")
        if not any(real.is_relative_to(root) for root in roots):
            return _problem(
                path, display, ProblemKind.OUTSIDE_TREE,
                f"symlink points outside the repository (to {real}); not followed",
            )  # fmt: skip
        try:
            info = os.stat(path)
        except OSError as exc:
            return _problem(path, display, ProblemKind.IO_ERROR, f"cannot stat: {exc.strerror}")
        flags = _FLAGS
        kind = info.st_mode & _FORMAT
    if kind != _REGULAR:
        return _problem(path, display, ProblemKind.IO_ERROR, "not a regular file")
    size = info.st_size
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        return _problem(path, display, ProblemKind.IO_ERROR, f"cannot read: {exc.strerror}")
    try:
        try:
            head = os.read(fd, HEAD_BYTES)
            if len(head) < HEAD_BYTES and len(head) < size:
                head = _read_on(fd, head, min(HEAD_BYTES, size))
        except OSError as exc:
            return _problem(path, display, ProblemKind.IO_ERROR, f"cannot read: {exc.strerror}")
        try:  # probers read past the head through the reader, over this descriptor
            result = host.probe(path, head, size, ProbeReader(fd, head, size))
        except Exception as exc:  # noqa: BLE001 - a prober bug must not end the run
            return _problem(
                path, display, ProblemKind.CORRUPT,
                f"could not be read ({type(exc).__name__}: {exc})",
            )  # fmt: skip
    finally:
        os.close(fd)
    if result is None:
        return _problem(path, display, ProblemKind.NOT_IMAGE, _not_image_reason(head))
    return Asset(path, display, size, result.format, result.header, result.problem)


def probe_bytes(data: bytes, path: Path, display: str, host: PluginHost) -> Asset:
    """:func:`probe_file` for bytes already in memory (the Python API's sources): the same
    probers with the same head and budget, answering as for a file of these bytes named
    ``path`` (which is never opened); never raises for anything the bytes contain."""
    size = len(data)
    reader = MemoryProbeReader(data, HEAD_BYTES)
    head = reader.head
    try:
        result = host.probe(path, head, size, reader)
    except Exception as exc:  # noqa: BLE001 - a prober bug must not end the run
        message = f"could not be read ({type(exc).__name__}: {exc})"
        return Asset(path, display, size, problem=Problem(ProblemKind.CORRUPT, message))
    if result is None:
        problem = Problem(ProblemKind.NOT_IMAGE, _not_image_reason(head))
        return Asset(path, display, size, problem=problem)
    return Asset(path, display, size, result.format, result.header, result.problem)


def _read_on(fd: int, head: bytes, want: int) -> bytes:
    """Read on after a short read (a network file system may return one) until ``want``."""
    while len(head) < want:
        more = os.read(fd, want - len(head))
        if not more:
            break
        head += more
    return head


def _problem(path: Path, display: str, kind: ProblemKind, message: str) -> Asset:
    try:
        size = os.lstat(path).st_size
    except OSError:
        size = 0
    return Asset(path=path, display=display, byte_size=size, problem=Problem(kind, message))


def _not_image_reason(head: bytes) -> str:
    sample = head[:512]
    if sample and all(b in b"\t\n\r" or 32 <= b < 127 for b in sample):
        return "not an image: the content is text"
    return "not an image: the content matches no known image format"
