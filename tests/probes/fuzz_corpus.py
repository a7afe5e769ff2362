"""A deterministic fuzz corpus: real Pillow-made files, mutated the way broken files are.

Byte-level mutations (flips, insertions, cuts, the length fields of ``test_probe_fuzz``'s
hostile strategy) and structure-aware ones: PNG chunks and JPEG segments duplicated,
dropped, swapped, repeated thousands of times or inserted from a table of odd ones (a
second IHDR, a tEXt before IHDR, a SOF with a precision of 133, a WebP chunk claiming
0xFFFFFF00 bytes, …). The agreement test compares every file's verdict with Pillow's.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from PIL import Image

from tests.probe_support import chunk, exif_bytes, xmp_packet

EXIF = b"Exif\x00\x00" + exif_bytes(6, big_endian=True, other_tags=3)
EXTREMES = (0, 1, 2, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF)


def saved(image: Image.Image, fmt: str, **save: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def seeds() -> dict[str, list[bytes]]:
    """Real files of each format the probers read, with the metadata real files carry."""
    rgb = Image.linear_gradient("L").resize((24, 16)).convert("RGB")
    frames = [rgb.rotate(180), rgb]
    palette = [frame.convert("P") for frame in frames]
    return {
        "png": [
            saved(rgb, "PNG"),
            saved(rgb.convert("RGBA"), "PNG", exif=EXIF),
            saved(rgb.convert("P"), "PNG", transparency=0),
            saved(rgb, "PNG", save_all=True, append_images=frames),
            saved(rgb.convert("L"), "PNG"),
        ],
        "jpeg": [
            saved(rgb, "JPEG", exif=EXIF),
            saved(rgb, "JPEG", progressive=True, icc_profile=b"\x01" * 700),
            saved(rgb.convert("CMYK"), "JPEG", xmp=xmp_packet(3)),
            saved(rgb, "MPO", save_all=True, append_images=[rgb]),
        ],
        "webp": [
            saved(rgb, "WEBP"),
            saved(rgb, "WEBP", exif=EXIF),
            saved(rgb.convert("RGBA"), "WEBP", lossless=True),
            saved(rgb.convert("RGBA"), "WEBP", save_all=True, append_images=frames),
        ],
        "gif": [
            saved(rgb.convert("P"), "GIF"),
            saved(palette[0], "GIF", save_all=True, append_images=palette),
        ],
        "tiff": [
            saved(rgb, "TIFF"),
            saved(rgb, "TIFF", save_all=True, append_images=frames),
            saved(rgb, "TIFF", compression="tiff_lzw"),
        ],
    }


def _png_chunks(data: bytes) -> list[bytes]:
    pos, found = 8, []
    while pos + 8 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        found.append(data[pos : pos + 12 + length])
        pos += 12 + length
    return found


def _ihdr(width: int, height: int, depth: int = 8, colour: int = 2, filt: int = 0) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, filt, 0))


PNG_ODD = [
    chunk(b"tEXt", b"Comment\x00hello"), chunk(b"zTXt", b"k\x00\x00" + zlib.compress(b"v")),
    chunk(b"zTXt", b"k\x00\x00notzlib"), chunk(b"zTXt", b"k\x00\x05x"),
    chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(b"x" * 200)), chunk(b"iCCP", b"icc"),
    chunk(b"iCCP", b"icc\x00\x05xx"), chunk(b"tRNS", b"\x00\x01"), chunk(b"tRNS", b""),
    chunk(b"PLTE", b"\x00" * 9), chunk(b"acTL", struct.pack(">II", 2, 0)),
    chunk(b"fcTL", struct.pack(">IIIIIHHBB", 0, 24, 16, 0, 0, 1, 1, 0, 0)),
    chunk(b"fcTL", struct.pack(">IIIIIHHBB", 0, 99, 16, 0, 0, 1, 1, 0, 0)),
    _ihdr(32, 8), _ihdr(0xFFFFFFFF, 8), _ihdr(24, 16, colour=7), _ihdr(24, 16, filt=1),
    chunk(b"IHDR", b"short"), chunk(b"eXIf", exif_bytes(3)), chunk(b"gAMA", b"\x00\x01"),
    chunk(b"sRGB", b""), chunk(b"pHYs", b"\x00" * 9), chunk(b"cHRM", b"\x00" * 32),
    chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp_packet(8)),
    chunk(b"CgBI", b"\x50\x00\x20\x06"), chunk(b"IEND", b""), chunk(b"IDAT", b"x"),
    chunk(b"fdAT", b"\x00\x00\x00\x01" + zlib.compress(b"\x00" * 1000)),
    b"\x00\x00\x00\x05bad!12345\x00\x00\x00\x00",
]  # fmt: skip


def mutate_png(rng: random.Random, data: bytes) -> bytes:
    chunks = _png_chunks(data)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(chunks))
        op = rng.choice(["dup", "del", "swap", "insert", "insert", "many", "cut"])
        if op == "dup":
            chunks.insert(at, chunks[at])
        elif op == "del" and len(chunks) > 1:
            del chunks[at]
        elif op == "swap":
            other = rng.randrange(len(chunks))
            chunks[at], chunks[other] = chunks[other], chunks[at]
        elif op == "insert":
            chunks.insert(at, rng.choice(PNG_ODD))
        elif op == "many":
            chunks[at:at] = [rng.choice(PNG_ODD[:3])] * rng.choice([10, 1100, 3000])
        elif op == "cut":
            chunks[at] = chunks[at][: rng.randrange(len(chunks[at]) + 1)]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def _segments(data: bytes) -> list[bytes]:
    pos, found = 2, []
    while pos + 4 <= len(data):
        if data[pos + 1] == 0xDA:
            found.append(data[pos:])
            break
        (length,) = struct.unpack_from(">H", data, pos + 2)
        found.append(data[pos : pos + 2 + length])
        pos += 2 + length
    return found


def segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def _sof(bits: int = 8, height: int = 16, components: int = 3, extra: bytes = b"") -> bytes:
    body = struct.pack(">BHHB", bits, height, 24, components)
    return segment(0xC0, body + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"[: 3 * components] + extra)


JPEG_ODD = [
    segment(0xFE, b"comment"), segment(0xE1, EXIF), segment(0xE1, b"Exif\x00\x00MM\x00*\xff"),
    segment(0xE2, b"ICC_PROFILE\x00\x01\x01" + b"x" * 100), segment(0xE2, b"ICC_PROFILE\x00"),
    segment(0xE2, b"MPF\x00MM\x00*\x00\x00\x00\x08\x00\x00"),
    segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10"),
    segment(0xDB, b"\x00" + b"\x01" * 64), segment(0xDB, b"\x00" + b"\x01" * 10),
    _sof(), _sof(bits=12), _sof(bits=133), _sof(height=0), _sof(components=2), _sof(extra=b"\x01"),
    segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), segment(0xE0, b"JFIF\x00"),
    segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01"), segment(0xEE, b"Adobe"),
    segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet(5)), segment(0xDD, b""),
    b"\xff\xd8", b"\xff\x01", b"\xff\x00", b"\xff" * 7, b"junkjunk", b"\xff\xd0", b"\xff\xd9",
    segment(0xCC, b"\x00\x00"), segment(0xF0, b"xx"), segment(0xC4, b"\x00" * 17),
]  # fmt: skip


def mutate_jpeg(rng: random.Random, data: bytes) -> bytes:
    segs = _segments(data)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(segs))
        op = rng.choice(["dup", "del", "insert", "insert", "many", "cut", "field"])
        last = at == len(segs) - 1  # the scan and its data
        if op == "dup" and not last:
            segs.insert(at, segs[at])
        elif op == "del" and not last:
            del segs[at]
        elif op == "insert":
            segs.insert(min(at, len(segs) - 1), rng.choice(JPEG_ODD))
        elif op == "many":
            filler = rng.choice([JPEG_ODD[0], b"\xff", b"\x00"])
            segs[at:at] = [filler] * rng.choice([10, 5000, 70000])
        elif op == "cut":
            segs[-1] = segs[-1][: rng.randrange(len(segs[-1]) + 1)]
        elif op == "field" and len(segs[at]) > 6:
            edited = bytearray(segs[at])
            edited[rng.randrange(4, len(edited))] = rng.choice([0, 1, 3, 5, 12, 16, 133, 255])
            segs[at] = bytes(edited)
    return b"\xff\xd8" + b"".join(segs)


def _webp_chunk(fourcc: bytes, body: bytes) -> bytes:
    pad = b"\x00" if len(body) & 1 else b""
    return fourcc + struct.pack("<I", len(body)) + body + pad


WEBP_ODD = [
    _webp_chunk(b"EXIF", EXIF[6:]), _webp_chunk(b"XMP ", xmp_packet(3)),
    _webp_chunk(b"ICCP", b"x" * 30), _webp_chunk(b"ZZZZ", b"abc"),
    b"ZZZZ" + struct.pack("<I", 0xFFFFFF00), _webp_chunk(b"ALPH", b"\x00" * 10),
    _webp_chunk(b"VP8X", b"\x00" * 10), _webp_chunk(b"ANIM", b"\x00" * 6),
    _webp_chunk(b"unkn", b""), b"ZZZZ" + struct.pack("<I", 100),
]  # fmt: skip


def mutate_webp(rng: random.Random, data: bytes) -> bytes:
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        (length,) = struct.unpack_from("<I", data, pos + 4)
        end = pos + 8 + length + (length & 1)
        chunks.append(data[pos:end])
        pos = end
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(chunks) + 1)
        op = rng.choice(["dup", "del", "insert", "insert", "swap"])
        if op == "dup" and at < len(chunks):
            chunks.insert(at, chunks[at])
        elif op == "del" and at < len(chunks) and len(chunks) > 1:
            del chunks[at]
        elif op == "insert":
            chunks.insert(at, rng.choice(WEBP_ODD))
        elif op == "swap" and len(chunks) > 1:
            a, b = rng.randrange(len(chunks)), rng.randrange(len(chunks))
            chunks[a], chunks[b] = chunks[b], chunks[a]
    body = b"WEBP" + b"".join(chunks)
    size = len(body)
    if rng.random() < 0.2:
        size = max(0, rng.choice([size - 10, size + 10, 0xFFFFFFF0, size - 1]))
    return b"RIFF" + struct.pack("<I", size) + body


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """``test_probe_fuzz``'s hostile strategy, drawn from a seeded generator."""
    edited = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(edited))
        op = rng.choice(["flip", "insert", "length", "cut"])
        if op == "flip":
            edited[at] = rng.randrange(256)
        elif op == "insert":
            edited[at:at] = rng.randbytes(rng.randint(1, 16))
        elif op == "length" and at + 4 <= len(edited):
            fmt = rng.choice([">I", "<I"])
            edited[at : at + 4] = struct.pack(fmt, rng.choice(EXTREMES))
        elif op == "cut" and at > 0:
            del edited[at:]
    return bytes(edited)


STRUCTURED: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "png": mutate_png,
    "jpeg": mutate_jpeg,
    "webp": mutate_webp,
}


def corpus(count: int, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """``count`` mutated files as ``(name, bytes)``; the same ones on every run."""
    pool = seeds()
    kinds = sorted(pool)
    for index in range(count):
        rng = random.Random(seed * 1_000_003 + index)
        kind = rng.choice(kinds)
        data = rng.choice(pool[kind])
        structured = STRUCTURED.get(kind)
        if structured is not None and rng.random() < 0.8:
            data = structured(rng, data)
        else:
            data = mutate_bytes(rng, data)
        yield f"fuzz-{index:05d}.{kind}", data
