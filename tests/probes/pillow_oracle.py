"""Pillow's verdict on a file, the oracle of the agreement test.

``Image.open`` with the Pillow prober's allow-list (the bomb limit lifted: sizes are compared,
not pixels allocated), then, in a second open, ``load()`` of the first frame, which is what
``--fix`` and most vendor SDKs' users rely on. The orientation is ``getexif()``'s, read before
any load, as the fix path reads it. Only the formats sora-lint checks to their end are
decoded (:data:`DECODED`), and none over :data:`DECODE_PIXELS`.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from sora_lint_plugins.probes.pillow import ALLOWED

#: Larger images are opened, not decoded (the corpus holds decompression bombs).
DECODE_PIXELS = 16_000_000
#: The formats whose decode is compared (the others' pixels sora-lint never looks at).
DECODED = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})


@dataclass(frozen=True)
class PillowView:
    """What Pillow makes of a file. ``opens`` is ``Image.open``; ``loads`` is a decode of the
    first frame (``None``: not tried, the image is too large); ``frames`` is ``None`` when
    Pillow's own count fails on a later frame."""

    opens: bool
    error: str = ""
    format: str | None = None
    size: tuple[int, int] = (0, 0)
    mode: str = ""
    frames: int | None = None
    orientation: int | None = None
    alpha: bool = False
    loads: bool | None = None


@contextlib.contextmanager
def _lenient() -> Iterator[None]:
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def pillow_view(path: Path) -> PillowView:
    with _lenient():
        try:
            image = Image.open(path, formats=ALLOWED)
        except Exception as exc:  # noqa: BLE001 - any refusal is the answer
            return PillowView(False, error=f"{type(exc).__name__}: {exc}")
        with image:
            small = image.size[0] * image.size[1] <= DECODE_PIXELS
            view = PillowView(
                True,
                format=image.format,
                size=image.size,
                mode=image.mode,
                frames=_frames(image),
                orientation=_orientation(image) if small else None,
                alpha=image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info,
            )
        if not small or view.format not in DECODED:
            return view
        try:
            with Image.open(path, formats=ALLOWED) as again:
                again.load()
        except Exception as exc:  # noqa: BLE001 - any failure to decode is the answer
            return PillowView(**{**vars(view), "loads": False, "error": f"{exc}"})
        return PillowView(**{**vars(view), "loads": True})


def _frames(image: Image.Image) -> int | None:
    try:
        frames = getattr(image, "n_frames", 1)
    except Exception:  # noqa: BLE001 - a later frame Pillow cannot read
        return None
    finally:
        with contextlib.suppress(Exception):
            image.seek(0)
    return frames if isinstance(frames, int) else None


def _orientation(image: Image.Image) -> int | None:
    try:
        raw = image.getexif().get(0x0112)
    except Exception:  # noqa: BLE001 - a broken EXIF block: Pillow has no orientation
        return None
    return raw if isinstance(raw, int) and 1 <= raw <= 8 else 1
