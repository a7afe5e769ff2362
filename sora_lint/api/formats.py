"""Which format a prepared image is written in, and what an API counts of its bytes."""

from __future__ import annotations

from sora_lint.errors import UsageError
from sora_lint.types import Profile

#: The formats ``prepare`` writes (those ``--fix`` re-encodes), in the order it prefers them
#: for a picture with transparency and for one without.
WRITTEN = ("JPEG", "PNG", "WEBP")
_WITH_ALPHA = ("PNG", "WEBP")
_NAMES = {
    "jpeg": "JPEG", "jpg": "JPEG", "image/jpeg": "JPEG", "png": "PNG", "image/png": "PNG",
    "webp": "WEBP", "image/webp": "WEBP",
}  # fmt: skip


def requested_format(raw: str | None, profile: Profile) -> str | None:
    """The ``format`` a call asks for (``"png"``, ``"JPEG"``, ``"image/webp"``), checked
    against what the model accepts; ``None`` when it asks for none."""
    if raw is None:
        return None
    fmt = _NAMES.get(raw.strip().lower()) if isinstance(raw, str) else None
    if fmt is None:
        raise UsageError(f"format: {raw!r} is not one of: jpeg, png, webp")
    if fmt not in profile.formats:
        taken = ", ".join(f for f in WRITTEN if f in profile.formats) or "none of them"
        raise UsageError(f"format: {profile.name} does not accept {fmt}; it takes {taken}")
    return fmt


def output_format(
    profile: Profile, source: str, requested: str | None, alpha: bool, lossless: bool
) -> str:
    """The format to write: the one asked for; else the source's when the model takes it;
    else one that keeps what the picture has (transparency, a lossless picture as PNG) among
    those the model takes. Raises :class:`UsageError` when the model takes none of them."""
    if requested is not None:
        return requested
    own = "JPEG" if source == "MPO" else source
    if own in profile.formats and own in WRITTEN:
        return own
    order = ("PNG", "WEBP", "JPEG") if alpha or lossless else ("JPEG", "WEBP", "PNG")
    for fmt in order:
        if fmt in profile.formats:
            return fmt
    raise UsageError(
        f"{profile.name} accepts none of the formats sora-lint writes (JPEG, PNG, WebP)"
    )


def holds_alpha(fmt: str) -> bool:
    return fmt in _WITH_ALPHA


def lossy_instead(profile: Profile, alpha: bool) -> str | None:
    """A lossy format the model takes, for a lossless picture too large for the limit
    (lossy WebP keeps transparency; JPEG does not)."""
    for fmt in ("WEBP",) if alpha else ("JPEG", "WEBP"):
        if fmt in profile.formats:
            return fmt
    return None


def sent_size(nbytes: int, profile: Profile, delivery: str, mime_type: str) -> int:
    """What the API compares with its byte limit for ``nbytes`` sent this way: a data URI's
    whole length where it counts the encoded text (Runway), else the bytes (as SL023)."""
    if delivery != "data-uri" or profile.data_uri_counts != "encoded":
        return nbytes
    prefix = len(f"data:{mime_type};base64,") if profile.inline_form == "data-uri" else 0
    return 4 * -(-nbytes // 3) + prefix
