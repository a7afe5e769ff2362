"""Declares the core fix options when the core does not (yet): lets the CLI tests run
``--fix`` through ``main()`` and ``-p tests.fix_cli_plugin`` in a subprocess either way."""

from __future__ import annotations

from sora_lint.fix_options import declare_fix_options
from sora_lint.hookspecs import hookimpl
from sora_lint.options import OptionRegistry


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    if "fix" not in options:
        declare_fix_options(options)
