"""Prepare reference images for two video APIs in-process and print what would be sent.

    python examples/pipeline.py [IMAGE ...]

Without arguments it uses images from examples/bad/ (a phone photo stored sideways, a CMYK
print file, a transparent PNG, an animated GIF). For each image it builds the request of
OpenAI's ``client.videos.create`` (an upload of exact size) and of Runway's
``client.image_to_video.create`` (a data URI, under 5 MB as sent, for the output ratio
``1280:720``), and prints them with the image shortened. Nothing is sent: no network call,
no API key, nothing written to disk.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import sora_lint

HERE = Path(__file__).resolve().parent
DEFAULT_IMAGES = [
    Path(os.path.relpath(HERE / "bad" / name))
    for name in ("phone_rotated.jpg", "print_cmyk.jpg", "transparent.png", "animated.gif")
]
PROMPT = "The camera slowly pushes in while the clouds drift by."


def openai_request(image: Path) -> dict[str, Any]:
    """``client.videos.create(**request)``: the size must equal the image's pixels."""
    prepared = sora_lint.prepare(image, model="sora-2")
    say(prepared)
    return {
        "model": "sora-2",
        "prompt": PROMPT,
        "size": str(prepared.size),
        "seconds": "8",
        "input_reference": prepared.to_upload(),  # (filename, bytes, MIME type)
    }


def runway_request(image: Path) -> dict[str, Any]:
    """``client.image_to_video.create(**request)``: a data URI under Runway's 5 MB."""
    prepared = sora_lint.prepare(image, model="runway-gen4.5", ratio="1280:720",
                                 delivery="data-uri")
    say(prepared)
    return {
        "model": "gen4.5",
        "prompt_image": prepared.to_data_uri(),
        "prompt_text": PROMPT,
        "ratio": "1280:720",
        "duration": 5,
    }


def say(prepared: sora_lint.Prepared) -> None:
    """What was done to the image, and its bytes against the limit."""
    report = prepared.report
    for done in (*report.fixes, *report.conversions, *report.steps):
        print(f"    did: {done}")
    limit = f" (limit {report.byte_limit:,} {report.delivery})" if report.byte_limit else ""
    print(f"    {prepared.mime_type} {prepared.size}: {len(prepared.data):,} bytes, "
          f"{report.sent_size:,} as sent{limit}")


def shown(value: Any) -> str:
    """A request value as it would be printed in a log: long strings and bytes shortened."""
    if isinstance(value, bytes):
        return f"<{len(value):,} bytes>"
    if isinstance(value, str) and len(value) > 60:
        return f"{value[:48]}... ({len(value):,} characters)"
    if isinstance(value, tuple):
        return "(" + ", ".join(shown(item) for item in value) + ")"
    return repr(value)


def main(argv: list[str]) -> int:
    images = [Path(arg) for arg in argv] or DEFAULT_IMAGES
    failed = 0
    for image in images:
        print(f"{image.name}:")
        for vendor, build in (("OpenAI videos.create", openai_request),
                              ("Runway image_to_video.create", runway_request)):
            print(f"  {vendor}:")
            try:
                request = build(image)
            except sora_lint.PrepareError as exc:
                print(f"    not sent: {exc}")
                failed += 1
                continue
            for key, value in request.items():
                print(f"    {key} = {shown(value)}")
    return 1 if failed == len(images) * 2 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
