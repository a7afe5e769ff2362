"""JSON and JSON Lines job files: a job, a list of jobs or ``{"jobs": [...]}``, each job with
the line it starts on; every item is decoded once more with its offset, not held twice."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .parsed import JOBS_KEY, MAX_JOBS, ParsedJobs, ParseError, RawJob, position


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


def parse_json(text: str) -> ParsedJobs:
    """One object (a job, or ``{"jobs": [...]}``) or a list of jobs, each with its line."""
    decoder = json.JSONDecoder()
    start = _skip_space(text, 0)
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        return ParsedJobs((), _json_error(exc))
    rest = _skip_space(text, end)
    if rest < len(text):
        line, column = position(text[:rest])
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


def parse_jsonl(text: str) -> ParsedJobs:
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
