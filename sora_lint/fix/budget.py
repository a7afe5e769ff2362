"""How much memory decoding an image takes, worked out from its header before any pixel is
decoded, and the budget (``max-decode-memory``) that every decode of a run shares.

A 6.5 KB lossless WebP can declare 13000x13000 pixels: decoding it takes gigabytes whatever
``max-pixels`` says, and ``--jobs`` multiplies that. So a fix (or an HTML preview) first
estimates its peak from the header, the format and the JPEG reduction it will decode at; a
file whose estimate is over the budget is reported, not decoded; and a decode reserves its
estimate from a budget the run's worker processes share (:mod:`sora_lint.parallel.fix_pool`
installs a shared one), waiting its turn when others hold the rest: ``--jobs`` never runs
two budgets' worth at once.

The estimate is an upper bound of what ``resource`` measures (``tests/fix/test_budget.py``
checks it on every format and path): Pillow keeps RGB in 4 bytes a pixel, a fix holds up to
three whole copies at a time (decoded, turned upright, converted to 8 bits), libjpeg keeps a
progressive JPEG's coefficients (2 bytes a sample at full size, whatever the reduction) and
Pillow's WebP decoder keeps two more copies of the canvas while it decodes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Protocol

from sora_lint.config.fix_options import DEFAULT_DECODE_MEMORY
from sora_lint.types import ImageHeader

MIB = 1 << 20
#: The default budget (512 MiB): room to fix a 50 MP JPEG, a 40 MP PNG or a 25 MP WebP, and
#: a bound a CI runner never notices, however many ``--jobs``.
DEFAULT_BUDGET = DEFAULT_DECODE_MEMORY

_ONE_BYTE = frozenset({"1", "L", "P"})
_TWO_BYTES = frozenset({"I;16", "I;16B", "I;16L", "I;16N"})
#: Whole copies of the decoded picture a fix holds at once, besides the decoder's own:
#: turned upright and converted to 8 bits (or flattened) before the first is let go.
WORKING_COPIES = 2
#: Outputs (and a resize's intermediate pass) at the target size: a few copies of it.
OUTPUT_COPIES = 3
#: What Pillow, zlib and libjpeg allocate besides the pictures: buffers, tables, a row.
DECODER_SLACK = 16 * MIB


def pixel_bytes(mode: str) -> int:
    """Bytes Pillow keeps per pixel in ``mode`` (RGB, RGBA, CMYK, LA, I and F take 4)."""
    if mode in _ONE_BYTE:
        return 1
    return 2 if mode in _TWO_BYTES else 4


def _components(mode: str) -> int:
    return 1 if mode in ("L", "1") else 4 if mode == "CMYK" else 3


def decoder_bytes(fmt: str | None, header: ImageHeader) -> int:
    """What the decoder holds besides the picture it fills (at the stored size)."""
    pixels = header.size.pixels
    if fmt in ("JPEG", "MPO"):  # a progressive file's coefficients, 2 bytes per sample
        return pixels * _components(header.mode) * 2
    if fmt == "WEBP":  # libwebp's RGBA canvas and the bytes Pillow copies it into
        return pixels * 4 * 2
    return 0


def decode_estimate(
    fmt: str | None,
    header: ImageHeader,
    scale: int = 1,
    target: tuple[int, int] | None = None,
    copies: int = WORKING_COPIES,
) -> int:
    """The most memory decoding ``header``'s picture at 1/``scale`` and working on it takes,
    in bytes: the decoded picture, ``copies`` more at 4 bytes a pixel, the decoder's own
    buffers and the outputs at ``target`` size."""
    width, height = header.size.width, header.size.height
    decoded = -(-width // scale) * -(-height // scale)
    picture = decoded * pixel_bytes(header.mode)
    working = decoded * 4 * copies
    outputs = target[0] * target[1] * 4 * OUTPUT_COPIES if target else 0
    return picture + working + decoder_bytes(fmt, header) + outputs + DECODER_SLACK


def describe(nbytes: int) -> str:
    """``nbytes`` as a user reads it: ``1.5 GiB``, ``640 MiB``."""
    if nbytes >= 1024 * MIB:
        return f"{nbytes / (1024 * MIB):.1f} GiB"
    return f"{max(1, round(nbytes / MIB))} MiB"


def over_budget(estimate: int, budget: int) -> str | None:
    """The reason a decode of ``estimate`` bytes is refused under ``budget``, or ``None``."""
    if estimate <= budget:
        return None
    return (
        f"decoding it needs about {describe(estimate)}, over the decode memory budget of "
        f"{describe(budget)} (max-decode-memory)"
    )


class Budget(Protocol):
    """Memory that decodes reserve before they start and give back when done."""

    def reserve(self, nbytes: int) -> contextlib.AbstractContextManager[None]: ...


class LocalBudget:
    """A budget for one process (``--jobs 1``, the HTML report): decodes run one at a time
    here, so a reservation within the budget never waits; threads are served in turn."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def reserve(self, nbytes: int) -> Iterator[None]:
        with self._lock:
            yield


_CURRENT: list[Budget] = [LocalBudget()]


def install(budget: Budget) -> None:
    """Make ``budget`` the one this process's decodes reserve from (a pool's worker does)."""
    _CURRENT[0] = budget


def reserve(nbytes: int) -> contextlib.AbstractContextManager[None]:
    """Reserve ``nbytes`` of this run's budget for the ``with`` block (a decode)."""
    return _CURRENT[0].reserve(nbytes)
