"""Turn the paths on the command line into the files to check.

Folders are walked for image extensions, honouring ``.gitignore``, skipping hidden entries
and never following a symlinked folder; files named explicitly (as pre-commit passes them)
are checked whatever their extension. ``exclude`` applies to both, so pre-commit honours it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sora_lint.errors import UsageError

if TYPE_CHECKING:  # imported when patterns exist: most runs have none, and it costs start-up
    import pathspec


@dataclass(frozen=True)
class Candidate:
    """A file to check: where it is and how to show it."""

    path: Path
    display: str
    explicit: bool


@dataclass(frozen=True)
class Selection:
    """The file-selection settings, compiled once."""

    root: Path
    extensions: frozenset[str]
    include: pathspec.GitIgnoreSpec | None
    exclude: pathspec.GitIgnoreSpec | None
    respect_gitignore: bool

    @classmethod
    def build(
        cls,
        root: Path,
        extensions: Iterable[str],
        include: Sequence[str],
        exclude: Sequence[str],
        respect_gitignore: bool,
    ) -> Selection:
        return cls(
            root=root,
            extensions=frozenset(e.lower() for e in extensions),
            include=_spec(include),
            exclude=_spec(exclude),
            respect_gitignore=respect_gitignore,
        )

    def relative(self, path: Path) -> str | None:
        """The root-relative POSIX path globs match against, or None outside the root."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def excluded(self, path: Path, is_dir: bool = False) -> bool:
        if self.exclude is None:
            return False
        rel = self.relative(path)
        if rel is None:
            return False
        return bool(self.exclude.match_file(rel + "/" if is_dir else rel))

    def included(self, path: Path) -> bool:
        if self.include is None:
            return True
        rel = self.relative(path)
        return rel is not None and bool(self.include.match_file(rel))


def _spec(patterns: Sequence[str]) -> pathspec.GitIgnoreSpec | None:
    return gitignore_spec(patterns) if patterns else None


def gitignore_spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    """Compile git-style patterns (importing pathspec only when there are some)."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def check_paths_exist(paths: Sequence[str], cwd: Path) -> None:
    """A path that does not exist is a usage error, reported before any work starts."""
    for raw in paths:
        if not os.path.lexists(cwd / raw):
            raise UsageError(f"{raw}: no such file or directory")


def iter_candidates(paths: Sequence[str], cwd: Path, selection: Selection) -> Iterator[Candidate]:
    """Yield each file once, in a stable order: explicit files first as given, then walks."""
    seen: set[str] = set()  # str, not Path: a Path's hash is rebuilt from its parts each time
    exclude, include = selection.exclude is not None, selection.include is not None
    for raw in paths:
        full = Path(os.path.abspath(cwd / raw))
        if full.is_dir() and not full.is_symlink():
            walked = _walk(full, raw, selection)
        elif full.is_dir():
            continue  # a symlinked folder is never followed
        else:
            walked = iter([(str(full), Candidate(full, _display(raw), explicit=True))])
        for key, candidate in walked:
            if key in seen or (exclude and selection.excluded(candidate.path)):
                continue
            if include and not candidate.explicit and not selection.included(candidate.path):
                continue
            seen.add(key)
            yield candidate


def _display(raw: str) -> str:
    normal = os.path.normpath(raw)
    return normal if normal != "." else raw


def _walk(top: Path, raw: str, selection: Selection) -> Iterator[tuple[str, Candidate]]:
    """``(str(path), candidate)`` for each file of the walk (the string is known already)."""
    ignores = _GitIgnores(selection.root, enabled=selection.respect_gitignore)
    base = _display(raw)
    extensions = selection.extensions
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        folder = Path(dirpath)
        active = ignores.enter(folder)
        dirnames[:] = sorted(
            name
            for name in dirnames
            if not name.startswith(".")
            and not (folder / name).is_symlink()
            and not selection.excluded(folder / name, is_dir=True)
            and not (active and ignores.ignored(folder / name, is_dir=True))
        )
        inner = os.path.relpath(dirpath, top)  # once per folder, not per file
        prefix = "" if inner == "." and base == "." else os.path.normpath(os.path.join(base, inner))
        shown = prefix + os.sep if prefix else ""
        child = _child_maker(folder)
        at = dirpath if dirpath.endswith(os.sep) else dirpath + os.sep
        for name in sorted(filenames):
            if name[:1] == "." or name.rpartition(".")[2].lower() not in extensions:
                continue  # a name without a dot has no suffix: "" is never an extension
            path = child(name)
            if active and ignores.ignored(path, is_dir=False):
                continue
            yield at + name, Candidate(path, shown + name, explicit=False)


def _child_maker(folder: Path) -> Callable[[str], Path]:
    """``folder / name`` for a plain file name, without re-parsing the folder each time.

    CPython's own glob uses ``_make_child_relpath`` for exactly this; where a Python
    version lacks it, the public operator does the same more slowly.
    """
    fast = getattr(folder, "_make_child_relpath", None)
    return fast if callable(fast) else folder.joinpath


class _GitIgnores:
    """``.gitignore`` files from the root down to the folder being walked, applied in order."""

    def __init__(self, root: Path, enabled: bool) -> None:
        self.root = root
        self.enabled = enabled
        self.specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def enter(self, folder: Path) -> bool:
        """Read the folder's (and its parents') ignore files; whether any applies here."""
        if not self.enabled:
            return False
        found = False
        for parent in (folder, *folder.parents):
            if parent not in self.specs:
                self.specs[parent] = _read_gitignore(parent)
            found = found or self.specs[parent] is not None
            if parent == self.root:
                break
        return found

    def ignored(self, path: Path, is_dir: bool) -> bool:
        if not self.enabled:
            return False
        result = False
        for base in reversed((path.parent, *path.parent.parents)):
            spec = self.specs.get(base)
            if spec is None:
                continue
            rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            verdict = spec.check_file(rel).include
            if verdict is not None:
                result = verdict
        return result


def _read_gitignore(folder: Path) -> pathspec.GitIgnoreSpec | None:
    lines: list[str] = []
    for candidate in (folder / ".gitignore", folder / ".git" / "info" / "exclude"):
        try:
            lines.extend(candidate.read_text(encoding="utf-8", errors="replace").splitlines())
        except OSError:
            continue
    return gitignore_spec(lines) if lines else None
