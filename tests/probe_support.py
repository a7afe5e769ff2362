"""Helpers for the prober tests: call one prober on a real file, build headers by hand."""

from __future__ import annotations

import inspect
import struct
import warnings
import zlib
from pathlib import Path
from types import ModuleType

from PIL import Image

from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.probe_reader import open_reader
from sora_lint.types import ProbeResult

HEAD = 64 * 1024


def probe(module: ModuleType, path: Path, head_bytes: int = HEAD) -> ProbeResult | None:
    """Call ``module``'s prober as the core does: the file's first bytes, its size and a
    reader over it (64 KiB read up front unless ``head_bytes`` says otherwise)."""
    with open_reader(path, head_bytes) as reader:
        given = {"path": path, "head": reader.head, "byte_size": reader.size, "reader": reader}
        taken = inspect.signature(module.sora_lint_probe).parameters  # as pluggy passes them
        result: ProbeResult | None = module.sora_lint_probe(**{k: given[k] for k in taken})
    return result


def host_probe(host: PluginHost, path: Path) -> ProbeResult | None:
    """Every registered prober in turn, as the core calls them, on the file's first 64 KiB."""
    with open_reader(path) as reader:
        return host.probe(path, reader.head, reader.size, reader)


def probe_bytes(module: ModuleType, path: Path, data: bytes) -> ProbeResult | None:
    path.write_bytes(data)
    return probe(module, path)


def pillow_view(path: Path) -> dict[str, object]:
    """What Pillow says about a file: the reference the fast probers must agree with."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Image.open(path) as image:
            try:
                raw = image.getexif().get(0x0112)
            except SyntaxError:  # a broken EXIF block: Pillow has no orientation to give
                raw = None
            return {
                "format": image.format,
                "size": image.size,
                "mode": image.mode,
                "frames": getattr(image, "n_frames", 1),
                "orientation": raw if isinstance(raw, int) and 1 <= raw <= 8 else 1,
                "alpha": image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info,
            }


def chunk(cid: bytes, data: bytes) -> bytes:
    """A PNG chunk with a correct CRC."""
    crc = zlib.crc32(data, zlib.crc32(cid))
    return struct.pack(">I", len(data)) + cid + data + struct.pack(">I", crc)


def png(
    width: int,
    height: int,
    depth: int = 8,
    colour: int = 2,
    before: tuple[bytes, ...] = (),
    after: tuple[bytes, ...] = (),
    idat: bytes | None = None,
) -> bytes:
    """A PNG built chunk by chunk; ``idat`` defaults to real, all-zero scanlines."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    if idat is None:
        row = 1 + (width * channels * depth + 7) // 8
        idat = zlib.compress(b"\x00" * row * height)
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + b"".join(before)
        + chunk(b"IDAT", idat)
        + b"".join(after)
        + chunk(b"IEND", b"")
    )


def exif_bytes(orientation: int, big_endian: bool = False, other_tags: int = 0) -> bytes:
    """A TIFF structure with IFD0 holding ``other_tags`` dummy tags then Orientation."""
    e = ">" if big_endian else "<"
    entries = [struct.pack(e + "HHLL", 0x9000 + i, 4, 1, i) for i in range(other_tags)]
    value = struct.pack(e + "H", orientation) + b"\x00\x00"
    entries.append(struct.pack(e + "HHL", 0x0112, 3, 1) + value)
    ifd = struct.pack(e + "H", len(entries)) + b"".join(entries) + struct.pack(e + "L", 0)
    return (b"MM\x00*" if big_endian else b"II*\x00") + struct.pack(e + "L", 8) + ifd


def xmp_packet(orientation: int) -> bytes:
    return (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="'
        + str(orientation).encode()
        + b'"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
