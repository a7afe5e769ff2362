"""The README's ``console`` blocks, run for real so the README cannot drift from the tool.

A block is a transcript: each ``$ COMMAND`` line is followed by what the command prints
(standard output, then standard error). A block runs in a fresh copy of the repository's
``examples/`` folder and ``pyproject.toml``; its commands run one after the other, in that
copy, with no shell: ``sora-lint …`` (leading ``NAME=value`` words set the environment) and
``cd FOLDER`` (inside the copy) are the only commands. A block whose commands cannot run in a
test (they install packages, need a network, take minutes) says so in an HTML comment on the
line before its fence, and is skipped with that reason::

    <!-- console-test: skip installs packages and runs the benchmarks -->

After a change to the output, ``python -m tests.cli.readme_console --update`` rewrites each
block's output with what the commands print now; review the diff before committing it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import sora_lint_env

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DIRECTIVE = re.compile(r"^<!--\s*console-test:\s*skip\b\s*(.*?)\s*-->$")
#: The terminal width ``--help`` is wrapped to in the README.
COLUMNS = "100"


@dataclass(frozen=True)
class Step:
    """One ``$`` line and the output written under it."""

    command: str
    expected: str


@dataclass(frozen=True)
class Block:
    """A ``console`` block: where it starts (1-based line of its first ``$`` line)."""

    line: int
    steps: tuple[Step, ...]
    skip: str | None

    @property
    def name(self) -> str:
        return f"README.md:{self.line}"


def console_blocks(text: str) -> list[Block]:
    """Every ```` ```console ```` block of ``text``, in order."""
    lines = text.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```console":
            index += 1
            continue
        before = next((lines[i].strip() for i in range(index - 1, -1, -1) if lines[i].strip()),
                      "")  # fmt: skip
        directive = DIRECTIVE.match(before)
        start = index + 1
        end = start
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        blocks.append(Block(start + 1, _steps(lines[start:end]), _skip(directive)))
        index = end + 1
    return blocks


def _skip(directive: re.Match[str] | None) -> str | None:
    if directive is None:
        return None
    return directive.group(1) or "marked console-test: skip"


def _steps(lines: list[str]) -> tuple[Step, ...]:
    steps: list[Step] = []
    command: str | None = None
    output: list[str] = []
    for line in lines:
        if line.startswith("$ "):
            if command is not None:
                steps.append(Step(command, "\n".join(output)))
            command, output = line[2:], []
        elif command is not None:
            output.append(line)
    if command is not None:
        steps.append(Step(command, "\n".join(output)))
    return tuple(steps)


def normalised(text: str) -> str:
    """Trailing spaces and trailing blank lines do not count."""
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n")


class NotRunnable(Exception):
    """A command the test does not run; the block needs a ``console-test: skip`` comment."""


def run_block(block: Block) -> list[tuple[Step, str]]:
    """Run each step of ``block`` in a fresh copy of the examples: (step, what it printed)."""
    with tempfile.TemporaryDirectory(prefix="readme-") as temp:
        top = Path(temp).resolve()
        shutil.copytree(ROOT / "examples", top / "examples", symlinks=True)
        shutil.copyfile(ROOT / "pyproject.toml", top / "pyproject.toml")
        cwd = top
        results = []
        for step in block.steps:
            cwd, printed = _run(step.command, cwd, top)
            results.append((step, printed))
        return results


def _run(command: str, cwd: Path, top: Path) -> tuple[Path, str]:
    words = shlex.split(command, comments=True)
    env: dict[str, str] = {}
    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    if words[:1] == ["cd"] and len(words) == 2 and not env:
        folder = (cwd / words[1]).resolve()
        if not folder.is_dir() or not folder.is_relative_to(top):
            raise NotRunnable(f"`{command}`: no such folder in the examples")
        return folder, ""
    if words[:1] != ["sora-lint"]:
        raise NotRunnable(
            f"`{command}` is not a sora-lint command; mark the block with "
            "<!-- console-test: skip REASON --> on the line before it"
        )
    proc = subprocess.run(
        words, cwd=cwd, capture_output=True, text=True, timeout=300,
        env=sora_lint_env(COLUMNS=COLUMNS, TERM="dumb", **env),
    )  # fmt: skip
    return cwd, proc.stdout + proc.stderr


def update(readme: Path = README) -> int:
    """Rewrite every runnable block's outputs with what its commands print now."""
    text = readme.read_text(encoding="utf-8")
    lines = text.splitlines()
    changed = 0
    for block in reversed(console_blocks(text)):  # from the end: line numbers stay valid
        if block.skip is not None:
            continue
        start = block.line - 1
        end = start
        while lines[end].strip() != "```":
            end += 1
        new: list[str] = []
        for step, printed in run_block(block):
            new.append(f"$ {step.command}")
            new.extend(line.rstrip() for line in normalised(printed).splitlines())
        if lines[start:end] != new:
            lines[start:end] = new
            changed += 1
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.cli.readme_console --update")
    os.chdir(ROOT)
    print(f"{update()} block(s) of README.md rewritten; review `git diff README.md`.")
