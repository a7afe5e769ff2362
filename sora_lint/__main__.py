"""``python -m sora_lint``."""

from sora_lint.cli.command import console_main

console_main()
