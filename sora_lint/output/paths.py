"""Paths as reports show them: relative to the project, percent-encoded for URIs, and stable
fingerprints built on them for code-scanning and code-quality tools."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from sora_lint.types import Diagnostic


def relative_path(display: str, root: Path | None = None) -> str | None:
    """The POSIX path of ``display`` relative to ``root`` (default: the working directory).

    ``display`` is a path as given or relative to the working directory. ``None`` when the
    file lies outside ``root``: such a path cannot be given relative to the repository.
    Nothing is read from disk; symlinks are not resolved.
    """
    cwd = Path.cwd()
    base = Path(os.path.normpath(cwd / root)) if root is not None else cwd
    full = Path(os.path.normpath(cwd / display))
    try:
        rel = full.relative_to(base)
    except ValueError:
        return None
    text = rel.as_posix()
    return None if text in ("", ".") else text


def uri_path(posix: str) -> str:
    """Percent-encode a POSIX path for a URI; undecodable name bytes keep their value."""
    return quote(posix, safe="/", errors="surrogateescape")


def stable_fingerprints(diagnostics: Iterable[Diagnostic], root: Path | None = None) -> list[str]:
    """A fingerprint per diagnostic that survives edits elsewhere and re-runs.

    Built from facts that do not depend on the file's content or line: the code, the path
    relative to ``root``, the asset a job-file line names and the target. Two diagnostics that
    share those facts are told apart by their order of appearance.
    """
    seen: dict[str, int] = {}
    out = []
    for d in diagnostics:
        path = relative_path(d.path, root) or d.path
        asset = (relative_path(d.asset, root) or d.asset) if d.asset is not None else ""
        target = str(d.target) if d.target is not None else ""
        base = "\0".join((d.code, path, asset, target))
        index = seen.get(base, 0)
        seen[base] = index + 1
        raw = f"{base}\0{index}".encode("utf-8", errors="surrogateescape")
        out.append(hashlib.sha256(raw).hexdigest())
    return out
