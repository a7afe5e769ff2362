"""Target profiles for the image-to-video models teams moved to after Sora 2: Veo 3, Runway
Gen-4, Kling and Luma Ray 2. Their rules differ in kind from Sora's exact sizes: aspect-ratio
lists or ranges, side limits, byte limits.

Every fact carries its source and the date it was checked (2026-11-26); where the source is
not the vendor's own documentation ``vendor_source`` is false and the notes say what could not
be confirmed. Details and links: ``notes/profiles-research.md`` in the project's history.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from sora_lint.hookspecs import hookimpl
from sora_lint.types import Profile

CHECKED = "2026-11-26"

VEO_3 = Profile(
    name="veo-3",
    sizes=(),
    aspect_ratios=(Fraction(16, 9), Fraction(9, 16)),
    aspect_tolerance=0.01,
    formats=frozenset({"JPEG", "PNG"}),
    seconds=("4", "6", "8"),
    description="Google Veo 3 (veo-3.0-generate-001): 16:9 or 9:16; JPEG or PNG",
    source=(
        "Vertex AI model page for veo-3.0-generate-001 (video aspect ratios 16:9 and 9:16; "
        "720p/1080p; video length 4, 6 or 8 seconds)"
    ),
    source_url="https://cloud.google.com/vertex-ai/generative-ai/docs/models/veo/3-0-generate-001",
    checked=CHECKED,
    vendor_source=True,
    notes=(
        "The vendor page gives the video's aspect ratios; that the first-frame image should "
        "share them (ideally 1280x720 or 720x1280) is stated by Replicate's google/veo-3 "
        "schema, not by Google. JPEG/PNG as input types and the lack of a byte limit could "
        "not be confirmed on a Google page; Veo 3.1 adds 4k and reference images."
    ),
)

RUNWAY_GEN4 = Profile(
    name="runway-gen4",
    sizes=(),
    aspect_range=(Fraction(1, 2), Fraction(2, 1)),
    max_side=7999,
    max_bytes=16_000_000,
    formats=frozenset({"JPEG", "PNG", "WEBP"}),
    seconds=("5", "10"),
    max_prompt=1000,
    description="Runway Gen-4 Turbo image_to_video: aspect 0.5 to 2.0, sides up to 7,999 px",
    source=(
        "Runway API 'Inputs' page (images: 16 MB by URL, 5 MB as a data URI, 200 MB through "
        "uploads; Content-Type must be an image type); aspect 0.5-2.0 and 7999x7999 from "
        "ComfyUI's RunwayImageToVideoNodeGen4 doc, which mirrors Runway's validation"
    ),
    source_url="https://docs.dev.runwayml.com/assets/inputs/",
    checked=CHECKED,
    vendor_source=True,
    notes=(
        "Byte limit: 16 MB applies to images sent by URL; as a data URI the limit is 5 MB. "
        "The aspect range, the 7,999 px side limit, durations 5/10 s and the 1,000-character "
        "prompt limit come from third-party docs (ComfyUI, muvi), not a Runway page in our "
        "index. WebP per the issue and third-party API docs (image/webp accepted)."
    ),
)

KLING = Profile(
    name="kling",
    sizes=(),
    aspect_range=(Fraction(2, 5), Fraction(5, 2)),
    min_side=300,
    max_bytes=10_000_000,
    formats=frozenset({"JPEG", "PNG"}),
    seconds=("5", "10"),
    max_prompt=2500,
    description="Kling image-to-video: JPEG/PNG, at most 10 MB, sides at least 300 px, "
    "aspect 1:2.5 to 2.5:1",
    source=(
        "Kling v2.6 Pro / v3.0 image-to-video API references republished by Novita and "
        "MyRouter (image .jpg/.jpeg/.png; at most 10MB; width and height >= 300px; aspect "
        "ratio between 1:2.5 and 2.5:1; prompt at most 2500 characters; duration 5 or 10)"
    ),
    source_url="https://novita.ai/docs/api-reference/model-apis-kling-v2.6-pro-i2v",
    checked=CHECKED,
    vendor_source=False,
    notes=(
        "Kling's own API documentation was not in our index; the facts agree across three "
        "resellers' copies. '10MB' is read as 10,000,000 bytes (the stricter reading). "
        "Kling v3.0 also takes durations 3-15 s; the profile keeps 5 and 10."
    ),
)

LUMA_RAY2 = Profile(
    name="luma-ray2",
    sizes=(),
    aspect_ratios=tuple(
        Fraction(w, h) for w, h in ((16, 9), (9, 16), (1, 1), (4, 3), (3, 4), (21, 9), (9, 21))
    ),
    aspect_tolerance=0.01,
    formats=frozenset({"JPEG", "PNG"}),
    seconds=("5s", "9s"),
    description="Luma Ray 2: aspect 16:9, 9:16, 1:1, 4:3, 3:4, 21:9 or 9:21",
    source=(
        "Luma's Dream Machine OpenAPI (lumalabs/lumaai-api openapi.yaml, AspectRatio enum "
        "1:1, 16:9, 9:16, 4:3, 3:4, 21:9, 9:21; keyframes frame0/frame1 take an image URL); "
        "durations 5s/9s from GMI Cloud's Ray 2 guide"
    ),
    source_url="https://github.com/lumalabs/lumaai-api/blob/main/openapi.yaml",
    checked=CHECKED,
    vendor_source=True,
    notes=(
        "The enum is the generation's aspect ratio; that the frame0 image must share it is "
        "sora-lint's rule (the model otherwise crops or extends it). Accepted image formats and "
        "size limits are not stated in the OpenAPI file: JPEG/PNG is an unconfirmed, "
        "conservative choice. Durations and the prompt limit are not from Luma."
    ),
)


@hookimpl
def sora_lint_register_profiles() -> Iterable[Profile]:
    return [VEO_3, RUNWAY_GEN4, KLING, LUMA_RAY2]
