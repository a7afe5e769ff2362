"""The ``json`` output: one array of diagnostic objects, for scripts.

The shape is :mod:`sora_lint.output.json_shape`'s, published as ``report.schema.json``.
"""

from __future__ import annotations

from typing import TextIO

from sora_lint.config.options import OptionRegistry
from sora_lint.hookspecs import hookimpl
from sora_lint.output.json_shape import FIX_DATA_OPTION, Shapes
from sora_lint.output.json_splice import write_spliced
from sora_lint.types import RunReport


def shapes_for(report: RunReport) -> Shapes:
    """The report's shapes, with each fix's internal data when ``--report-fix-data`` asks."""
    return Shapes(with_data=bool(report.settings.get(FIX_DATA_OPTION)))


def write_json(report: RunReport, out: TextIO) -> None:
    """One JSON array of diagnostic objects, written in one piece."""
    shapes = shapes_for(report)
    write_spliced(out, lambda splicer: shapes.diagnostics(report.diagnostics, splicer), True)


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    options.add(
        FIX_DATA_OPTION,
        "json, json-lines and sarif reports: include each fix's internal `data` (the "
        "fixer's parameters, e.g. decode_floor), which may change between versions",
        default=False,
        kind="flag",
        plugin="reporters",
    )
