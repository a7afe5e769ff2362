"""Turn the paths on the command line into the files to check.

In a git work tree a folder's files are the ones git considers (tracked, or untracked and not
ignored by any ``.gitignore``, ``.git/info/exclude`` or ``core.excludesFile``: see
:mod:`sora_lint.run.git_listing`); elsewhere, or with ``respect-gitignore = false``, folders are
walked here, honouring the ``.gitignore`` files from the project root down (each read boundedly,
a symlinked one ignored as git does). Either way only image extensions are kept, hidden entries
are skipped and a symlinked folder is never followed; a folder that cannot be listed (no
permission, a path over the system's limit) becomes a candidate of its own, so the run reports
it instead of passing in silence. Files named explicitly (as pre-commit passes them) are checked
whatever their extension. ``exclude`` applies to both, so pre-commit honours it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sora_lint.errors import UsageError
from sora_lint.filesystem.atomic import TEMP_MARKER, remove_stale_temp
from sora_lint.run.git_listing import GitListing, list_with_git
from sora_lint.run.ignore_files import GitIgnores

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
            include=_spec(include, "include"),
            exclude=_spec(exclude, "exclude"),
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


def _spec(patterns: Sequence[str], key: str) -> pathspec.GitIgnoreSpec | None:
    if not patterns:
        return None
    try:
        return gitignore_spec(patterns)
    except ValueError as exc:
        raise UsageError(f"{key}: {exc}") from None


def gitignore_spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    """Compile git-style patterns (importing pathspec only when there are some); raises
    ``ValueError`` naming the first pattern that does not compile."""
    import re

    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):
        for line in lines:
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
            except (ValueError, re.error) as exc:
                raise ValueError(f"{line!r} is not a valid glob: {exc}") from None
        raise


def check_paths_exist(paths: Sequence[str], cwd: Path) -> None:
    """A path that does not exist is a usage error, reported before any work starts."""
    for raw in paths:
        try:
            exists = os.path.lexists(cwd / raw)
        except ValueError:  # pragma: no cover - argv cannot hold a NUL
            exists = False
        if exists:
            continue
        if raw.startswith("-"):  # an option after `--`, as a pre-commit hook's args would be
            raise UsageError(
                f"{raw}: no such file or directory (after `--` every argument is a path; "
                "with the pre-commit hooks put options in [tool.sora-lint], not in args)"
            )
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
    """The files of one command-line path: a folder's files, or the file itself."""
    full = Path(os.path.abspath(cwd / raw))
    if full.is_dir() and not full.is_symlink():
        listed = _listed_by_git(full, raw, selection) if selection.respect_gitignore else None
        return listed if listed is not None else _walk(full, raw, selection)
    if full.is_dir():
        return iter(())  # a symlinked folder is never followed
    return iter([Candidate(full, _display(raw), True, str(full))])


def _display(raw: str) -> str:
    normal = os.path.normpath(raw)
    return normal if normal != "." else raw


def _unlisted(folder: str, shown: str) -> Candidate:
    """A folder that could not be listed, as a candidate: probing it reports why (SL004)."""
    return Candidate(Path(folder), shown, True, folder)


def _listed_by_git(top: Path, raw: str, selection: Selection) -> Iterator[Candidate] | None:
    """The files git considers under ``top``, sorted, or ``None`` outside git."""
    listing = list_with_git(top)
    if listing is None:
        return None
    return _git_candidates(top, raw, selection, listing)


def _git_candidates(
    top: Path, raw: str, selection: Selection, listing: GitListing
) -> Iterator[Candidate]:
    base = _display(raw)
    prefix = "" if base == "." else base + os.sep
    at = str(top) + os.sep if not str(top).endswith(os.sep) else str(top)
    extensions = selection.extensions
    excluded_dirs: dict[str, bool] = {}
    for unlisted in listing.unreadable:
        if not _hidden_or_excluded(unlisted + "/x", at, selection, excluded_dirs):
            native = unlisted.replace("/", os.sep)
            yield _unlisted(at + native, prefix + native)
    folders: dict[str, Path] = {"": top}  # one Path per folder; a file's is joined to it
    for relative in sorted(listing.files):
        inner, _, name = relative.rpartition("/")
        if name[:1] == ".":
            if TEMP_MARKER in name and relative in listing.untracked:
                remove_stale_temp(os.path.dirname(at + relative), name)
            continue
        if name.rpartition(".")[2].lower() not in extensions:
            continue
        if inner and _hidden_or_excluded(relative, at, selection, excluded_dirs):
            continue
        parent = folders.get(inner)
        if parent is None:
            parent = folders[inner] = top.joinpath(*inner.split("/"))
        native = relative if os.sep == "/" else relative.replace("/", os.sep)
        path = at + native
        yield _new_tuple(Candidate, (parent.joinpath(name), prefix + native, False, path))


def _hidden_or_excluded(
    relative: str, at: str, selection: Selection, memo: dict[str, bool]
) -> bool:
    """Whether a folder on the way to ``relative`` is hidden or excluded (a walk would not
    have entered it)."""
    folder = relative.rpartition("/")[0]
    if not folder:
        return False
    known = memo.get(folder)
    if known is None:
        name = folder.rpartition("/")[2]
        known = name[:1] == "." or _hidden_or_excluded(folder, at, selection, memo)
        if not known and selection.exclude is not None:
            known = selection.excluded(Path(at + folder), is_dir=True)
        memo[folder] = known
    return known


def _walk(top: Path, raw: str, selection: Selection) -> Iterator[Candidate]:
    """Each file of the walk, in order, with its path string (known already).

    Each folder's display prefix and ``Path`` come from its parent's (the walk is top-down),
    and a folder's files are filtered and made into candidates in one comprehension: the
    walk is most of a cached re-run's discovery.
    """
    ignores = GitIgnores(selection.root, enabled=selection.respect_gitignore)
    base = _display(raw)
    extensions, exclude = selection.extensions, selection.exclude is not None
    failed: list[OSError] = []
    # What each folder about to be walked is shown as, and its Path, set by its parent.
    prefixes: dict[str, str] = {str(top): "" if base == "." else base}
    folders: dict[str, Path] = {str(top): top}
    for dirpath, dirnames, filenames in os.walk(top, onerror=failed.append, followlinks=False):
        yield from (_unlisted(str(e.filename), _shown(e, top, base)) for e in failed)
        failed.clear()
        folder, prefix = folders.pop(dirpath), prefixes.pop(dirpath)  # set by its parent
        at = dirpath if dirpath.endswith(os.sep) else dirpath + os.sep
        active = ignores.enter(dirpath, (*dirnames, *filenames))
        dirnames[:] = sorted(
            name
            for name in dirnames
            if not name.startswith(".")
            and not os.path.islink(at + name)
            and not (exclude and selection.excluded(folder / name, is_dir=True))
            and not (active and ignores.ignored(at + name, is_dir=True))
        )
        for name in dirnames:
            prefixes[at + name] = os.path.join(prefix, name) if prefix else name
            folders[at + name] = folder.joinpath(name)
        for name in filenames:
            if name[:1] == "." and TEMP_MARKER in name:
                remove_stale_temp(dirpath, name)
        names = sorted(
            [
                name
                for name in filenames
                if name[:1] != "." and name[name.rfind(".") + 1 :].lower() in extensions
            ]
        )
        if active:
            names = [name for name in names if not ignores.ignored(at + name, is_dir=False)]
        shown = prefix + os.sep if prefix else ""
        child = _child_maker(folder)
        yield from [_new_tuple(Candidate, (child(n), shown + n, False, at + n)) for n in names]
    yield from (_unlisted(str(e.filename), _shown(e, top, base)) for e in failed)


def _child_maker(folder: Path) -> Callable[[str], Path]:
    """``folder / name`` for a name the walk listed. Before Python 3.12 ``joinpath`` parses
    the name again; CPython's own glob calls ``_make_child_relpath`` for exactly this case
    (measured on a cached re-run of 8,000 files: 14,400 instructions a file against 3,700,
    5.4% of the run). Python 3.12 builds paths lazily, and 3.13 has no such method."""
    if sys.version_info < (3, 12):
        return folder._make_child_relpath  # type: ignore[attr-defined,no-any-return]
    return folder.joinpath


def _shown(error: OSError, top: Path, base: str) -> str:
    """How to show a folder the walk could not list (relative like its files)."""
    inner = os.path.relpath(str(error.filename), top)
    return os.path.normpath(os.path.join(base, inner))


# Candidate(...) without the named tuple's Python-level __new__ (one per file)
_new_tuple = tuple.__new__
