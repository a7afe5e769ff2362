"""The job plugin's options, the vendors' request shapes, and the test "does this run have job
files?": cheap to import.

A job is stored as the request a pipeline sends, in its vendor's shape. ``job-schema`` picks
a field map (``openai``, ``runway``, ``veo``, ``kling``, ``luma``; ``auto``, the default,
picks per job from the keys it has) and ``job-fields`` renames fields on top of it. The
job-file machinery (``index``, the parsers) is imported only by runs that have job files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from sora_lint.types import Settings

#: The canonical job fields, named as in OpenAI's video create call where it has them.
FIELDS = (
    "model", "size", "seconds", "prompt", "input_reference", "mime_type", "ratio",
    "resolution", "reference_images", "resize_mode", "delivery",
)  # fmt: skip

#: Each vendor's request shape: canonical field -> the (dotted) paths that may hold it, the
#: first present wins (a number is a list index: ``promptImage.0.uri``).
SCHEMAS: dict[str, dict[str, tuple[str, ...]]] = {
    "openai": {
        "model": ("model",), "size": ("size",), "seconds": ("seconds",), "prompt": ("prompt",),
        "input_reference": ("input_reference.image_url", "input_reference"),
    },
    "runway": {
        "model": ("model",), "input_reference": ("promptImage.0.uri", "promptImage"),
        "ratio": ("ratio",), "seconds": ("duration",), "prompt": ("promptText",),
    },
    "veo": {
        "model": ("model",),
        "input_reference": ("instances.0.image.gcsUri", "instances.0.image.bytesBase64Encoded"),
        "mime_type": ("instances.0.image.mimeType",), "prompt": ("instances.0.prompt",),
        "reference_images": ("instances.0.referenceImages",),
        "ratio": ("parameters.aspectRatio",), "seconds": ("parameters.durationSeconds",),
        "resolution": ("parameters.resolution",), "resize_mode": ("parameters.resizeMode",),
    },
    "kling": {
        "model": ("model_name",), "input_reference": ("image",), "seconds": ("duration",),
        "prompt": ("prompt",),
    },
    "luma": {
        "model": ("model",), "input_reference": ("keyframes.frame0.url",),
        "ratio": ("aspect_ratio",), "seconds": ("duration",), "resolution": ("resolution",),
        "prompt": ("prompt",),
    },
}  # fmt: skip
SCHEMA_NAMES = ("auto", *SCHEMAS)
#: With ``job-schema = "auto"``: a key only one vendor's request has -> that vendor.
SCHEMA_KEYS = (("promptImage", "runway"), ("instances", "veo"), ("model_name", "kling"),
               ("keyframes", "luma"))  # fmt: skip


def schema_of(job: Any, chosen: str) -> str:
    """The schema a job is read with: the chosen one, or with ``auto`` the vendor whose
    distinctive key the job has (else OpenAI's, today's default shape)."""
    if chosen != "auto":
        return chosen
    if isinstance(job, dict):
        for key, schema in SCHEMA_KEYS:
            if key in job:
                return schema
    return "openai"


def field_paths(schema: str, mapping: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Where each field is in a job of ``schema``: ``job-fields`` first, then the preset's
    paths, then the field's own name (``delivery`` is ``delivery`` in every shape)."""
    preset = SCHEMAS[schema]
    paths: dict[str, tuple[str, ...]] = {}
    for field in FIELDS:
        mapped = (mapping[field],) if field in mapping else ()
        paths[field] = mapped or preset.get(field, (field,))
    return paths


def parse_job_fields(raw: Any) -> dict[str, str]:
    """``{field: name in the file}``; a table in config, ``field=name,…`` on the command line.

    A name may be a dotted path into nested objects (``params.size``, ``images.0.url``).
    """
    if isinstance(raw, str):
        pairs: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in raw.split(","))):
            key, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"{part!r} is not FIELD=NAME (e.g. input_reference=image)")
            pairs[key.strip()] = value.strip()
        raw = pairs
    if not isinstance(raw, dict):
        raise ValueError(f"expected a table of field = name, got {type(raw).__name__}")
    result: dict[str, str] = {}
    for key, value in raw.items():
        if key not in FIELDS:
            raise ValueError(f"unknown job field {key!r}; allowed: {', '.join(FIELDS)}")
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{key}: expected the field's name in your job files, a string")
        result[key] = value.strip()
    return result


def parse_glob(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"expected a glob relative to the project root, got {raw!r}")
    if os.path.isabs(raw):
        raise ValueError(f"{raw!r}: globs are relative to the project root")
    return raw.strip()


def has_jobs(settings: Settings) -> bool:
    """Whether job files are configured (``job-files``) or named (``--job-file``)."""
    return bool(settings.get("job-files") or settings.get("job-file"))
