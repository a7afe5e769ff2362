"""What one image-to-video model accepts: the ``Profile`` value and its parts.

Profiles are data (bundled TOML files, config tables, plugins); this module only defines
their shape and answers questions about one (its byte limit per delivery, what the API does
with a near miss). Re-exported by :mod:`sora_lint.types`, the public import path.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sora_lint.values.size import Size

#: What an API does with an image (or a request) that misses one of its limits: ``reject``
#: it (an error), or adapt: ``crop`` or ``pad`` the image to what it takes, ``follow`` the
#: image instead of the request, ``resize`` it, or ``unconfirmed`` (it is not rejected as far
#: as anyone documents, but what happens is not known). Adapting is a warning.
NEAR_MISS_ACTIONS = ("reject", "crop", "pad", "follow", "resize", "unconfirmed")

#: How an image reaches the API: a URL it fetches, a base64 data URI in the request, or an
#: upload (multipart or the vendor's upload endpoint). Byte limits often differ per way.
DELIVERIES = ("url", "data-uri", "upload")


@dataclass(frozen=True)
class Fact:
    """Where one fact of a profile comes from: the key it backs (``max-bytes``,
    ``near-miss.aspect``, ...), the page, whether that page is the vendor's own, when it was
    checked, and a note (what could not be confirmed, where only third parties agree)."""

    key: str
    source_url: str = ""
    vendor: bool = False
    checked: str = ""
    note: str = ""


@dataclass(frozen=True)
class Combination:
    """A rule between two request parameters of a job: when ``when`` is present (and, if
    ``values`` is not empty, one of them), ``then`` must be one of ``allowed``. ``action`` is
    what the API does otherwise (a :data:`NEAR_MISS_ACTIONS` value); ``reason`` says why."""

    when: str
    values: tuple[str, ...]
    then: str
    allowed: tuple[str, ...]
    reason: str = ""
    action: str = "reject"


@dataclass(frozen=True)
class Profile:
    """What one image-to-video model accepts; data provided by plugins, never by the core.

    ``sizes`` lists the exact sizes the model takes (empty: any size within the other limits).
    ``source``/``checked`` say where the facts come from and when they were last verified;
    ``facts`` says it per fact. ``seconds`` lists the durations a job may ask for (strings,
    as on the wire) and ``seconds_range`` an inclusive range of whole seconds (both empty:
    not checked); ``max_prompt`` is the longest prompt in ``prompt_unit`` (characters or
    UTF-16 code units). ``aliases`` are the vendor's model ids (and old names) that select
    this profile. ``near_miss`` maps a constraint (``aspect``, ``ratio``, ``min-side``, ...)
    to what the API does when an image misses it (default ``reject``).

    ``delivery_limits`` are byte limits per way of sending (:data:`DELIVERIES`); ``max_bytes``
    applies to any other way. A data URI is measured as the API counts it
    (``data_uri_counts``: ``encoded``, its whole length, or ``decoded``, the image's bytes);
    ``inline_form`` is how a job must write an inline image (``data-uri`` with its MIME type,
    or bare ``base64``). ``type_from`` says where the API learns the image's type: ``name``
    (the declared MIME type, which uploads take from the file name) or ``content`` (the
    bytes); ``content_check`` is true where the API rejects an image whose bytes are not the
    declared type. ``ratios`` and ``resolutions`` are the values a job may ask for the output;
    ``combinations`` the rules between a job's parameters.
    """

    name: str
    sizes: tuple[Size, ...]
    formats: frozenset[str]
    description: str = ""
    source: str = ""
    source_url: str = ""
    checked: str = ""
    vendor_source: bool = True
    status: str = "active"
    notes: str = ""
    aspect_ratios: tuple[Fraction, ...] = ()
    aspect_range: tuple[Fraction, Fraction] | None = None
    aspect_tolerance: float = 0.0
    min_side: int | None = None
    max_side: int | None = None
    max_pixels: int | None = None
    max_bytes: int | None = None
    seconds: tuple[str, ...] = ()
    max_prompt: int | None = None
    aliases: tuple[str, ...] = ()
    aspect_labels: tuple[str, ...] = ()
    seconds_range: tuple[int, int] | None = None
    prompt_unit: str = "characters"
    delivery_limits: tuple[tuple[str, int], ...] = ()
    data_uri_counts: str = "decoded"
    inline_form: str = "data-uri"
    type_from: str = "name"
    content_check: bool = False
    ratios: tuple[str, ...] = ()
    resolutions: tuple[str, ...] = ()
    near_miss: tuple[tuple[str, str, str], ...] = ()
    combinations: tuple[Combination, ...] = ()
    job_schema: str = ""
    facts: tuple[Fact, ...] = ()

    @property
    def exact(self) -> bool:
        """True when only the listed sizes are accepted (Sora 2 style)."""
        return bool(self.sizes)

    def action(self, constraint: str) -> str:
        """What the API does with an image that misses ``constraint`` (``reject`` unless the
        profile says otherwise)."""
        for key, action, _ in self.near_miss:
            if key == constraint:
                return action
        return "reject"

    def near_miss_detail(self, constraint: str) -> str:
        """The profile's own words on how the API adapts (e.g. which parameter decides)."""
        for key, _, detail in self.near_miss:
            if key == constraint:
                return detail
        return ""

    def byte_limit(self, delivery: str) -> int | None:
        """The byte limit for images sent this way (``max_bytes`` when none is listed)."""
        for way, limit in self.delivery_limits:
            if way == delivery:
                return limit
        return self.max_bytes

    def fact(self, key: str) -> Fact | None:
        for fact in self.facts:
            if fact.key == key:
                return fact
        return None
