"""What the run tests share: a session of the bundled plugins, built as a run builds it."""

from __future__ import annotations

from pathlib import Path

from sora_lint.cli.arguments import build_parser, cli_values
from sora_lint.config.files import find_config
from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.engine import Session
from sora_lint.run.runner import build_session, resolve_settings


def bundled_session(cwd: Path, *argv: str) -> Session:
    """A fresh session of the bundled plugins, as a run in ``cwd`` with ``argv`` builds it."""
    host = PluginHost(build_plugin_manager(autoload=False))
    namespace = build_parser(host.options).parse_args([*argv, "."])
    settings = resolve_settings(host, find_config(cwd), cli_values(namespace, host.options))
    host.configure(settings)
    return build_session(host, settings, ["."], cwd)
