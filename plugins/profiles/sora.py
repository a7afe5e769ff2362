"""Target profiles for OpenAI's Sora 2 models: the sizes and formats the Videos API accepts.

Both models' API was retired by OpenAI on 2026-09-24; the profiles stay (marked retired) so
repositories that still target them keep their gate.
"""

from __future__ import annotations

from collections.abc import Iterable

from sora_lint.hookspecs import hookimpl
from sora_lint.types import Profile, Size

SORA_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
SORA_SOURCE = (
    "openai-python `VideoSize` literal (src/openai/types/video_size.py: "
    '"720x1280", "1280x720", "1024x1792", "1792x1024") and the OpenAI video generation guide '
    "(input_reference must match the requested size; JPEG, PNG or WebP)"
)
SORA_URL = "https://platform.openai.com/docs/guides/video-generation"
SORA_CHECKED = "2026-11-26"
SORA_NOTES = (
    "Retired by OpenAI on 2026-09-24. The API answers `400 Inpaint image must match the "
    "requested width and height` unless the image's pixels equal `size`; the upload's type "
    "comes from its declared MIME type, i.e. the file name."
)

#: ``VideoSeconds`` in openai-python: strings on the wire. The guide allows 1-32,000
#: characters of prompt.
SORA_SECONDS = ("4", "8", "12")
SORA_MAX_PROMPT = 32_000

SORA_2 = Profile(
    name="sora-2",
    sizes=(Size(1280, 720), Size(720, 1280)),
    formats=SORA_FORMATS,
    description="OpenAI Sora 2: 1280x720 or 720x1280, exact",
    source=SORA_SOURCE,
    source_url=SORA_URL,
    checked=SORA_CHECKED,
    status="retired",
    notes=SORA_NOTES,
    seconds=SORA_SECONDS,
    max_prompt=SORA_MAX_PROMPT,
)

SORA_2_PRO = Profile(
    name="sora-2-pro",
    sizes=(Size(1280, 720), Size(720, 1280), Size(1792, 1024), Size(1024, 1792)),
    formats=SORA_FORMATS,
    description="OpenAI Sora 2 Pro: 1280x720, 720x1280, 1792x1024 or 1024x1792, exact",
    source=SORA_SOURCE,
    source_url=SORA_URL,
    checked=SORA_CHECKED,
    status="retired",
    notes=SORA_NOTES,
    seconds=SORA_SECONDS,
    max_prompt=SORA_MAX_PROMPT,
)


@hookimpl
def sora_lint_register_profiles() -> Iterable[Profile]:
    return [SORA_2, SORA_2_PRO]
