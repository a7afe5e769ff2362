"""Generate a benchmark corpus shaped like a real content repository.

Real repositories hold images of many different sizes (camera and phone photos, exports,
screenshots, hand crops), most of which some model rejects, so the corpus has hundreds of
distinct sizes: a quarter of the images are the sizes Sora 2 takes, the rest are photos,
exports and arbitrary crops, each giving its own findings (and a report line of its own).
The headers are the ones real assets carry: baseline JPEGs with EXIF (some rotated), an ICC
profile and XMP; progressive JPEGs; PNGs with text chunks, an ICC profile and eXIf, some
with alpha; WebP files with a VP8X header (EXIF and ICC). Each distinct image is encoded once
and copied to ``count`` files spread over ``parts`` folders (so a benchmark can time a
subset), and every file is dated a day back, as files in a repository are (the cache does not
store files modified moments ago).

    python benchmarks/make_corpus.py /tmp/corpus --count 8000
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import time
from pathlib import Path

from PIL import Image, ImageCms, PngImagePlugin

#: The sizes Sora 2 (Pro) takes: no size finding.
ACCEPTED = ((1280, 720), (720, 1280), (1792, 1024), (1024, 1792))
#: Sizes cameras, phones and export presets write.
COMMON = (
    (4032, 3024), (3024, 4032), (4000, 3000), (6000, 4000), (1920, 1080), (1080, 1920),
    (2560, 1440), (3840, 2160), (1024, 1024), (2048, 2048), (1080, 1350), (1200, 628),
    (800, 600), (640, 480), (1600, 900), (2048, 1152), (1440, 1080), (512, 512),
)  # fmt: skip
KINDS = ("jpeg", "jpeg", "jpeg", "jpeg-progressive", "png", "png", "png-alpha", "webp")
VARIANTS = 480
#: Largest side and pixel count of a PNG or WebP variant (encoding them is slow; big photos
#: are JPEGs in real repositories too).
LOSSLESS_MAX_PIXELS = 3_000_000
XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>sora-lint benchmark</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def picture(size: tuple[int, int], seed: int, detail: int = 1_000_000) -> Image.Image:
    """A photo-like image: a gradient with noise, so encoders produce realistic sizes (made
    at most ``detail`` pixels and scaled up, so a corpus of big photos stays small)."""
    scale = (size[0] * size[1] / detail) ** 0.5
    if scale > 1.0:
        small = (max(1, int(size[0] / scale)), max(1, int(size[1] / scale)))
        return _noisy(small, seed).resize(size, Image.Resampling.BILINEAR)
    return _noisy(size, seed)


def _noisy(size: tuple[int, int], seed: int) -> Image.Image:
    width, height = size
    small = Image.effect_noise((max(1, width // 8), max(1, height // 8)), 40 + seed % 30)
    base = Image.linear_gradient("L").resize(size)
    grain = small.resize(size, Image.Resampling.BICUBIC)
    red = Image.blend(base, grain, 0.5)
    fine = Image.effect_noise((max(1, width // 4), max(1, height // 4)), 6).resize(size)
    green = Image.blend(base.transpose(Image.Transpose.ROTATE_180), fine, 0.3)
    return Image.merge("RGB", (red, green, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))


def _exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "sora-lint"  # Make
    exif[0x0110] = "benchmark camera"  # Model
    exif[0x0131] = "make_corpus.py"  # Software
    return exif


def encode(kind: str, size: tuple[int, int], seed: int) -> bytes:
    """One image of ``kind`` with the metadata an exported asset typically has."""
    # Renders and screenshots (PNG) are smoother than photos: less detail, smaller files.
    image = picture(size, seed, 1_000_000 if kind.startswith("jpeg") else 60_000)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = _exif(6 if seed % 9 == 0 else 1)
    out = io.BytesIO()
    if kind.startswith("jpeg"):
        image.save(out, "JPEG", quality=85, exif=exif, icc_profile=icc, xmp=XMP,
                   progressive=kind == "jpeg-progressive")  # fmt: skip
    elif kind.startswith("png"):
        info = PngImagePlugin.PngInfo()
        info.add_text("Software", "make_corpus.py")
        info.add_itxt("Description", "a benchmark image " * 8)
        if kind == "png-alpha":
            image.putalpha(Image.linear_gradient("L").resize(size))
        image.save(out, "PNG", pnginfo=info, icc_profile=icc, exif=exif)
    else:
        image.save(out, "WEBP", quality=80, exif=exif, icc_profile=icc, method=0)
    return out.getvalue()


def variant_size(rng: random.Random, kind: str) -> tuple[int, int]:
    """A quarter accepted sizes, a third common photo and export sizes, the rest crops."""
    draw = rng.random()
    if draw < 0.25:
        size = ACCEPTED[rng.randrange(len(ACCEPTED))]
    elif draw < 0.6:
        size = COMMON[rng.randrange(len(COMMON))]
    else:  # a hand crop or a resized export: any size
        size = (rng.randrange(240, 4097), rng.randrange(240, 4097))
    if not kind.startswith("jpeg") and size[0] * size[1] > LOSSLESS_MAX_PIXELS:
        scale = (LOSSLESS_MAX_PIXELS / (size[0] * size[1])) ** 0.5
        size = (max(1, int(size[0] * scale)), max(1, int(size[1] * scale)))
    return size


def make_corpus(
    root: Path, count: int, parts: int = 4, seed: int = 0, variants: int = VARIANTS
) -> list[Path]:
    """Write ``count`` images of ``variants`` distinct images under ``root/part{i}/``."""
    rng = random.Random(seed)
    stored = []
    for index in range(variants):
        kind = KINDS[index % len(KINDS)]
        suffix = {"png": ".png", "webp": ".webp"}.get(kind.split("-")[0], ".jpg")
        path = root / ".variants" / f"v{index:04d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(kind, variant_size(rng, kind), index))
        stored.append(path)
    day_ago = time.time() - 86400
    paths = []
    for index in range(count):
        source = stored[rng.randrange(len(stored))]
        folder = root / f"part{index % parts}" / f"shot{index // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"img{index:06d}{source.suffix}"
        shutil.copyfile(source, target)
        os.utime(target, (day_ago, day_ago))
        paths.append(target)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=8000)
    parser.add_argument("--parts", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", type=int, default=VARIANTS)
    args = parser.parse_args()
    paths = make_corpus(args.root, args.count, args.parts, args.seed, args.variants)
    total = sum(p.stat().st_size for p in paths)
    sizes = {Image.open(p).size for p in (args.root / ".variants").iterdir()}
    print(
        f"{len(paths)} files of {len(sizes)} distinct sizes, "
        f"{total / len(paths) / 1024:.0f} KiB on average, in {args.root}"
    )


if __name__ == "__main__":
    main()
