"""Generate a benchmark corpus with the headers real assets carry.

Baseline JPEGs with EXIF (some rotated), an ICC profile and XMP; progressive JPEGs; PNGs
with text chunks, an ICC profile and eXIf; WebP files with a VP8X header (EXIF and ICC).
A few dozen distinct images are encoded once and copied to ``count`` files spread over
``parts`` folders (so a benchmark can time a subset), and every file is dated a day back,
as files in a repository are (the cache does not store files modified moments ago).

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

SIZES = ((1280, 720), (1280, 720), (720, 1280), (1920, 1080), (1024, 1024), (1792, 1024))
KINDS = ("jpeg", "jpeg", "jpeg-progressive", "png", "png", "webp")
VARIANTS = 36
XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>sora-lint benchmark</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def _picture(size: tuple[int, int], seed: int) -> Image.Image:
    """A photo-like image: a gradient with noise, so encoders produce realistic sizes."""
    width, height = size
    small = Image.effect_noise((max(1, width // 8), max(1, height // 8)), 40 + seed % 30)
    base = Image.linear_gradient("L").resize(size)
    grain = small.resize(size, Image.Resampling.BICUBIC)
    red = Image.blend(base, grain, 0.5)
    fine = Image.effect_noise((max(1, width // 2), max(1, height // 2)), 6).resize(size)
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
    image = _picture(size, seed)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = _exif(6 if seed % 9 == 0 else 1)
    out = io.BytesIO()
    if kind.startswith("jpeg"):
        image.save(out, "JPEG", quality=85, exif=exif, icc_profile=icc, xmp=XMP,
                   progressive=kind == "jpeg-progressive")  # fmt: skip
    elif kind == "png":
        info = PngImagePlugin.PngInfo()
        info.add_text("Software", "make_corpus.py")
        info.add_itxt("Description", "a benchmark image " * 8)
        image.save(out, "PNG", pnginfo=info, icc_profile=icc, exif=exif)
    else:
        image.save(out, "WEBP", quality=80, exif=exif, icc_profile=icc, method=0)
    return out.getvalue()


def make_corpus(root: Path, count: int, parts: int = 4, seed: int = 0) -> list[Path]:
    """Write ``count`` images under ``root/part{i}/`` and return their paths."""
    rng = random.Random(seed)
    variants = []
    for index in range(VARIANTS):
        kind = KINDS[index % len(KINDS)]
        size = SIZES[rng.randrange(len(SIZES))]
        suffix = {"png": ".png", "webp": ".webp"}.get(kind, ".jpg")
        variants.append((encode(kind, size, index), suffix))
    stored = []
    for index, (data, suffix) in enumerate(variants):
        path = root / ".variants" / f"v{index:02d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
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
    args = parser.parse_args()
    paths = make_corpus(args.root, args.count, args.parts, args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files, {total / len(paths) / 1024:.0f} KiB on average, in {args.root}")


if __name__ == "__main__":
    main()
