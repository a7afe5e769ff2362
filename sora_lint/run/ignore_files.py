"""The ``.gitignore`` files a walk outside git honours, read the way a repository cannot abuse.

From the project root down to each folder walked, plus ``.git/info/exclude`` at a
repository's top. Each file is read boundedly and only if it is a regular file: a symlinked
``.gitignore`` is ignored (git ignores it too, and ``.gitignore -> /dev/zero`` survives a
clone), a FIFO, a device or an oversized file is a usage error naming it, and a line that is
not a valid pattern is dropped rather than failing the run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sora_lint.errors import UsageError
from sora_lint.filesystem.reading import FileRefused, read_optional_file

if TYPE_CHECKING:
    import pathspec

#: Larger ignore files are refused with a message (git's own are kilobytes).
MAX_GITIGNORE_BYTES = 4 * 1024 * 1024


class GitIgnores:
    """``.gitignore`` files from the root down to the folder being walked, applied in order.

    Keyed by folder strings; each folder's chain of ignore files is worked out once from its
    parent's (the walk is top-down), and a folder whose listing has no ``.gitignore`` and no
    ``.git`` costs no system call.
    """

    def __init__(self, root: Path, enabled: bool) -> None:
        self.root = str(root)
        self.enabled = enabled
        self.chains: dict[str, tuple[tuple[str, pathspec.GitIgnoreSpec], ...]] = {}

    def enter(self, folder: str, names: Collection[str] | None = None) -> bool:
        """Read the folder's (and its parents') ignore files; whether any applies here.

        :param names: the folder's entries, when the walk has listed them already.
        """
        return self.enabled and bool(self._chain(folder, names))

    def _chain(
        self, folder: str, names: Collection[str] | None = None
    ) -> tuple[tuple[str, pathspec.GitIgnoreSpec], ...]:
        chain = self.chains.get(folder)
        if chain is None:
            parent = os.path.dirname(folder)
            above = () if folder == self.root or parent == folder else self._chain(parent)
            listed = names is None or ".gitignore" in names or ".git" in names
            spec = _read_gitignore(Path(folder)) if listed else None
            chain = (*above, (folder, spec)) if spec is not None else above
            self.chains[folder] = chain
        return chain

    def ignored(self, path: str, is_dir: bool) -> bool:
        if not self.enabled:
            return False
        result = False
        for base, spec in self._chain(os.path.dirname(path)):
            rel = path[len(base) :].lstrip(os.sep)
            if os.sep != "/":
                rel = rel.replace(os.sep, "/")
            verdict = spec.check_file(rel + ("/" if is_dir else "")).include
            if verdict is not None:
                result = verdict
        return result


def _read_gitignore(folder: Path) -> pathspec.GitIgnoreSpec | None:
    """The folder's ``.gitignore`` plus, at a repository's top, ``.git/info/exclude``.

    Each is read boundedly and only if it is a regular file: a symlinked ``.gitignore`` is
    ignored (as git ignores it), a FIFO, a device or an oversized file is a usage error
    naming it. Lines that are not valid patterns are dropped.
    """
    lines: list[str] = []
    for candidate, follow in ((folder / ".gitignore", False), (folder / ".git/info/exclude", True)):
        try:
            data = read_optional_file(candidate, MAX_GITIGNORE_BYTES, follow_symlinks=follow)
        except FileRefused as exc:
            if not follow and os.path.islink(candidate):
                continue
            raise UsageError(f"{exc}; sora-lint reads only regular ignore files") from None
        if data is not None:
            lines.extend(data.decode("utf-8", errors="replace").splitlines())
    return lenient_gitignore_spec(lines) if lines else None


def lenient_gitignore_spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec | None:
    """A ``.gitignore``'s patterns, dropping the lines that do not compile (git ignores
    them too) instead of failing on the repository's file."""

    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):
        kept = []
        for line in lines:
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
            except (ValueError, re.error):
                continue
            kept.append(line)
        return pathspec.GitIgnoreSpec.from_lines(kept) if kept else None
