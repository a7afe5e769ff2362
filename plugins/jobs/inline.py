"""Images written into a job instead of named by it: a data URI (``data:image/png;base64,…``)
or bare base64 (Kling's ``image``, Veo's ``bytesBase64Encoded``).

Only the text is looked at: its length (what an API's byte limit counts), the type a data URI
declares, and the format its first bytes are, decoded from at most :data:`SNIFF_CHARS`
characters. Nothing is decoded in full and nothing is written.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

#: Characters decoded to tell the format (24 bytes: enough for every magic number below).
SNIFF_CHARS = 32
#: Bare base64 shorter than this is taken for a path (no image is that small).
MIN_BASE64 = 64
_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")
_DATA_URI = re.compile(r"^data:([^,;]*)((?:;[^,;]*)*),", re.IGNORECASE)
#: The longest image-type text kept from a data URI (longer ones are shown cut), and where
#: its comma must be by (a data URI's header is short; past that it is malformed).
MAX_TYPE = 100
MAX_HEADER = 1024


def sniff(head: bytes) -> str | None:
    """The content format of an image's first bytes, in the probers' names, or ``None``."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"BM"):
        return "BMP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"):
            return "HEIF"
    return None


def _head(payload: str) -> bytes:
    chunk = payload[:SNIFF_CHARS]
    chunk = chunk[: len(chunk) - len(chunk) % 4]
    try:
        return base64.b64decode(chunk, validate=True)
    except (binascii.Error, ValueError):
        return b""


def inline_form(reference: str) -> str | None:
    """``data-uri``, ``base64`` or ``None`` (a path or a URL). Bare base64 is recognised by
    the image it starts with: a path is never base64 of a JPEG's or PNG's first bytes."""
    if reference[:5].lower() == "data:":
        return "data-uri"
    text = reference.strip()
    if len(text) < MIN_BASE64 or not _BASE64.match(text[:4096]):
        return None
    return "base64" if sniff(_head(text)) is not None else None


@dataclass(frozen=True)
class InlineImage:
    """An image written into a job: its form, the type it declares (a data URI's), whether
    it is base64 at all, the length of the whole text and of the base64 payload, the
    image's size in bytes (from the payload's length) and the format its bytes start with."""

    form: str
    declared: str | None
    is_base64: bool
    length: int
    payload_length: int
    byte_size: int
    format: str | None


def read_inline(reference: str) -> InlineImage | None:
    form = inline_form(reference)
    if form is None:
        return None
    payload, declared, encoded = reference.strip(), None, True
    if form == "data-uri":
        match = _DATA_URI.match(reference[:MAX_HEADER])
        if match is None:
            return InlineImage(form, None, False, len(reference), 0, 0, None)
        declared = match.group(1).strip()[:MAX_TYPE] or None
        encoded = "base64" in (p.strip().lower() for p in match.group(2).split(";"))
        payload = reference[match.end() :]
    padding = len(payload) - len(payload.rstrip("="))
    size = max(0, len(payload) * 3 // 4 - padding) if encoded else 0
    fmt = sniff(_head(payload)) if encoded else None
    return InlineImage(form, declared, encoded, len(reference), len(payload), size, fmt)
