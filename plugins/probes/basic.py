"""First look at every file: empty, a Git LFS pointer, or a format sora-lint never opens.

Runs before every other prober (``tryfirst``) and only reads ``head``. Naming what we refuse
(EPS, PDF, SVG, HEIF, JXL, …) lets the rules say "HEIF is not a format sora-2 accepts" instead
of "not an image", without ever handing such bytes to Pillow (EPS starts Ghostscript).
Anything else is left to the other probers (``None``).
"""

from __future__ import annotations

import re
import struct

from sora_lint.hookspecs import hookimpl
from sora_lint.run.probe_reader import ProbeReader
from sora_lint.types import ProbeResult, Problem, ProblemKind

#: Git LFS pointers are tiny text files (the spec caps them at 1024 bytes).
LFS_MAX_BYTES = 1024
_LFS_VERSIONS = (
    b"version https://git-lfs.github.com/spec/v1",
    b"version https://hawser.github.com/spec/v1",
)
_LFS_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})\s*$", re.MULTILINE)
_LFS_SIZE = re.compile(rb"^size ([0-9]{1,20})\s*$", re.MULTILINE)

#: Signatures of the formats other probers read: nothing to name here.
_COMMON = (
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"RIFF",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
)
#: ISO-BMFF brands (``ftyp`` major or compatible) of still-image HEIF files.
_HEIF_BRANDS = frozenset(
    b"heic heix heim heis hevc hevx hevm hevs mif1 msf1 mif2 mif3 avci avcs heif".split()
)
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_VIDEO_BRANDS = {
    b"qt  ": "MOV",
    b"isom": "MP4",
    b"iso2": "MP4",
    b"mp41": "MP4",
    b"mp42": "MP4",
    b"avc1": "MP4",
    b"M4V ": "MP4",
    b"3gp4": "3GP",
    b"3gp5": "3GP",
    b"crx ": "CR3",
}
#: Magic prefixes of formats we name but never open: (prefix, format, what it is).
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%!PS", "EPS", "PostScript/EPS"),
    (b"\xc5\xd0\xd3\xc6", "EPS", "DOS EPS"),
    (b"%PDF-", "PDF", "PDF"),
    (b"\xd7\xcd\xc6\x9a", "WMF", "Windows Metafile"),
    (b"\xff\x0a", "JXL", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "JXL", "JPEG XL"),
    (b"II\xbc\x01", "JXR", "JPEG XR"),
    (b"gimp xcf ", "XCF", "GIMP XCF"),
    (b"v/1\x01", "EXR", "OpenEXR"),
    (b"#?RADIANCE", "HDR", "Radiance HDR"),
    (b"#?RGBE", "HDR", "Radiance HDR"),
    (b"BPG\xfb", "BPG", "BPG"),
    (b"FLIF", "FLIF", "FLIF"),
    (b"8BPS\x00\x02", "PSB", "Photoshop large document (PSB)"),
)
_PNM = re.compile(rb"\AP[1-6][ \t\r\n]+(?:#[^\n]*\n\s*)*[0-9]")
_MVG = re.compile(rb"\A\s*(?:push\s+graphic-context|viewbox\s+[0-9])", re.IGNORECASE)
_SVG_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<(?:\?xml|svg|!--|!DOCTYPE\s+svg)", re.IGNORECASE)
_SVG_TAG = re.compile(rb"<svg[\s>]", re.IGNORECASE)
#: How far into a text file to look for the ``<svg`` root element.
SVG_SNIFF_BYTES = 4096
#: How far the sniffs may look. The PNM and MVG patterns allow any run of whitespace (or PNM
#: comments), so a file that starts like one is sniffed over this many bytes, however few the
#: core read: the answer never depends on the head's length.
SNIFF_BYTES = 64 * 1024
#: First bytes of the files whose sniff may run past a short head (PNM, MVG, whitespace).
_LONG_SNIFF = frozenset(b"PpVv \t\n\r\x0b\x0c")


@hookimpl(tryfirst=True)
def sora_lint_probe(head: bytes, byte_size: int, reader: ProbeReader) -> ProbeResult | None:
    """Answer for empty files, LFS pointers and formats never opened; else ``None``."""
    if byte_size == 0 or not head:
        return ProbeResult(None, problem=Problem(ProblemKind.EMPTY, "file is empty (0 bytes)"))
    if head.startswith(_COMMON):
        return None  # the usual case, settled by one comparison
    if byte_size <= LFS_MAX_BYTES and head.startswith(_LFS_VERSIONS):
        return _lfs_pointer(head)
    if head[0] in _LONG_SNIFF and len(head) < min(byte_size, SNIFF_BYTES):
        head = _longer_head(reader, head)
    found = sniff(head)
    if found is None:
        return None
    fmt, what = found
    message = f"{what} content; not opened (sora-lint never hands {fmt} to an image decoder)"
    return ProbeResult(fmt, problem=Problem(ProblemKind.NOT_OPENED, message))


def _longer_head(reader: ProbeReader, head: bytes) -> bytes:
    """The first :data:`SNIFF_BYTES` of the file; the head as it was if they cannot be read."""
    try:
        return head + reader.read(len(head), SNIFF_BYTES - len(head))
    except OSError:
        return head


def sniff(head: bytes) -> tuple[str, str] | None:
    """Name a format sora-lint refuses to open, from its first bytes: ``(format, what)``."""
    for prefix, fmt, what in _MAGIC:
        if head.startswith(prefix):
            return fmt, what
    if head[4:8] == b"ftyp":
        return _iso_bmff(head)
    if head[:4] == b"\x01\x00\x00\x00" and head[40:44] == b" EMF":
        return "EMF", "Enhanced Metafile"
    if head[:2] in (b"\x01\x00", b"\x02\x00") and head[2:6] == b"\x09\x00\x00\x03":
        return "WMF", "Windows Metafile"
    if _is_icon(head):
        return "ICO", "Windows icon"
    if _PNM.match(head):
        return "PPM", "Netpbm (PBM/PGM/PPM)"
    if _MVG.match(head):
        return "MVG", "ImageMagick MVG drawing script"
    if _SVG_START.match(head) and _SVG_TAG.search(head, 0, SVG_SNIFF_BYTES):
        return "SVG", "SVG"
    return None


def _is_icon(head: bytes) -> bool:
    """An ICO directory: Pillow decodes the icon inside ``Image.open``, so it is named here."""
    if len(head) < 22 or head[:4] != b"\x00\x00\x01\x00":
        return False
    (count,) = struct.unpack_from("<H", head, 4)
    reserved, planes = head[9], struct.unpack_from("<H", head, 10)[0]
    return 0 < count <= 256 and reserved in (0, 255) and planes <= 1


def _iso_bmff(head: bytes) -> tuple[str, str] | None:
    """HEIF, video and other ISO-BMFF files; AVIF is left to Pillow, which reads it."""
    (box,) = struct.unpack_from(">I", head, 0)
    end = min(box, len(head), 4096) if box >= 16 else 16
    brands = {head[8:12]}
    brands.update(head[i : i + 4] for i in range(16, end - 3, 4))
    if brands & _AVIF_BRANDS:
        return None
    if head[8:12] == b"jxl ":
        return "JXL", "JPEG XL"
    if brands & _HEIF_BRANDS:
        return "HEIF", "HEIF/HEIC"
    for brand in (head[8:12], *sorted(brands)):
        if brand in _VIDEO_BRANDS:
            fmt = _VIDEO_BRANDS[brand]
            return fmt, f"{fmt} video" if fmt != "CR3" else "Canon raw (CR3)"
    return None


def _lfs_pointer(head: bytes) -> ProbeResult:
    oid = _LFS_OID.search(head)
    size = _LFS_SIZE.search(head)
    if oid is None or size is None:
        message = "Git LFS pointer (malformed: no oid or size line): run `git lfs pull`"
    else:
        real = int(size.group(1))
        short = oid.group(1)[:12].decode()
        message = f"Git LFS pointer (oid sha256:{short}…, {real:,} bytes): run `git lfs pull`"
    return ProbeResult(None, problem=Problem(ProblemKind.LFS_POINTER, message))
