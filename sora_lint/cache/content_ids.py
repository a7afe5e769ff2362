"""What identifies a file's content for the cache, without reading the file.

In a git work tree the index already holds each tracked file's blob hash; one
``git ls-files -s -m -z`` lists them and, a second time, every file whose work-tree content
differs from the index (git compares the stat data it recorded and re-hashes when in doubt).
A tracked, unmodified file is then known by its blob and its size, so a fresh CI checkout with
a restored cache still hits. Anything else (untracked or modified files, no git) is known by
size, mtime, ctime and inode: ctime cannot be set by a user, so an in-place edit that restores
size and mtime is still noticed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

#: A file modified this close to the start of the run is "racily clean" (git's term): on a
#: file system with coarse timestamps a second edit could keep its stat, so it is not stored.
RACY_NS = 2_000_000_000

#: Above this many files, list the whole index rather than pass each path to git.
MAX_PATHSPECS = 100

GIT_TIMEOUT = 120.0


def read_git_blobs(root: Path, relatives: Sequence[str] | None) -> dict[str, str]:
    """Root-relative path → blob hash of every tracked regular file git says is unmodified.

    Returns an empty mapping when ``root`` is not in a git work tree or git is unavailable.
    :param relatives: restrict the listing to these root-relative paths (few files).
    """
    if not in_git_work_tree(root):
        return {}
    command = ["git", "--literal-pathspecs", "-C", str(root), "ls-files", "-s", "-m", "-z"]
    if relatives is not None:
        command += ["--", *relatives]
    import subprocess  # only inside a work tree: outside one, git is never started

    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    try:
        completed = subprocess.run(
            command, capture_output=True, env=env, timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if completed.returncode != 0:
        return {}
    return parse_ls_files(completed.stdout)


def in_git_work_tree(root: Path) -> bool:
    """Whether ``root`` may be in a git work tree: a ``.git`` in it or a folder above, or
    git told where by the environment. Saves starting git (~10 ms) where it cannot help."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    folder = root.absolute()
    return any(os.path.lexists(above / ".git") for above in (folder, *folder.parents))


def parse_ls_files(output: bytes) -> dict[str, str]:
    """Parse ``git ls-files -s -m -z``: a path listed twice is modified, so it is left out."""
    blobs: dict[str, str] = {}
    dropped: set[str] = set()
    for record in output.split(b"\0"):
        meta, tab, raw_path = record.partition(b"\t")
        if not tab:
            continue
        parts = meta.split(b" ")
        if len(parts) != 3:
            continue
        mode, blob, stage = parts
        path = os.fsdecode(raw_path)
        if path in dropped:
            continue
        if path in blobs or stage != b"0" or mode not in (b"100644", b"100755"):
            blobs.pop(path, None)
            dropped.add(path)
            continue
        blobs[path] = blob.decode("ascii", "replace")
    return blobs


class ContentIds:
    """Content ids for the files of one run; ``None`` when a file cannot be identified."""

    def __init__(self, blobs: dict[str, str], started_ns: int) -> None:
        self.blobs = blobs
        self.started_ns = started_ns

    def content_id(self, path: str | Path, relative: str | None) -> str | None:
        """``g:BLOB:SIZE`` for a file git vouches for, ``s:SIZE:MTIME:CTIME:INODE`` otherwise.

        The size in the git id tells a Git LFS pointer from the image it stands for (both
        have the pointer's blob), and a CRLF-converted text file from its blob.
        """
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if info.st_mode & 0o170000 != stat.S_IFREG:  # S_ISREG, without a call per file
            return None  # symlinks too: what they point to depends on where the tree is
        blob = self.blobs.get(relative) if relative is not None else None
        if blob is not None:
            return f"g:{blob}:{info.st_size}"
        return f"s:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"

    def settled(self, path: str | Path) -> bool:
        """Whether the file was last modified well before this run started (safe to store)."""
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            return False
        return mtime < self.started_ns - RACY_NS
