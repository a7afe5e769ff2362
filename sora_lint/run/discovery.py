"""Turn the paths on the command line into the files to check.

Folders are walked for image extensions, honouring ``.gitignore``, skipping hidden entries
and never following a symlinked folder; files named explicitly (as pre-commit passes them)
are checked whatever their extension. ``exclude`` applies to both, so pre-commit honours it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sora_lint.errors import UsageError

if TYPE_CHECKING:  # imported when patterns exist: most runs have none, and it costs start-up
    import pathspec


class Candidate(NamedTuple):
    """A file to check: where it is and how to show it (a named tuple: one per file, cheap).

    ``file`` is ``str(path)``, kept from the walk: the cache keys on it, and a ``Path``
    rebuilds its string on every ``str()`` or system call.
    """

    path: Path
    display: str
    explicit: bool
    file: str


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
    if len(paths) == 1 and not exclude and not include:
        yield from _walked(paths[0], cwd, selection)  # nothing to filter, no file twice
        return
    for raw in paths:
        for candidate in _walked(raw, cwd, selection):
            key = candidate.file
            if key in seen or (exclude and selection.excluded(candidate.path)):
                continue
            if include and not candidate.explicit and not selection.included(candidate.path):
                continue
            seen.add(key)
            yield candidate


def _walked(raw: str, cwd: Path, selection: Selection) -> Iterator[Candidate]:
    """The files of one command-line path: a folder's walk, or the file itself."""
    full = Path(os.path.abspath(cwd / raw))
    if full.is_dir() and not full.is_symlink():
        return _walk(full, raw, selection)
    if full.is_dir():
        return iter(())  # a symlinked folder is never followed
    return iter([Candidate(full, _display(raw), True, str(full))])


def _display(raw: str) -> str:
    normal = os.path.normpath(raw)
    return normal if normal != "." else raw


def _walk(top: Path, raw: str, selection: Selection) -> Iterator[Candidate]:
    """Each file of the walk, in order, with its path string (known already)."""
    ignores = _GitIgnores(selection.root, enabled=selection.respect_gitignore)
    base = _display(raw)
    extensions = selection.extensions
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        folder = Path(dirpath)
        at = dirpath if dirpath.endswith(os.sep) else dirpath + os.sep
        active = ignores.enter(dirpath, (*dirnames, *filenames))
        dirnames[:] = sorted(
            name
            for name in dirnames
            if not name.startswith(".")
            and not os.path.islink(at + name)
            and not selection.excluded(folder / name, is_dir=True)
            and not (active and ignores.ignored(at + name, is_dir=True))
        )
        inner = os.path.relpath(dirpath, top)  # once per folder, not per file
        prefix = "" if inner == "." and base == "." else os.path.normpath(os.path.join(base, inner))
        shown = prefix + os.sep if prefix else ""
        child = _child_maker(folder)
        for name in sorted(filenames):
            if name[:1] == "." or name.rpartition(".")[2].lower() not in extensions:
                continue  # a name without a dot has no suffix: "" is never an extension
            if active and ignores.ignored(at + name, is_dir=False):
                continue
            # Candidate(...) without the named tuple's Python-level __new__ (one per file)
            yield _new_tuple(Candidate, (child(name), shown + name, False, at + name))


_new_tuple = tuple.__new__


def _child_maker(folder: Path) -> Callable[[str], Path]:
    """``folder / name`` for a plain file name, without re-parsing the folder each time.

    CPython's own glob uses ``_make_child_relpath`` for exactly this; where a Python
    version lacks it, the public operator does the same more slowly.
    """
    fast = getattr(folder, "_make_child_relpath", None)
    return fast if callable(fast) else folder.joinpath


class _GitIgnores:
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
            spec = _read_gitignore(Path(folder), names)
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


def _read_gitignore(
    folder: Path, names: Collection[str] | None = None
) -> pathspec.GitIgnoreSpec | None:
    """The folder's ``.gitignore`` plus, at a repository's top, ``.git/info/exclude``.

    :param names: the folder's entries if known: then absent files are not even opened.
    """
    places = (".gitignore", ".git")
    if names is not None and not any(name in names for name in places):
        return None
    lines: list[str] = []
    for candidate in (folder / ".gitignore", folder / ".git" / "info" / "exclude"):
        try:
            lines.extend(candidate.read_text(encoding="utf-8", errors="replace").splitlines())
        except OSError:
            continue
    return gitignore_spec(lines) if lines else None
