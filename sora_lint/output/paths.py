"""Paths as reports show them: relative to the project, percent-encoded for URIs, and stable
fingerprints built on them for code-scanning and code-quality tools."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from sora_lint.types import Diagnostic


class ReportPaths:
    """Paths relative to ``root`` (default: the working directory) for one report.

    The working directory is read once and each path worked out once: a report names every
    file it found something in, often several times, and a ``pathlib`` round trip per
    mention cost more than building the rest of the report. Nothing is read from disk;
    symlinks are not resolved.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.cwd = os.getcwd()
        base = os.path.normpath(os.path.join(self.cwd, root)) if root is not None else self.cwd
        self.base = base
        self._prefix = os.path.normcase(base if base.endswith(os.sep) else base + os.sep)
        #: Whether a plain relative path (no ``.``/``..``/empty part) is its own answer.
        self._plain = base == self.cwd and os.sep == "/" and os.altsep is None
        self._known: dict[str, str | None] = {}

    def relative(self, display: str) -> str | None:
        """The POSIX path of ``display`` (as given, or relative to the working directory)
        relative to the root; ``None`` when it is the root or lies outside it."""
        if (
            self._plain  # a relative POSIX path, every part a name not starting with a dot
            and display
            and display[0] != "/"
            and display[0] != "."
            and display[-1] != "/"
            and "//" not in display
            and "/." not in display
        ):
            return display  # what discovery shows: normalising it would change nothing
        if display in self._known:
            return self._known[display]
        full = os.path.normpath(os.path.join(self.cwd, display))
        found = None
        if os.path.normcase(full).startswith(self._prefix):
            found = full[len(self._prefix) :].replace(os.sep, "/") or None
        self._known[display] = found
        return found

    def fingerprints(self, diagnostics: Iterable[Diagnostic]) -> list[str]:
        """A fingerprint per diagnostic that survives edits elsewhere and re-runs.

        Built from facts that do not depend on the file's content or line: the code, the path
        relative to the root, the asset a job-file line names and the target. Two diagnostics
        that share those facts are told apart by their order of appearance.
        """
        seen: dict[str, int] = {}
        out = []
        relative, empty = self.relative, hashlib.sha256()
        # A copy of an empty hash costs a third of a new one (OpenSSL looks the digest up).
        targets: dict[int, tuple[object, str]] = {}  # str() of a Size is Python code: once each
        for d in diagnostics:
            path = relative(d.path) or d.path
            asset = "" if d.asset is None else relative(d.asset) or d.asset
            target = ""
            if d.target is not None:
                known = targets.get(id(d.target))
                if known is None:
                    known = targets[id(d.target)] = (d.target, str(d.target))
                target = known[1]
            base = f"{d.code}\0{path}\0{asset}\0{target}"
            index = seen.get(base, 0)
            seen[base] = index + 1
            digest = empty.copy()
            digest.update(f"{base}\0{index}".encode("utf-8", "surrogateescape"))
            out.append(digest.hexdigest())
        return out


def relative_path(display: str, root: Path | None = None) -> str | None:
    """The POSIX path of ``display`` relative to ``root`` (default: the working directory),
    ``None`` outside it (see :class:`ReportPaths`, which a report should use for many)."""
    return ReportPaths(root).relative(display)


#: What ``quote(..., safe="/")`` leaves as it is: such a path is its own URI.
_URI_SAFE = re.compile(r"[A-Za-z0-9_.~/-]*")


def uri_path(posix: str) -> str:
    """Percent-encode a POSIX path for a URI; undecodable name bytes keep their value."""
    if _URI_SAFE.fullmatch(posix):
        return posix
    return quote(posix, safe="/", errors="surrogateescape")
