"""Probe one file: the safety checks every prober relies on, then the ``sora_lint_probe`` hook.

The host refuses what no prober should see (symlinks out of the tree, FIFOs and devices,
unreadable files), reads a bounded head, and turns a prober's crash into a value.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from sora_lint.host import PluginHost
from sora_lint.types import Asset, Problem, ProblemKind

HEAD_BYTES = 64 * 1024


def probe_file(path: Path, display: str, host: PluginHost, roots: Sequence[Path]) -> Asset:
    """Return the asset for ``path``; never raises for anything the file contains."""
    if path.is_symlink():
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
    if not stat.S_ISREG(info.st_mode):
        return _problem(path, display, ProblemKind.IO_ERROR, "not a regular file")
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        return _problem(path, display, ProblemKind.IO_ERROR, f"cannot read: {exc.strerror}")
    try:
        result = host.probe(path, head, info.st_size)
    except Exception as exc:  # noqa: BLE001 - a prober bug must not end the run
        return _problem(
            path, display, ProblemKind.CORRUPT,
            f"could not be read ({type(exc).__name__}: {exc})",
        )  # fmt: skip
    if result is None:
        return _problem(path, display, ProblemKind.NOT_IMAGE, _not_image_reason(head))
    return Asset(
        path=path,
        display=display,
        byte_size=info.st_size,
        format=result.format,
        header=result.header,
        problem=result.problem,
    )


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
