"""PNG metadata chunks that carry an orientation, read the way Pillow keeps them in ``info``.

Split from the PNG prober: eXIf, and the text chunks Pillow's ``getexif()`` falls back to
("Raw profile type exif", XMP in ``XML:com.adobe.xmp``). Compressed text is inflated with
Pillow's 1 MiB cap, since Pillow refuses a PNG whose zTXt chunk is broken or a bomb.
"""

from __future__ import annotations

import contextlib
import zlib

from sora_lint.types import ProblemKind

from . import orient

#: Pillow's cap on one decompressed text chunk (``ImageFile.SAFEBLOCK``).
MAX_TEXT = 1024 * 1024
#: Keywords of the text chunks that carry an orientation.
TEXT_KEYS = (b"Raw profile type exif", b"XML:com.adobe.xmp")


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
    xmp: bytes | None = None

    def take(self, cid: bytes, data: bytes) -> None:
        if cid == b"eXIf":
            self.exif = data
            return
        try:
            text = text_chunk(cid, data)
        except zlib.error as exc:
            raise PngError(
                ProblemKind.CORRUPT, f"corrupt PNG: compressed text chunk: {exc}"
            ) from None
        if text is not None:
            key, value = text
            if key == b"XML:com.adobe.xmp":
                self.xmp = value
            else:
                self.raw_exif = value

    def orientation(self) -> int:
        exif = self.exif
        if exif is None and self.raw_exif is not None:
            try:
                exif = bytes.fromhex("".join(self.raw_exif.decode("latin-1").split("\n")[3:]))
            except ValueError:
                return 1  # Pillow's getexif() raises here: no usable orientation
        return orient.orientation(exif, self.xmp)


def text_chunk(cid: bytes, data: bytes) -> tuple[bytes, bytes] | None:
    """The keyword and value of a text chunk Pillow reads orientation from, else ``None``.

    Compressed text is inflated (at most 1 MiB, like Pillow) whatever its keyword: Pillow
    refuses a file whose zTXt chunk is broken or a bomb, so this prober does too.
    """
    key, _, rest = data.partition(b"\x00")
    if cid == b"zTXt":
        if rest[:1] not in (b"", b"\x00"):
            raise PngError(ProblemKind.CORRUPT, "corrupt PNG: unknown zTXt compression method")
        value = inflate_text(rest[1:])
        return (key, value) if key in TEXT_KEYS else None
    if key not in TEXT_KEYS:
        return None  # nothing else in a tEXt or iTXt chunk can refuse the file
    if cid == b"tEXt":
        value = rest
    elif cid == b"iTXt":
        if len(rest) < 2 or rest[2:].count(b"\x00") < 2:
            return None
        compressed, method = rest[0], rest[1]
        value = rest[2:].split(b"\x00", 2)[2]
        if compressed and method != 0:
            return None
        if compressed:
            try:
                value = inflate_text(value)
            except zlib.error:
                return None  # Pillow skips an iTXt chunk it cannot inflate
    else:
        return None
    return key, value


def inflate_text(data: bytes) -> bytes:
    """Inflate a text chunk as Pillow does: more than 1 MiB out and the file is refused."""
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, MAX_TEXT)
    if inflater.unconsumed_tail:
        raise PngError(ProblemKind.CORRUPT, "corrupt PNG: a text chunk inflates to more than 1 MiB")
    return out


def take_quietly(meta: Meta, cid: bytes, data: bytes) -> None:
    """A broken chunk after the image data only fails Pillow's full decode, never the open."""
    with contextlib.suppress(PngError):
        meta.take(cid, data)
