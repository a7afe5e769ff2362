"""Read generation-job files — JSON, JSON Lines, YAML, CSV — into jobs with their 1-based line.

A job file is hostile input like any other: it is read only if it is a regular file of at
most :data:`MAX_JOB_FILE_BYTES` (a FIFO or ``/dev/zero`` is a parse error, never a hang), YAML
is read with the safe loader only and a document whose aliases expand beyond
:data:`~.yaml_jobs.MAX_YAML_NODES` values is refused, line numbers come from one pass over
the text, at most :data:`MAX_JOBS` jobs are kept, and every failure becomes a
:class:`ParseError` with a line and column instead of an exception. A job is whatever value
the file holds at that place (an object, normally); judging it is the rules' business.

Each format has its parser (``json_jobs``, ``yaml_jobs``, ``csv_jobs``); this module picks
one by the file's extension and applies the limits every format shares. Not a plugin:
``jobs/plugin.py`` and ``rules/jobs.py`` use it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sora_lint.filesystem.reading import FileRefused, read_regular_file

from .csv_jobs import parse_csv
from .json_jobs import parse_json, parse_jsonl
from .parsed import MAX_JOBS, ParsedJobs, ParseError, position
from .yaml_jobs import parse_yaml

#: Larger job files are refused unread (a pipeline's job list is kilobytes, not gigabytes).
MAX_JOB_FILE_BYTES = 16 * 1024 * 1024
#: Values (cells, array items, keys) one job file may hold, counted before it is parsed: a
#: parsed value costs ~50-100 bytes, so 16 MiB of ``{},`` or of empty CSV cells once took
#: ~45x its size in memory. YAML's alias expansion has its own cap of the same size.
MAX_VALUES = 1_000_000
#: Values all the job files of one run may hold together: past it a file is not read.
MAX_TOTAL_VALUES = 2 * MAX_VALUES

#: File extensions and the format each stands for.
FORMATS = {
    "json": "json",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    "yaml": "yaml",
    "yml": "yaml",
    "csv": "csv",
    "tsv": "tsv",
}


def format_of(path: Path) -> str | None:
    """The job format a file name stands for, or ``None``."""
    return FORMATS.get(path.suffix.lower().lstrip("."))


def read_job_file(path: Path, budget: int = MAX_VALUES) -> ParsedJobs:
    """Read and parse one job file, unless it may hold more than ``budget`` values (what
    this run's job files may still hold, at most :data:`MAX_VALUES`); never raises."""
    fmt = format_of(path)
    if fmt is None:
        known = ", ".join(f".{ext}" for ext in FORMATS)
        return ParsedJobs((), ParseError(f"not a job file format (expected {known})"))
    try:
        data = read_regular_file(path, MAX_JOB_FILE_BYTES)
    except FileRefused as exc:
        return ParsedJobs((), ParseError(_refusal(exc.reason)))
    except OSError as exc:
        return ParsedJobs((), ParseError(f"cannot read: {exc.strerror or exc}"))
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = position(data[: exc.start].decode("utf-8", "replace"))
        return ParsedJobs((), ParseError("not UTF-8 text", line, column), digest)
    values = value_bound(text, fmt)
    if values > budget:
        message = (
            f"may hold {values:,} values, more than the {budget:,} left to read (job files "
            f"hold at most {MAX_VALUES:,} each and {MAX_TOTAL_VALUES:,} in all); not read"
        )
        return ParsedJobs((), ParseError(message), digest)  # not read: it costs nothing
    parsed = parse_jobs(text, fmt)
    return ParsedJobs(parsed.jobs, parsed.error, digest, values)


def value_bound(text: str, fmt: str) -> int:
    """At most how many values ``text`` can parse to, counted in C: every value after the
    first follows a separator (a JSON ``[``, ``,`` or ``:``, a line, a CSV delimiter), so
    the count of those bounds it (a comma inside a string only makes it larger)."""
    lines = text.count("\n") + 1
    if fmt in ("csv", "tsv"):
        return lines + text.count("\t" if fmt == "tsv" else ",")
    return lines + text.count(",") + text.count("[") + text.count(":")


def _refusal(reason: str) -> str:
    """A reader's refusal as a parse error's message: "cannot read: it is a FIFO, …"."""
    if reason.startswith("is larger"):
        return reason[len("is ") :]
    if reason.startswith("cannot be read: "):
        return "cannot read: " + reason[len("cannot be read: ") :]
    return f"cannot read: it {reason}"


def parse_jobs(text: str, fmt: str) -> ParsedJobs:
    """Parse ``text`` in format ``fmt`` (``json``, ``jsonl``, ``yaml``, ``csv``, ``tsv``)."""
    try:
        if fmt == "json":
            parsed = parse_json(text)
        elif fmt == "jsonl":
            parsed = parse_jsonl(text)
        elif fmt == "yaml":
            parsed = parse_yaml(text)
        else:
            parsed = parse_csv(text, "\t" if fmt == "tsv" else ",")
        return _capped(parsed)
    except RecursionError:
        return ParsedJobs((), ParseError("nested too deeply to read"))
    except Exception as exc:  # noqa: BLE001 - a parser bug must become a value, not a crash
        return ParsedJobs((), ParseError(f"could not be read ({type(exc).__name__}: {exc})"))


def _capped(parsed: ParsedJobs) -> ParsedJobs:
    """At most :data:`MAX_JOBS` jobs; more is an error at the first job left out."""
    if len(parsed.jobs) <= MAX_JOBS:
        return parsed
    first_dropped = parsed.jobs[MAX_JOBS].line
    message = f"more than {MAX_JOBS:,} jobs; the rest of the file is not read"
    return ParsedJobs(parsed.jobs[:MAX_JOBS], ParseError(message, first_dropped))
