"""One shared answer per distinct header, for the fast probers.

An asset tree repeats a handful of headers (one camera, one export preset) thousands of times,
and building the frozen ``ProbeResult``/``ImageHeader``/``Size`` values costs more than the
probe that read them. The values are immutable and compared by value, so sharing one is safe.
"""

from __future__ import annotations

from sora_lint.types import ImageHeader, ProbeResult, Size

#: Distinct headers kept; past this the table starts over, so hostile input cannot grow it.
MAX_ENTRIES = 4096
_ANSWERS: dict[tuple[str, int, int, str, int, int, bool, int], ProbeResult] = {}


def header_result(
    fmt: str,
    width: int,
    height: int,
    mode: str,
    orientation: int,
    n_frames: int,
    has_alpha: bool,
    bits: int,
) -> ProbeResult:
    """``ProbeResult(fmt, ImageHeader(Size(width, height), mode, …))``, shared when it repeats."""
    key = (fmt, width, height, mode, orientation, n_frames, has_alpha, bits)
    answer = _ANSWERS.get(key)
    if answer is None:
        if len(_ANSWERS) >= MAX_ENTRIES:
            _ANSWERS.clear()
        header = ImageHeader(Size(width, height), mode, orientation, n_frames, has_alpha, bits)
        answer = _ANSWERS[key] = ProbeResult(fmt, header)
    return answer
