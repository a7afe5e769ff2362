"""A progress bar on stderr for long runs, so a big tree never looks hung.

It is drawn only when stderr is a terminal, ``--quiet`` is off and the run has lasted a
moment (``SORA_LINT_PROGRESS_DELAY`` seconds, 1 by default): pipes, CI logs, pre-commit and
quick runs stay silent. The line is erased when the run ends, before the report is printed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")

DELAY_ENV = "SORA_LINT_PROGRESS_DELAY"
DEFAULT_DELAY = 1.0
REDRAW_EVERY = 0.1  # seconds between redraws: the bar must cost nothing per file
BAR_WIDTH = 24
CLEAR = "\r\x1b[K"


def wanted(stream: TextIO, quiet: bool) -> bool:
    """Whether a bar may be drawn on ``stream`` at all."""
    if quiet or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_ENV, DEFAULT_DELAY)))
    except ValueError:
        return DEFAULT_DELAY


def render(done: int, total: int, elapsed: float) -> str:
    """``[#####-----]  1200/8000 files  3456 files/s`` for ``done`` of ``total``."""
    fraction = done / total if total else 1.0
    filled = min(BAR_WIDTH, int(fraction * BAR_WIDTH))
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    rate = done / elapsed if elapsed > 0 else 0.0
    return f"sora-lint [{bar}] {done}/{total} files  {rate:,.0f} files/s"


def track(items: Iterable[T], total: int, stream: TextIO, enabled: bool) -> Iterator[T]:
    """Yield ``items`` unchanged, drawing the bar on ``stream`` while they flow."""
    if not enabled or total <= 0:
        yield from items
        return
    start = time.monotonic()
    show_after = start + _delay()
    next_draw = show_after
    drawn = False
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            now = time.monotonic()
            if now >= next_draw:
                stream.write(CLEAR + render(done, total, now - start))
                stream.flush()
                drawn = True
                next_draw = now + REDRAW_EVERY
    finally:
        if drawn:
            stream.write(CLEAR)
            stream.flush()
