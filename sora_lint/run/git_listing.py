"""The files git would consider under a folder: tracked ones and untracked ones it does not
ignore, from one ``git ls-files`` run safely (:mod:`sora_lint.filesystem.git`).

This is what makes discovery agree with git: every ``.gitignore`` from the repository's top
(also above the project root), ``.git/info/exclude`` and ``core.excludesFile`` apply, as
they do for ``git status``. Git reads those files itself and never follows a symlinked
``.gitignore``. Files deleted from the work tree and ``--skip-worktree`` entries are left
out; a folder git could not list is reported, never skipped in silence.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sora_lint.filesystem.git import in_git_work_tree, run_git

#: ``git ls-files -t`` tags: H tracked, ? untracked, R deleted, S skip-worktree, M unmerged,
#: C modified, K to be killed.
_PRESENT = frozenset({"H", "?", "M", "C", "K"})
#: git's warning; a message over 4 KiB (a path over PATH_MAX) is cut, reason and all.
_UNREADABLE = re.compile(r"^warning: could not open directory '(.*?)(?:': .*)?$", re.MULTILINE)


@dataclass(frozen=True)
class GitListing:
    """Folder-relative POSIX paths of the files git considers (``untracked`` among them),
    and of the folders it could not list."""

    files: tuple[str, ...]
    untracked: frozenset[str]
    unreadable: tuple[str, ...]


def list_with_git(folder: Path) -> GitListing | None:
    """What git considers under ``folder``, or ``None`` outside a work tree or when git
    cannot answer (then the caller walks the folder itself)."""
    if not in_git_work_tree(folder):
        return None
    output = run_git(folder, "ls-files", "-z", "-t", "-c", "-o", "-d", "--exclude-standard")
    if output is None:
        return None
    present: dict[str, None] = {}
    untracked: set[str] = set()
    deleted: set[str] = set()
    for record in output.stdout.split(b"\0"):
        if len(record) < 3 or record[1:2] != b" ":
            continue
        tag, path = chr(record[0]), os.fsdecode(record[2:])
        if path.endswith("/"):
            continue  # a nested repository: git does not look inside, nor does sora-lint
        if tag == "R":
            deleted.add(path)
        elif tag in _PRESENT:
            present[path] = None
            if tag == "?":
                untracked.add(path)
    files = tuple(path for path in present if path not in deleted)
    unreadable = tuple(m.group(1).rstrip("/") for m in _UNREADABLE.finditer(output.stderr))
    return GitListing(files, frozenset(untracked), unreadable)
