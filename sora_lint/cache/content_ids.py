"""What identifies a file's content for the cache, without reading the file.

In a git work tree the index already holds each tracked file's blob hash and the stat data
(mtime, ctime, inode, size, owner) git recorded when it last knew the file's content. One
``git ls-files -s --debug -z`` lists both, reading only the index: git never opens a
work-tree file, so no clean filter or fsmonitor a checkout's config names can run (see
:mod:`sora_lint.filesystem.git`). A tracked file whose stat data is still exactly what git
recorded, and was recorded before the index was written (not "racily clean"), is known by its
blob and its size, so a fresh CI checkout with a restored cache still hits. Anything else —
untracked or modified files, ``--assume-unchanged`` or ``--skip-worktree`` entries whose file
changed, no git — is known by size, mtime, ctime and inode: ctime cannot be set by a user, so
an in-place edit that restores size and mtime is still noticed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sora_lint.filesystem.git import in_git_work_tree, run_git
from sora_lint.filesystem.reading import FileRefused, hash_regular_file, read_optional_file

__all__ = ["ContentIds", "in_git_work_tree", "parse_ls_files", "read_git_blobs"]

#: A file modified this close to the start of the run is "racily clean" (git's term): on a
#: file system with coarse timestamps a second edit could keep its stat, so it is not stored.
RACY_NS = 2_000_000_000

#: Above this many files, list the whole index rather than pass each path to git.
MAX_PATHSPECS = 100

_U32 = 0xFFFFFFFF
_NS = 1_000_000_000

#: One index entry of ``git ls-files -s --debug -z``: the stage line, NUL, five debug lines.
_ENTRY = re.compile(
    rb"(\d{6}) ([0-9a-f]{40,64}) (\d)\t([^\0]*)\0"
    rb"  ctime: (\d+):(\d+)\n"
    rb"  mtime: (\d+):(\d+)\n"
    rb"  dev: \d+\tino: (\d+)\n"
    rb"  uid: (\d+)\tgid: (\d+)\n"
    rb"  size: (\d+)\tflags: [0-9a-f]+\n"
)


@dataclass(frozen=True)
class IndexEntry:
    """A tracked regular file as the index records it (stat fields truncated to 32 bits)."""

    blob: str
    ctime: tuple[int, int]
    mtime: tuple[int, int]
    ino: int
    uid: int
    gid: int
    size: int
    #: Recorded in the same clock tick as the index was written (see :meth:`is_racy`).
    racy: bool = False

    def matches(self, info: os.stat_result) -> bool:
        """Whether ``info`` is exactly the stat data git recorded (so the content is the
        blob): seconds always, nanoseconds where git recorded them, inode, owner, size."""
        return (
            _same_time(self.mtime, info.st_mtime_ns)
            and _same_time(self.ctime, info.st_ctime_ns)
            and self.ino == info.st_ino & _U32
            and self.uid == info.st_uid & _U32
            and self.gid == info.st_gid & _U32
            and self.size == info.st_size & _U32
        )

    def is_racy(self, index_ns: int) -> bool:
        """Recorded no earlier than the index was written: an edit in that same tick would
        not show in the stat data, so the content is hashed before the blob is trusted (as
        git does; a fresh checkout's last few files are such)."""
        seconds, nanos = self.mtime
        if nanos == 0:  # git built without nanosecond times: compare whole seconds
            return seconds >= (index_ns // _NS) & _U32
        return seconds * _NS + nanos >= index_ns


def _same_time(recorded: tuple[int, int], actual_ns: int) -> bool:
    seconds, nanos = recorded
    if seconds != (actual_ns // _NS) & _U32:
        return False
    return nanos == 0 or nanos == actual_ns % _NS


def read_git_blobs(root: Path, relatives: Sequence[str] | None) -> dict[str, IndexEntry]:
    """Root-relative path → index entry of every tracked regular file; :class:`ContentIds`
    trusts an entry's blob only while the file's stat data is exactly what git recorded
    (and, for a racily clean entry, the file's bytes hash to the blob).

    Returns an empty mapping when ``root`` is not in a git work tree or git cannot answer.
    :param relatives: restrict the listing to these root-relative paths (few files).
    """
    if not in_git_work_tree(root):
        return {}
    index_ns = index_mtime_ns(root)
    if index_ns is None:
        return {}
    args = ["ls-files", "-s", "--debug", "-z"]
    if relatives is not None:
        args += ["--", *relatives]
    output = run_git(root, *args)
    if output is None:
        return {}
    entries = parse_ls_files(output.stdout)
    for path, entry in entries.items():
        if entry.is_racy(index_ns):
            entries[path] = dataclasses.replace(entry, racy=True)
    return entries


def parse_ls_files(output: bytes) -> dict[str, IndexEntry]:
    """Parse ``git ls-files -s --debug -z``: stage-0 regular files only (a path listed at
    several stages is a merge conflict and is left out). Output in a format this does not
    know reads as no entry at all."""
    entries: dict[str, IndexEntry] = {}
    dropped: set[str] = set()
    position = 0
    for match in _ENTRY.finditer(output):
        if match.start() != position:
            return {}  # not the format expected: trust nothing rather than misread
        position = match.end()
        mode, blob, stage, raw_path = match.group(1, 2, 3, 4)
        path = os.fsdecode(raw_path)
        if path in dropped:
            continue
        if path in entries or stage != b"0" or mode not in (b"100644", b"100755"):
            entries.pop(path, None)
            dropped.add(path)
            continue
        numbers = [int(n) for n in match.group(5, 6, 7, 8, 9, 10, 11, 12)]
        ctime_s, ctime_n, mtime_s, mtime_n, ino, uid, gid, size = numbers
        entries[path] = IndexEntry(
            blob.decode("ascii"), (ctime_s, ctime_n), (mtime_s, mtime_n), ino, uid, gid, size
        )
    if position != len(output):
        return {}
    return entries


def index_mtime_ns(root: Path) -> int | None:
    """When the index of the work tree holding ``root`` was last written, or ``None``."""
    index = os.environ.get("GIT_INDEX_FILE")
    if index:
        path = Path(os.path.abspath(index))
    else:
        git_dir = _git_dir(root)
        if git_dir is None:
            return None
        path = git_dir / "index"
    try:
        return os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return None


def _git_dir(root: Path) -> Path | None:
    """The git folder of the work tree holding ``root``: ``$GIT_DIR``, a ``.git`` folder, or
    the folder a ``.git`` file (a worktree, a submodule) names."""
    env = os.environ.get("GIT_DIR")
    if env:
        return Path(os.path.abspath(env))
    absolute = root.absolute()
    for folder in (absolute, *absolute.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        try:
            text = read_optional_file(dot_git, 4096)
        except FileRefused:
            return None
        if text is None:
            continue
        line = text.decode("utf-8", "replace").strip()
        if not line.startswith("gitdir:"):
            return None
        return Path(os.path.normpath(folder / line[len("gitdir:") :].strip()))
    return None


def blob_hash(path: str | Path, size: int, length: int) -> str | None:
    """Git's blob id of a file's bytes as they are (SHA-1, or SHA-256 for a 64-digit id);
    ``None`` when it cannot be read as a regular file."""
    digest = hashlib.sha256() if length == 64 else hashlib.sha1()
    digest.update(b"blob %d\0" % size)
    return digest.hexdigest() if hash_regular_file(path, digest) else None


class ContentIds:
    """Content ids for the files of one run; ``None`` when a file cannot be identified."""

    def __init__(self, blobs: dict[str, IndexEntry], started_ns: int) -> None:
        self.blobs = blobs
        self.started_ns = started_ns

    def content_id(self, path: str | Path, relative: str | None) -> str | None:
        """``g:BLOB:SIZE`` for a file git vouches for, ``s:SIZE:MTIME:CTIME:INODE`` otherwise.

        Git vouches for a tracked file whose stat data is still what the index recorded.
        The size in the git id tells a Git LFS pointer from the image it stands for (both
        have the pointer's blob), and a CRLF-converted text file from its blob.
        """
        try:
            info = os.lstat(path)
        except (OSError, ValueError):
            return None
        if info.st_mode & 0o170000 != stat.S_IFREG:  # S_ISREG, without a call per file
            return None  # symlinks too: what they point to depends on where the tree is
        entry = self.blobs.get(relative) if relative is not None else None
        if entry is not None and self._vouched(entry, path, info):
            return f"g:{entry.blob}:{info.st_size}"
        return f"s:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"

    @staticmethod
    def _vouched(entry: IndexEntry, path: str | Path, info: os.stat_result) -> bool:
        if not entry.matches(info):
            return False
        return not entry.racy or blob_hash(path, info.st_size, len(entry.blob)) == entry.blob

    def settled(self, path: str | Path) -> bool:
        """Whether the file was last modified well before this run started (safe to store)."""
        try:
            mtime = os.stat(path).st_mtime_ns
        except (OSError, ValueError):
            return False
        return mtime < self.started_ns - RACY_NS
