"""The command line: argument parsing, the commands, and ``main(argv) -> int``.

``main`` and ``console_main`` are re-exported here: ``sora_lint.cli.main(argv)`` is how tests
and embedding programs run the command, and ``sora_lint.cli:console_main`` is the script.
"""

from sora_lint.cli.command import console_main, main

__all__ = ["console_main", "main"]
