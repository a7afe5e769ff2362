"""``--report FILE``: one self-contained HTML page a reviewer opens from the CI artifacts.

A summary (counts by rule and by folder), then a card per offending asset: thumbnail, stored
and displayed size, target, rules hit and the fix previews side by side (pad, cover with its
crop box drawn on the original, the crop_bounds suggestion). Everything from a file name or a
message is escaped; the page carries no script and a CSP that forbids any. The page itself
is built in ``_html_page``, imported only by runs that write one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sora_lint.config.options import OptionRegistry, path_string
from sora_lint.filesystem.report_files import write_text_file
from sora_lint.hookspecs import hookimpl
from sora_lint.types import RunReport, Settings

NAME = "html_report"


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    options.add(
        "report",
        "write a visual HTML report of the offending images to FILE",
        default=None,
        parse=path_string,
        metavar="FILE",
        plugin=NAME,
        group="output",
    )


@hookimpl
def sora_lint_run_finished(report: RunReport, settings: Settings) -> None:
    """Write the page when ``--report`` is set; a failure is one line on stderr."""
    target = settings.get("report")
    if not target:
        return
    try:
        from .page import render_page

        page = render_page(report, settings)
        root = Path(str(settings.get("root") or Path.cwd()))
        write_text_file(Path(str(target)), lambda stream: stream.write(page), root)
    except Exception as exc:  # noqa: BLE001 - a side output must not fail the run
        print(f"sora-lint: cannot write the HTML report {target}: {exc}", file=sys.stderr)
