"""Images for the API tests, made with Pillow in memory: each shows one thing a pipeline's
image brings (an EXIF rotation, CMYK, 16-bit samples, transparency, WebP), small so the
tables stay fast, plus one 12-megapixel photo with the noise of a real one, and the
repository's example images."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image

from tests.fix_support import picture

#: The repository's examples: images a model refuses (bad) and ones that need nothing (good).
ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "examples" / "bad"
GOOD = ROOT / "examples" / "good"


def scene(size: tuple[int, int]) -> Image.Image:
    """An upright picture with a red block top-left and a blue one bottom-right (the fix
    tests' picture), so orientation and cropping show in the pixels."""
    return picture(size)


def encoded(image: Image.Image, fmt: str, **save: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def rotated_jpeg(upright: tuple[int, int] = (90, 160)) -> bytes:
    """A phone photo: stored sideways with EXIF orientation 6 (shown ``upright``)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = scene(upright).transpose(Image.Transpose.ROTATE_90)
    return encoded(stored, "JPEG", quality=90, exif=exif.tobytes())


def cmyk_jpeg(size: tuple[int, int] = (160, 120)) -> bytes:
    return encoded(scene(size).convert("CMYK"), "JPEG", quality=90)


def png16(size: tuple[int, int] = (120, 90)) -> bytes:
    """16-bit grey samples (mode I;16)."""
    grey = scene(size).convert("L")
    return encoded(grey.point(lambda v: v * 257, "I").convert("I;16"), "PNG")


def rgba_png(size: tuple[int, int] = (150, 100)) -> bytes:
    image = scene(size)
    image.putalpha(Image.linear_gradient("L").resize(size))
    return encoded(image, "PNG")


def webp(size: tuple[int, int] = (200, 100), lossless: bool = False) -> bytes:
    return encoded(scene(size), "WEBP", quality=85, lossless=lossless)


def photo_12mp(size: tuple[int, int] = (4000, 3000)) -> bytes:
    """A 12-megapixel JPEG whose sensor noise makes it as large as a real photo (~9 MB)."""
    noise = Image.effect_noise(size, 60).convert("RGB")
    return encoded(Image.blend(noise, scene(size), 0.5), "JPEG", quality=95)


#: The small sources of the tables: name -> (file name, bytes).
SOURCES = {
    "jpeg-orientation-6": ("phone.jpg", rotated_jpeg),
    "cmyk-jpeg": ("print.jpg", cmyk_jpeg),
    "png-16-bit": ("scan.png", png16),
    "png-alpha": ("logo.png", rgba_png),
    "webp": ("frame.webp", webp),
}
