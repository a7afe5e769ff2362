"""The job plugin's options and the test "does this run have job files?": cheap to import.

The job-file machinery (``_jobs_index``, the parsers) is imported only by runs that have
job files; every other run pays nothing for it at start-up.
"""

from __future__ import annotations

import os
from typing import Any

from sora_lint.types import Settings

#: The fields of a job, named as in the video API's create call.
FIELDS = ("model", "size", "seconds", "prompt", "input_reference")


def parse_job_fields(raw: Any) -> dict[str, str]:
    """``{field: name in the file}``; a table in config, ``field=name,…`` on the command line.

    A name may be a dotted path into nested objects (``params.size``).
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
