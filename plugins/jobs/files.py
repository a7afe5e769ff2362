"""Read generation-job files — JSON, JSON Lines, YAML, CSV — into jobs with their 1-based line.

A job file is hostile input like any other: it is read only if it is a regular file of at
most :data:`MAX_JOB_FILE_BYTES` (a FIFO or ``/dev/zero`` is a parse error, never a hang), YAML
is read with the safe loader only and a document whose aliases expand beyond
:data:`MAX_YAML_NODES` values is refused, line numbers come from one pass over the text, at
most :data:`MAX_JOBS` jobs are kept, and every failure becomes a :class:`ParseError` with a
line and column instead of an exception. A job is whatever value the file holds at that place
(an object, normally); judging it is the rules' business.

Not a plugin: ``jobs/plugin.py`` and ``rules/jobs.py`` use it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sora_lint.filesystem.reading import FileRefused, read_regular_file

if TYPE_CHECKING:
    import yaml

#: Larger job files are refused unread (a pipeline's job list is kilobytes, not gigabytes).
MAX_JOB_FILE_BYTES = 16 * 1024 * 1024
#: Jobs kept from one file; the rest are an SL012 (memory stays bounded by this).
MAX_JOBS = 100_000
#: Values a YAML document may expand to once its aliases are followed ("billion laughs").
MAX_YAML_NODES = 1_000_000

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

#: A top-level object holding its jobs under this key is a list of jobs, not one job.
JOBS_KEY = "jobs"


@dataclass(frozen=True)
class RawJob:
    """One job as found: its 1-based line and the value there (a dict for a well-formed job)."""

    line: int
    value: Any


@dataclass(frozen=True)
class ParseError:
    """Where and why a job file could not be read; ``line``/``column`` are 1-based."""

    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class ParsedJobs:
    """The jobs read from a file, and the error that stopped reading (jobs before it stay).

    ``digest`` identifies the bytes read (empty when nothing was): what a cache stamp hashes,
    instead of the jobs' values (a YAML alias makes those far larger than the file).
    """

    jobs: tuple[RawJob, ...]
    error: ParseError | None = None
    digest: str = ""


def format_of(path: Path) -> str | None:
    """The job format a file name stands for, or ``None``."""
    return FORMATS.get(path.suffix.lower().lstrip("."))


def read_job_file(path: Path) -> ParsedJobs:
    """Read and parse one job file; never raises."""
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
        line, column = _position(data[: exc.start].decode("utf-8", "replace"))
        return ParsedJobs((), ParseError("not UTF-8 text", line, column), digest)
    parsed = parse_jobs(text, fmt)
    return ParsedJobs(parsed.jobs, parsed.error, digest)


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
            parsed = _parse_json(text)
        elif fmt == "jsonl":
            parsed = _parse_jsonl(text)
        elif fmt == "yaml":
            parsed = _parse_yaml(text)
        else:
            parsed = _parse_csv(text, "\t" if fmt == "tsv" else ",")
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


def _position(prefix: str) -> tuple[int, int]:
    """1-based line and column of the end of ``prefix``."""
    line = prefix.count("\n") + 1
    column = len(prefix) - (prefix.rfind("\n") + 1) + 1
    return line, column


class _Lines:
    """1-based line numbers of increasing offsets into one text, counted in one pass
    (counting from the start for each of a million jobs takes minutes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _json_error(exc: json.JSONDecodeError) -> ParseError:
    return ParseError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)


def _parse_json(text: str) -> ParsedJobs:
    """One object (a job, or ``{"jobs": [...]}``) or a list of jobs, each with its line."""
    decoder = json.JSONDecoder()
    start = _skip_space(text, 0)
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        return ParsedJobs((), _json_error(exc))
    rest = _skip_space(text, end)
    if rest < len(text):
        line, column = _position(text[:rest])
        return ParsedJobs((), ParseError("invalid JSON: extra data after the value", line, column))
    if isinstance(value, list):
        del value  # each item is decoded again with its offset: do not hold both copies
        return ParsedJobs(tuple(_list_items(text, start, decoder)))
    if isinstance(value, dict) and isinstance(value.get(JOBS_KEY), list):
        offset = _jobs_list_offset(text, start, decoder)
        if offset is not None:
            del value
            return ParsedJobs(tuple(_list_items(text, offset, decoder)))
    return ParsedJobs((RawJob(_Lines(text).at(start), value),))


def _list_items(text: str, start: int, decoder: json.JSONDecoder) -> Iterator[RawJob]:
    """The elements of the (already validated) JSON array at ``start``, with their lines;
    at most one past :data:`MAX_JOBS` (enough to report that there were more)."""
    lines = _Lines(text)
    index = _skip_space(text, start + 1)
    count = 0
    while index < len(text) and text[index] != "]" and count <= MAX_JOBS:
        value, end = decoder.raw_decode(text, index)
        yield RawJob(lines.at(index), value)
        count += 1
        index = _skip_space(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip_space(text, index + 1)


def _jobs_list_offset(text: str, start: int, decoder: json.JSONDecoder) -> int | None:
    """Offset of the array under the top-level ``"jobs"`` key (the last one, as json does)."""
    index = _skip_space(text, start + 1)
    found = None
    while index < len(text) and text[index] != "}":
        key, end = decoder.raw_decode(text, index)
        index = _skip_space(text, end) + 1  # past ':'
        index = _skip_space(text, index)
        if key == JOBS_KEY:
            found = index
        _, end = decoder.raw_decode(text, index)
        index = _skip_space(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip_space(text, index + 1)
    return found


def _parse_jsonl(text: str) -> ParsedJobs:
    """One JSON value per non-blank line; the first bad line stops reading."""
    jobs: list[RawJob] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            error = ParseError(f"invalid JSON: {exc.msg}", number, exc.colno)
            return ParsedJobs(tuple(jobs), error)
        jobs.append(RawJob(number, value))
        if len(jobs) > MAX_JOBS:
            break
    return ParsedJobs(tuple(jobs))


def _parse_yaml(text: str) -> ParsedJobs:
    """Each document is a job, a list of jobs, or ``{jobs: [...]}``; lines from node marks.

    A document is composed (aliases are references to one node) and measured before it is
    built: one that expands to more than :data:`MAX_YAML_NODES` values, or whose alias
    refers to itself, stops the reading there.
    """
    import yaml  # only when a YAML job file is read: it costs ~18 ms at start-up

    # libyaml's parser when PyYAML has it: the same safe constructor, ~50x faster to compose
    # (300,000 aliases: 0.1 s instead of 10 s)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    jobs: list[RawJob] = []
    try:
        while loader.check_node() and len(jobs) <= MAX_JOBS:
            node = loader.get_node()
            if node is None:  # pragma: no cover - check_node said there is one
                break
            if expanded_size(node) > MAX_YAML_NODES:
                message = (
                    f"the document expands to more than {MAX_YAML_NODES:,} values through "
                    "aliases (or an alias refers to itself); not read"
                )
                mark = node.start_mark
                return ParsedJobs(tuple(jobs), ParseError(message, mark.line + 1, mark.column + 1))
            value = loader.construct_document(node)
            jobs.extend(_yaml_jobs(node, value))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        return ParsedJobs(tuple(jobs), ParseError(f"invalid YAML: {problem}", line, column))
    except yaml.YAMLError as exc:
        return ParsedJobs(tuple(jobs), ParseError(f"invalid YAML: {exc}"))
    finally:
        loader.dispose()
    return ParsedJobs(tuple(jobs))


def expanded_size(root: yaml.Node) -> int:
    """How many values ``root`` stands for once every alias is copied out, counted without
    copying (each node once, in one pass); more than :data:`MAX_YAML_NODES` (a cycle
    included) reads as ``MAX_YAML_NODES + 1``."""
    over = MAX_YAML_NODES + 1
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            total = 1
            for child in _yaml_children(node):
                total = min(over, total + sizes[id(child)])
            sizes[key] = total
            active.discard(key)
            continue
        if key in sizes:
            continue
        if key in active:
            return over  # an alias inside its own anchor
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _yaml_children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _yaml_children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _yaml_jobs(node: yaml.Node, value: Any) -> Iterator[RawJob]:
    import yaml

    if isinstance(node, yaml.MappingNode) and isinstance(value, dict):
        for key_node, value_node in node.value:
            if key_node.value == JOBS_KEY and isinstance(value_node, yaml.SequenceNode):
                node, value = value_node, value.get(JOBS_KEY)
                break
    if isinstance(node, yaml.SequenceNode) and isinstance(value, list):
        for child, item in zip(node.value, value, strict=False):
            yield RawJob(child.start_mark.line + 1, item)
        return
    if value is not None:
        yield RawJob(node.start_mark.line + 1, value)


def _parse_csv(text: str, delimiter: str) -> ParsedJobs:
    """A header row names the fields; each row is a job at the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    jobs: list[RawJob] = []
    header: list[str] | None = None
    previous_end = 0
    try:
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                continue
            if len(row) > len(header):
                message = f"row has {len(row)} fields but the header names {len(header)}"
                return ParsedJobs(tuple(jobs), ParseError(message, start, 1))
            fields = {name: cell for name, cell in zip(header, row, strict=False) if name}
            jobs.append(RawJob(start, fields))
    except csv.Error as exc:
        return ParsedJobs(tuple(jobs), ParseError(f"invalid CSV: {exc}", reader.line_num or 1, 1))
    return ParsedJobs(tuple(jobs))
