"""PNG text and EXIF chunks, read the way Pillow keeps them in ``info``.

Split from the PNG prober: eXIf, and the text chunks (tEXt, zTXt, iTXt) whose keywords
Pillow's ``getexif()`` reads an orientation from ("Raw profile type exif", XMP, a tEXt
``exif``). Compressed text is inflated with Pillow's 1 MiB cap, since Pillow refuses a PNG
whose compressed text is a bomb (it only drops one that does not inflate).
"""

from __future__ import annotations

import contextlib
import zlib

from sora_lint.types import ProblemKind

from . import orient

#: Pillow's cap on one decompressed text chunk (``ImageFile.SAFEBLOCK``).
MAX_TEXT = 1024 * 1024
#: Keywords of the text chunks that carry an orientation.
TEXT_KEYS = (b"Raw profile type exif", b"XML:com.adobe.xmp", b"exif")


class PngError(Exception):
    """A PNG Pillow would refuse: the problem kind and a message for the user."""

    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Meta:
    """Orientation sources, as Pillow keeps them in ``info`` (class attributes are the
    defaults, so a PNG without them costs one empty object)."""

    exif: bytes | None = None
    raw_exif: bytes | None = None
    xmp: bytes | None = None  # info["XML:com.adobe.xmp"], a tEXt/zTXt/iTXt value
    itxt_xmp: bytes | None = None  # info["xmp"], set by an iTXt chunk only

    def take(self, cid: bytes, data: bytes) -> int:
        """Keep what chunk ``cid`` sets; return the text length Pillow counts for it."""
        if cid == b"eXIf":
            self.exif = b"Exif\x00\x00" + data
            return 0
        if cid == b"tEXt":
            key, _, value = data.partition(b"\x00")
        elif cid == b"zTXt":
            key, value = _ztxt(data)
        elif cid == b"iTXt":
            found = _itxt(data)
            if found is None:
                return 0
            key, value, text = found
            if key == b"XML:com.adobe.xmp":
                self.itxt_xmp = value  # Pillow keeps it as bytes, text or not
            if text is None:
                return 0
            value = text
        else:
            return 0
        if not key:
            return 0
        if key == b"exif" and cid == b"tEXt":
            self.exif = value
        elif key == b"Raw profile type exif":
            self.raw_exif = value
        elif key == b"XML:com.adobe.xmp":
            self.xmp = value
        return len(value)

    def orientation(self) -> int:
        exif = self.exif
        if exif is None and self.raw_exif is not None:
            try:
                exif = bytes.fromhex("".join(self.raw_exif.decode("latin-1").split("\n")[3:]))
            except ValueError:
                return 1  # Pillow's getexif() raises here: no usable orientation
        return orient.orientation(exif, self.xmp or self.itxt_xmp)


def _ztxt(data: bytes) -> tuple[bytes, bytes]:
    key, _, rest = data.partition(b"\x00")
    if rest[:1] not in (b"", b"\x00"):
        raise PngError(ProblemKind.CORRUPT, "corrupt PNG: unknown zTXt compression method")
    try:
        return key, inflate_text(rest[1:])
    except zlib.error:
        return key, b""  # Pillow keeps an empty text and reads on


def _itxt(data: bytes) -> tuple[bytes, bytes, bytes | None] | None:
    """Keyword, value, and the value again if it is UTF-8 text (``None`` if not: Pillow then
    keeps it only as XMP); ``None`` for a chunk Pillow skips."""
    key, found, rest = data.partition(b"\x00")
    if not found or len(rest) < 2 or rest[2:].count(b"\x00") < 2:
        return None
    compressed, method = rest[0], rest[1]
    lang, tk, value = rest[2:].split(b"\x00", 2)
    if compressed:
        if method != 0:
            return None
        try:
            value = inflate_text(value)
        except zlib.error:
            return None
    try:
        for part in (lang, tk, value):
            part.decode("utf-8")
    except UnicodeDecodeError:
        return key, value, None
    return key, value, value


def inflate_text(data: bytes) -> bytes:
    """Inflate a text chunk as Pillow does: more than 1 MiB out and the file is refused."""
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, MAX_TEXT)
    if inflater.unconsumed_tail:
        raise PngError(
            ProblemKind.CORRUPT, "corrupt PNG: a compressed chunk inflates to more than 1 MiB"
        )
    return out


def take_quietly(meta: Meta, cid: bytes, data: bytes) -> None:
    """A broken chunk after the image data only fails Pillow's full decode, never the open."""
    with contextlib.suppress(PngError):
        meta.take(cid, data)
