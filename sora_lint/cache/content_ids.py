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

import hashlib
import os
import stat
from collections.abc import Sequence
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

#: The labels of the five lines ``git ls-files --debug`` prints after each entry, in order,
#: as ``str.split`` cuts them: ``ctime: S:NS mtime: S:NS dev: D ino: I uid: U gid: G size: N
#: flags: F`` (fields of 32 bits).
_LABELS = ("ctime:", "mtime:", "dev:", "ino:", "uid:", "gid:", "size:", "flags:")
_REGULAR = ("100644", "100755")


class IndexEntry:
    """A tracked regular file as the index records it. Its stat data is parsed only when
    the file is looked up (a run asks about its candidates, the index may list far more)."""

    __slots__ = ("_stat", "blob", "debug", "index_ns")

    def __init__(self, blob: str, debug: str, index_ns: int = 0) -> None:
        self.blob = blob
        self.debug = debug
        #: When the index was written (0: unknown, every entry is then racy).
        self.index_ns = index_ns
        self._stat: tuple[int, ...] | None = None

    @property
    def stat(self) -> tuple[int, ...]:
        """(ctime s, ctime ns, mtime s, mtime ns, ino, uid, gid, size); ``()`` when the lines
        are not in the format expected (then nothing is vouched for)."""
        if self._stat is None:
            self._stat = _parse_debug(self.debug)
        return self._stat

    @property
    def mtime(self) -> tuple[int, int]:
        return (self.stat[2], self.stat[3])

    @property
    def ino(self) -> int:
        return self.stat[4]

    @property
    def size(self) -> int:
        return self.stat[7]

    @property
    def racy(self) -> bool:
        """Recorded no earlier than the index was written: an edit in that same tick would
        not show in the stat data, so the content is hashed before the blob is trusted (as
        git does; a fresh checkout's last few files are such)."""
        return _racy(self.stat, self.index_ns)

    def matches(self, info: os.stat_result) -> bool:
        """Whether ``info`` is exactly the stat data git recorded (so the content is the
        blob): seconds always, nanoseconds where git recorded them, inode, owner, size.

        Compared as text first (what git would print for ``info``), which is what almost
        every lookup needs; the parse is for a git that records no nanoseconds."""
        m_ns, c_ns = info.st_mtime_ns, info.st_ctime_ns
        printed = (
            f"  ctime: {(c_ns // _NS) & _U32}:{c_ns % _NS}\n"
            f"  mtime: {(m_ns // _NS) & _U32}:{m_ns % _NS}\n"
        )
        tail = (
            f"\tino: {info.st_ino & _U32}\n  uid: {info.st_uid & _U32}\t"
            f"gid: {info.st_gid & _U32}\n  size: {info.st_size & _U32}\t"
        )
        debug = self.debug
        if debug.startswith(printed) and tail in debug:
            return True
        found = self.stat
        if not found or (found[1], found[3]) != (0, 0):
            return False  # nanoseconds were recorded and differ: not the same
        c_s, _, m_s, _, ino, uid, gid, size = found
        return (
            _same_time(m_s, 0, m_ns)
            and _same_time(c_s, 0, c_ns)
            and ino == info.st_ino & _U32
            and uid == info.st_uid & _U32
            and gid == info.st_gid & _U32
            and size == info.st_size & _U32
        )


def _parse_debug(debug: str) -> tuple[int, ...]:
    words = debug.split()
    if len(words) != 16 or tuple(words[0::2]) != _LABELS:
        return ()
    try:
        c_s, c_ns = words[1].split(":")
        m_s, m_ns = words[3].split(":")
        return tuple(int(n) for n in (c_s, c_ns, m_s, m_ns, words[7], words[9], words[11],
                                       words[13]))  # fmt: skip
    except ValueError:
        return ()


def _racy(found: tuple[int, ...], index_ns: int) -> bool:
    if not found:
        return True
    seconds, nanos = found[2], found[3]
    if nanos == 0:  # git built without nanosecond times: compare whole seconds
        return seconds >= (index_ns // _NS) & _U32
    return seconds * _NS + nanos >= index_ns


def _same_time(seconds: int, nanos: int, actual_ns: int) -> bool:
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
    return parse_ls_files(output.stdout, index_ns)


def parse_ls_files(output: bytes, index_ns: int = 0) -> dict[str, IndexEntry]:
    """Parse ``git ls-files -s --debug -z``: stage-0 regular files only (a path listed at
    several stages is a merge conflict and is left out). Output in a format this does not
    know reads as no entry at all.

    Each entry is ``MODE BLOB STAGE<TAB>PATH<NUL>`` and five lines of stat data, so after a
    split on NUL every piece but the first is those five lines and the next entry.
    """
    records = os.fsdecode(output).split("\0")
    entries: dict[str, IndexEntry] = {}
    dropped: set[str] = set()
    header = records[0]
    for record in records[1:]:
        lines = record.split("\n", 5)
        if len(lines) != 6:
            return {}  # not the format expected: trust nothing rather than misread
        meta, tab, path = header.partition("\t")
        fields = meta.split(" ")
        if not tab or len(fields) != 3 or len(fields[1]) not in (40, 64):
            return {}
        header = lines[5]
        if path in dropped:
            continue
        if path in entries or fields[2] != "0" or fields[0] not in _REGULAR:
            entries.pop(path, None)
            dropped.add(path)
            continue
        entries[path] = IndexEntry(fields[1], "\n".join(lines[:5]) + "\n", index_ns)
    if header:
        return {}  # something after the last entry
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
        if info.st_mtime_ns < entry.index_ns and info.st_mtime_ns % _NS:
            return True  # recorded (with nanoseconds) before the index was written
        if not _racy(entry.stat, entry.index_ns):
            return True
        return blob_hash(path, info.st_size, len(entry.blob)) == entry.blob

    def settled(self, path: str | Path) -> bool:
        """Whether the file was last modified well before this run started (safe to store)."""
        try:
            mtime = os.stat(path).st_mtime_ns
        except (OSError, ValueError):
            return False
        return mtime < self.started_ns - RACY_NS
