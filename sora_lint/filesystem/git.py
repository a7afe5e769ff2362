"""Ask git about a work tree without letting the work tree make git run anything.

A checkout's ``.git/config`` can name programs that git starts on its own
(``core.fsmonitor`` for any command that reads the index, ``filter.*.clean`` whenever git
hashes a work-tree file, hooks, pagers, external diffs); an unpacked archive or a shared
machine may carry a hostile one. sora-lint only ever runs ``git ls-files`` in a form that
reads the index and lists folders (never ``-m``, which hashes files through clean filters),
with ``core.fsmonitor=false``, no hooks, no pager, no prompt, no lazy fetch and no optional
locks, a closed standard input and a timeout. Outside a work tree, or when git is missing,
refuses the repository (``safe.directory``) or fails, it is not started or its answer is
ignored: callers fall back to reading the tree themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: ``-c`` settings that beat any config file and leave git nothing to execute.
SAFE_CONFIG = (
    "core.fsmonitor=false",
    f"core.hooksPath={os.devnull}",
    "core.pager=cat",
    "core.untrackedCache=false",
    "protocol.allow=never",
)
#: Environment for git: no prompt, no lock taken, messages in English (they are parsed).
SAFE_ENV = {
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_LAZY_FETCH": "1",
    "LC_ALL": "C",
    "LANGUAGE": "C",
}
#: Variables that would make git run a program or page its output.
_UNSAFE_ENV = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_SSH", "GIT_SSH_COMMAND",
               "GIT_ASKPASS", "SSH_ASKPASS", "GIT_EDITOR", "GIT_TRACE")  # fmt: skip

GIT_TIMEOUT = 60.0


@dataclass(frozen=True)
class GitOutput:
    """What a successful git command printed."""

    stdout: bytes
    stderr: str


def git_command(folder: Path, *args: str) -> list[str]:
    """The full command line: ``git -C folder`` with the safe settings, then ``args``."""
    command = ["git", "--no-pager", "--literal-pathspecs", "-C", str(folder)]
    for setting in SAFE_CONFIG:
        command += ["-c", setting]
    return [*command, *args]


def safe_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _UNSAFE_ENV}
    env.update(SAFE_ENV)
    return env


def run_git(folder: Path, *args: str, timeout: float = GIT_TIMEOUT) -> GitOutput | None:
    """Run ``git -C folder args`` safely; ``None`` when it cannot answer (not a work tree,
    no git, a refused repository, a timeout)."""
    import subprocess  # only where git can help: outside a work tree it is never started

    try:
        completed = subprocess.run(
            git_command(folder, *args),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=safe_environment(),
            timeout=timeout,
            check=False,
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return GitOutput(completed.stdout, completed.stderr.decode("utf-8", "replace"))


def in_git_work_tree(folder: Path) -> bool:
    """Whether ``folder`` may be in a git work tree: a ``.git`` in it or a folder above, or
    git told where by the environment. Saves starting git (~10 ms) where it cannot help."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    absolute = folder.absolute()
    return any(os.path.lexists(above / ".git") for above in (absolute, *absolute.parents))
