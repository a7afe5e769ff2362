"""CSV and TSV job files: a header row names the fields, each row is a job."""

from __future__ import annotations

import csv
import io

from .parsed import ParsedJobs, ParseError, RawJob


def parse_csv(text: str, delimiter: str) -> ParsedJobs:
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
