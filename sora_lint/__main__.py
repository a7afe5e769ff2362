"""``python -m sora_lint``."""

from sora_lint.cli import console_main

console_main()
