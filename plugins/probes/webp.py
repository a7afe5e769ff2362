"""Fast WebP prober: walks the RIFF chunks as libwebp's demuxer does, no Pillow.

Pillow opens a WebP through libwebp's ``WebPAnimDecoder``, whose demuxer refuses a file whose
chunks do not add up (a chunk running past the RIFF data, a second VP8X, an image chunk in an
animation, frames without an ANIM chunk, a still image that does not fill its canvas, …).
The walk here (:mod:`.webp_demux`) follows the same rules, so a file Pillow refuses is
refused here too, and one it opens gets the same canvas size, frames and alpha: ``RGBA`` or
``RGB`` as libwebp's ``WebPGetFeatures`` decides it, and the orientation in the first EXIF
chunk that the demuxer keeps (only a VP8X file flagged as holding one). The RIFF size must
fit in the file: a cut WebP is reported as truncated.
"""

from __future__ import annotations

from sora_lint.hookspecs import hookimpl
from sora_lint.run.probe_reader import BudgetExceeded, ProbeReader
from sora_lint.types import ProbeResult, Problem, ProblemKind

from . import orient
from .answers import header_result
from .webp_bitstream import WebpError
from .webp_demux import ALPHA_FLAG, Demuxed, demux


@hookimpl
def sora_lint_probe(head: bytes, reader: ProbeReader) -> ProbeResult | None:
    """Answer for WebP content; ``None`` when the chunks run past the read budget."""
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    try:
        found = demux(reader)
    except WebpError as exc:
        return ProbeResult("WEBP", problem=Problem(exc.kind, str(exc)))
    except BudgetExceeded:
        return None
    except OSError as exc:
        return ProbeResult("WEBP", problem=Problem(ProblemKind.IO_ERROR, f"cannot read: {exc}"))
    return _answer(reader, found)


def _answer(reader: ProbeReader, found: Demuxed) -> ProbeResult:
    exif = xmp = None
    try:
        if found.exif is not None:
            exif = reader.read(*found.exif)
        if found.xmp is not None:
            xmp = reader.read(*found.xmp)
    except BudgetExceeded:
        return _answer(reader, found.without_metadata())
    orientation = orient.orientation(exif, xmp)
    if found.animated:
        alpha = bool(found.flags & ALPHA_FLAG)
    elif found.extended:
        # A VP8L bitstream's own alpha bit replaces the VP8X flag in libwebp's WebPGetFeatures.
        flagged = bool(found.flags & ALPHA_FLAG) and not found.lossless
        alpha = found.alph or found.bitstream_alpha or flagged
    else:
        alpha = found.bitstream_alpha
    mode = "RGBA" if alpha else "RGB"
    return header_result(
        "WEBP", found.width, found.height, mode, orientation, found.frames, alpha, 8
    )
