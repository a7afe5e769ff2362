"""One notion of "the tree" for a run: the folders a symlink may point into and be followed,
and the only place a fix may write in place.

For each given path, the project root when the path lies in it and the root means something
(a config file's folder, or the top of a git work tree); otherwise the given folder itself (a
file's folder). Never the working directory as such: ``cd / && sora-lint --fix /srv/repo``
must not treat ``/home`` as inside. Real paths throughout (every symlink followed).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Sequence
from pathlib import Path

from sora_lint.filesystem.paths import is_inside
from sora_lint.types import Settings


def tree_roots(root: Path, from_config: bool, paths: Sequence[str], cwd: Path) -> tuple[Path, ...]:
    """The tree of a run over ``paths`` (as given, relative to ``cwd``)."""
    real_root = Path(os.path.realpath(root))
    meaningful = from_config or os.path.lexists(root / ".git")
    roots: set[Path] = set()
    for raw in paths:
        full = Path(os.path.abspath(cwd / raw))
        folder = full if full.is_dir() and not full.is_symlink() else full.parent
        scope = Path(os.path.realpath(folder))
        roots.add(real_root if meaningful and scope.is_relative_to(real_root) else scope)
    return tuple(sorted(roots))


#: Each run's tree by ``id`` of its settings (dropped with them), so a fix that has only the
#: settings, in this process or a worker that built the same session, checks against it.
_TREES: dict[int, tuple[Path, ...]] = {}


def remember_tree(settings: Settings, roots: tuple[Path, ...]) -> None:
    key = id(settings)
    if key not in _TREES:
        weakref.finalize(settings, _TREES.pop, key, None)
    _TREES[key] = roots


def in_tree(path: Path, settings: Settings) -> bool:
    """Whether ``path`` (symlinks followed) lies in the run's tree; true when no run
    registered one (a program that builds its own settings)."""
    roots = _TREES.get(id(settings))
    return roots is None or any(is_inside(path, root) for root in roots)
