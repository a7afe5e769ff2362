"""What reading a job file gives: its jobs with their lines, or where and why it stopped;
shared by the parser of each format (``json_jobs``, ``yaml_jobs``, ``csv_jobs``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Jobs kept from one file; the rest are an SL012 (memory stays bounded by this).
MAX_JOBS = 100_000

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
    #: At most how many values the text holds (what the file costs the run's budget).
    values: int = 0


def position(prefix: str) -> tuple[int, int]:
    """1-based line and column of the end of ``prefix``."""
    line = prefix.count("\n") + 1
    column = len(prefix) - (prefix.rfind("\n") + 1) + 1
    return line, column
