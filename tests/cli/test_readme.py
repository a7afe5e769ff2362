"""The README tells the truth: its console examples print what it shows, its command lines
parse, and every option is documented (see ``readme_console`` for how blocks run)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from sora_lint.cli.subcommands import build_command_parser, with_command
from sora_lint.errors import UsageError
from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from tests.cli.readme_console import (
    README,
    Block,
    NotRunnable,
    Step,
    console_blocks,
    normalised,
    run_block,
)

TEXT = README.read_text(encoding="utf-8")
BLOCKS = console_blocks(TEXT)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_console_block_prints_what_the_readme_shows(block: Block) -> None:
    if block.skip is not None:
        pytest.skip(block.skip)
    for step, printed in run_block(block):
        assert normalised(printed) == normalised(step.expected), (
            f"{block.name}: `$ {step.command}` prints something else; run "
            "`python -m tests.cli.readme_console --update` and review the diff"
        )


def test_blocks_and_skip_markers_are_read(tmp_path: Path) -> None:
    text = (
        "intro\n\n<!-- console-test: skip needs the network -->\n```console\n$ pip install x\n"
        "```\n\n```console\n$ sora-lint --version  # a comment\nsora-lint 0.0.0\n"
        "$ cd examples/good\n$ NO_COLOR=1 sora-lint --show-files\n```\n"
    )
    skipped, runnable = console_blocks(text)
    assert skipped.skip == "needs the network" and skipped.line == 5
    assert runnable.skip is None and [s.command for s in runnable.steps] == [
        "sora-lint --version  # a comment", "cd examples/good", "NO_COLOR=1 sora-lint --show-files"
    ]  # fmt: skip
    (_, version), (_, _), (_, files) = run_block(runnable)
    assert version != runnable.steps[0].expected  # a wrong transcript is caught
    assert normalised(files).splitlines()[0] == "landscape_1280x720.png"
    with pytest.raises(NotRunnable, match="console-test: skip"):
        run_block(Block(1, (Step("pip install x", ""),), None))


FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
SHELL_LIKE = ("bash", "sh", "console", "yaml")


def _command_lines() -> list[str]:
    """Every ``sora-lint …`` command line in the README's code: lines of shell, console and
    YAML blocks (backslash continuations joined) and inline code spans elsewhere."""
    found = []
    for match in FENCE.finditer(TEXT):
        if match.group(1) not in SHELL_LIKE:
            continue
        for line in re.sub(r"\\\n\s*", " ", match.group(2)).splitlines():
            text = re.sub(r"^\s*(?:\$|-\s+run:|run:|-)\s*", "", line)
            if re.match(r"^([A-Z_]+=\S+\s+)*sora-lint(\s|$)", text):
                found.append(text)
    prose = FENCE.sub("", TEXT)
    found += re.findall(r"`((?:[A-Z_]+=\S+ )*sora-lint(?: [^`]*)?)`", prose)
    return found


def test_every_command_line_in_the_readme_parses() -> None:
    host = PluginHost(build_plugin_manager(autoload=False))
    formats = {name: r.description for name, r in host.reporters.items()}
    checked = 0
    for line in _command_lines():
        if "${{" in line or "…" in line.split()[1:2]:
            continue  # a CI expression, or a placeholder for "any arguments"
        words = shlex.split(line.replace("&&", "#").replace("|", "#"), comments=True)
        while words and re.match(r"^[A-Z_]+=", words[0]):
            words.pop(0)
        parser = build_command_parser(host.options, formats)
        try:
            parser.parse_args(with_command(words[1:]))
        except SystemExit:  # --help, --version
            pass
        except UsageError as exc:
            if "cvoer" in line or "--fixx" in line:  # the README's own examples of errors
                continue
            raise AssertionError(f"README: `{line}`: {exc}") from None
        checked += 1
    assert checked > 30


def test_every_option_is_documented() -> None:
    host = PluginHost(build_plugin_manager(autoload=False))
    documented = set(re.findall(r"--(?:\[no-\])?([a-z][a-z0-9-]*)", TEXT))
    missing = [o.flag for o in host.options if o.cli and o.name not in documented]
    assert missing == [], f"options the README never mentions: {missing}"
    for flag in ("--show-settings", "--show-files", "--version", "--isolated", "--config"):
        assert flag in TEXT
