"""Small upright thumbnails for the HTML report: the only place a report decodes pixels.

Called only when ``--report`` is given. Every image is opened with an allow-list of formats
(no Ghostscript, no surprise decoder), skipped when its header already showed a problem, more
pixels than allowed, or a decode the memory budget (``max-decode-memory``) cannot hold,
decoded at a reduced JPEG scale where possible and shrunk to at most ``THUMB_SIDE`` pixels.
Any failure is a reason string, never an exception.
"""

from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sora_lint.fix import budget
from sora_lint.types import Asset

if TYPE_CHECKING:
    from PIL import Image

THUMB_SIDE = 320
#: Formats a thumbnail may decode; anything else gets no preview.
PREVIEW_FORMATS: tuple[str, ...] = ("JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP")
#: Formats decoded in full (no reduced-scale decode): a tighter pixel cap keeps memory bounded.
FULL_DECODE_MAX_PIXELS = 40_000_000


def _transpose(orientation: int) -> tuple[Image.Transpose, ...]:
    from PIL import Image

    return {
        2: (Image.Transpose.FLIP_LEFT_RIGHT,),
        3: (Image.Transpose.ROTATE_180,),
        4: (Image.Transpose.FLIP_TOP_BOTTOM,),
        5: (Image.Transpose.TRANSPOSE,),
        6: (Image.Transpose.ROTATE_270,),
        7: (Image.Transpose.TRANSVERSE,),
        8: (Image.Transpose.ROTATE_90,),
    }.get(orientation, ())


@dataclass(frozen=True)
class Thumbnail:
    """A ``data:`` URI and its pixel size, or why there is none."""

    uri: str | None
    width: int = 0
    height: int = 0
    reason: str = ""


def thumb_scale(fmt: str | None, width: int, height: int) -> int:
    """The JPEG reduction ``Image.draft`` picks for a thumbnail (1 for other formats)."""
    if fmt not in ("JPEG", "MPO"):
        return 1
    most = min(width // THUMB_SIDE, height // THUMB_SIDE)
    return next((scale for scale in (8, 4, 2) if most >= scale), 1)


def preview_estimate(asset: Asset) -> int:
    """The memory decoding ``asset`` for its thumbnail takes (see :mod:`sora_lint.fix.budget`):
    one working copy besides the decoded picture, the thumbnail's own size as the output."""
    header = asset.header
    if header is None:
        return 0
    scale = thumb_scale(asset.format, header.size.width, header.size.height)
    return budget.decode_estimate(asset.format, header, scale, (THUMB_SIDE, THUMB_SIDE), copies=1)


def _refuse(asset: Asset, max_pixels: int, memory: int) -> str | None:
    """Why ``asset`` must not be decoded, judged from its probe alone."""
    if asset.problem is not None:
        return "not previewed: the file could not be read as an image"
    if asset.header is None or asset.format not in PREVIEW_FORMATS:
        return f"not previewed: {asset.format or 'unknown'} images are not decoded"
    pixels = asset.header.size.pixels
    if pixels > max_pixels:
        return f"not previewed: {pixels:,} pixels is over the limit of {max_pixels:,}"
    if asset.format not in ("JPEG", "MPO") and pixels > FULL_DECODE_MAX_PIXELS:
        return f"not previewed: {pixels:,} pixels is too large to decode for a preview"
    refused = budget.over_budget(preview_estimate(asset), memory)
    return None if refused is None else f"not previewed: {refused}"


def make_thumbnail(asset: Asset, max_pixels: int, memory: int = budget.DEFAULT_BUDGET) -> Thumbnail:
    """The upright thumbnail of ``asset`` as a JPEG (or PNG with alpha) ``data:`` URI;
    ``memory`` is the decode memory budget (``max-decode-memory``)."""
    refusal = _refuse(asset, max_pixels, memory)
    if refusal is not None or asset.format is None or asset.header is None:
        return Thumbnail(None, reason=refusal or "not previewed")
    with budget.reserve(preview_estimate(asset)):
        return _decode(asset, asset.format, asset.header.orientation, max_pixels)


def _decode(asset: Asset, fmt: str, orientation: int, max_pixels: int) -> Thumbnail:
    from PIL import Image  # only in report mode: check runs never pay for Pillow here

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's remarks on odd files are not for users
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(asset.path, formats=[fmt]) as image:
                header = asset.header
                if image.size[0] * image.size[1] > max_pixels:
                    return Thumbnail(None, reason="not previewed: over the pixel limit")
                if header is None or image.size != (header.size.width, header.size.height):
                    # the memory estimate was made for the header's size
                    return Thumbnail(None, reason="not previewed: not the size its header says")
                image.draft("RGB", (THUMB_SIDE, THUMB_SIDE))
                image.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
                small = image.copy()
    except Exception as exc:  # noqa: BLE001 - hostile files: any failure means no preview
        return Thumbnail(None, reason=f"not previewed: {type(exc).__name__}")
    for step in _transpose(orientation):
        small = small.transpose(step)
    return _encode(small)


def _encode(image: Image.Image) -> Thumbnail:
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    buffer = io.BytesIO()
    if alpha:
        image.convert("RGBA").save(buffer, "PNG", optimize=True)
        mime = "image/png"
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=80)
        mime = "image/jpeg"
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Thumbnail(f"data:{mime};base64,{data}", image.size[0], image.size[1])
