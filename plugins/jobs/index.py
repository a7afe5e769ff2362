"""The jobs of one run: which job files, their jobs, and the image each job references.

Built lazily from the run's settings (``job-files`` globs, ``--job-file``, ``job-fields``)
the first time a hook needs it and kept per :class:`~sora_lint.types.Settings` object (a weak
reference: it goes with the run), so the target hook, the candidate hook and the job rules
share one parse, and a worker process that gets the same settings rebuilds the same index.

Not a plugin: ``jobs/plugin.py`` and ``rules/jobs.py`` use it.
"""

from __future__ import annotations

import functools
import os
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sora_lint.types import Settings

from .files import MAX_TOTAL_VALUES, MAX_VALUES, read_job_file
from .globbing import glob_in_root
from .inline import inline_form
from .options import FIELDS, SCHEMAS, field_paths, schema_of
from .parsed import ParsedJobs

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


@dataclass(frozen=True)
class JobFile:
    """A job file of this run: where, how it is shown, whether named with ``--job-file``."""

    path: Path
    display: str
    explicit: bool
    parsed: ParsedJobs

    @property
    def csv(self) -> bool:
        return self.path.suffix.lower() in (".csv", ".tsv")


@dataclass(frozen=True)
class Job:
    """One job: its file and line, its raw fields (canonical names), the image it names."""

    file: JobFile
    line: int
    value: Any
    fields: Mapping[str, Any]
    image: Path | None = None

    @property
    def where(self) -> str:
        return f"{self.file.display}:{self.line}"


@dataclass(frozen=True)
class JobIndex:
    root: Path
    files: tuple[JobFile, ...]
    jobs: tuple[Job, ...]
    by_image: Mapping[Path, tuple[Job, ...]]

    def in_run(self, given: tuple[Path, ...]) -> list[JobFile]:
        """Job files this run reports on: named with ``--job-file``, or under a given path."""
        return [
            f
            for f in self.files
            if f.explicit or any(f.path == g or g in f.path.parents for g in given)
        ]


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return os.path.relpath(path, cwd) if path.anchor == cwd.anchor else str(path)


def job_file_paths(settings: Settings, cwd: Path) -> list[tuple[Path, bool]]:
    """``--job-file`` paths (relative to the working directory) first, then the ``job-files``
    globs' matches (relative to the root, sorted), each once."""
    root = Path(settings.get("root") or cwd)
    found: dict[Path, bool] = {}
    for raw in settings.get("job-file") or ():
        found.setdefault(Path(os.path.abspath(cwd / raw)), True)
    for pattern in settings.get("job-files") or ():
        # Never through a symlink or ".." out of the root (see globbing).
        for match in glob_in_root(root, pattern):  # a FIFO is kept: reading it says why
            found.setdefault(Path(os.path.abspath(match)), False)
    return list(found.items())


def lookup(value: Any, name: str) -> tuple[bool, Any]:
    """``(present, value)`` of a (dotted) field in a job object; a number indexes a list
    (``instances.0.image``)."""
    current = value
    for part in name.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return False, None
    return True, current


def extract(value: Any, paths: Mapping[str, tuple[str, ...]], csv: bool) -> dict[str, Any]:
    """The canonical fields present in a job (an empty CSV cell counts as absent); each
    from the first of its paths that holds a value."""
    fields: dict[str, Any] = {}
    for field in FIELDS:
        for path in paths.get(field, (field,)):
            present, raw = lookup(value, path)
            if not present or raw is None or (csv and isinstance(raw, str) and not raw.strip()):
                continue
            fields[field] = raw
            break
    return fields


#: Longer references are not paths any file system takes; they are reported, not resolved.
MAX_REFERENCE = 1024


def usable_reference(reference: Any) -> bool:
    """A string that can name a file: not empty, no NUL, not absurdly long, not a URL, not
    an image written inline (a data URI or bare base64)."""
    return (
        isinstance(reference, str)
        and bool(reference.strip())
        and "\x00" not in reference
        and len(reference) <= MAX_REFERENCE
        and not is_url(reference)
        and inline_form(reference) is None
    )


def file_state(path: Path) -> str:
    """``file``, ``dir`` or ``missing``; never raises (long names, odd bytes: missing)."""
    try:
        if path.is_file():
            return "file"
        return "dir" if path.is_dir() else "missing"
    except (OSError, ValueError):
        return "missing"


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (following symlinks) lies in ``root``; false when it cannot be told."""
    try:
        real_root = _realpath(os.fspath(root))
        return os.path.commonpath([real_root, _realpath(os.fspath(path))]) == real_root
    except (OSError, ValueError):
        return False


@functools.lru_cache(maxsize=4096)
def _realpath(path: str) -> str:
    """``os.path.realpath``, once per path a run asks about (jobs repeat their images, and
    the root is asked about for every job), also for a name the file system cannot hold (a
    lone surrogate, which JSON allows): from its first such part on nothing can exist, so
    the parts before it are resolved and the rest is kept as written."""
    parts = Path(path).parts
    for index, part in enumerate(parts):
        try:
            os.fsencode(part)
        except UnicodeEncodeError:
            return os.path.join(os.path.realpath(Path(*parts[:index])), *parts[index:])
    return os.path.realpath(path)


def is_url(reference: str) -> bool:
    """``https://…``, ``data:…``, ``gs://…``: not a file in the repository (``C:\\`` is)."""
    return bool(_URL.match(reference))


def resolve_reference(reference: str, job_file: Path, root: Path) -> Path:
    """Relative to the job file when it starts with ``./`` or ``../``, else to the root."""
    if reference.startswith(("./", "../", ".\\", "..\\")):
        base = job_file.parent
    elif os.path.isabs(reference):
        return Path(os.path.normpath(reference))
    else:
        base = root
    return Path(os.path.normpath(base / reference))


def build_index(settings: Settings, cwd: Path) -> JobIndex:
    root = Path(settings.get("root") or cwd)
    mapping: Mapping[str, str] = settings.get("job-fields") or {}
    chosen = str(settings.get("job-schema") or "auto")
    shapes = {name: field_paths(name, mapping) for name in SCHEMAS}
    files: list[JobFile] = []
    jobs: list[Job] = []
    by_image: dict[Path, list[Job]] = {}
    left = MAX_TOTAL_VALUES
    for path, explicit in job_file_paths(settings, cwd):
        parsed = read_job_file(path, min(MAX_VALUES, left))
        left -= parsed.values
        job_file = JobFile(path, _display(path, cwd), explicit, parsed)
        files.append(job_file)
        for raw in job_file.parsed.jobs:
            fields = extract(raw.value, shapes[schema_of(raw.value, chosen)], job_file.csv)
            reference = fields.get("input_reference")
            image = None
            if usable_reference(reference):
                image = resolve_reference(str(reference).strip(), path, root)
            job = Job(job_file, raw.line, raw.value, fields, image)
            jobs.append(job)
            if image is not None:
                by_image.setdefault(image, []).append(job)
    return JobIndex(
        root=root,
        files=tuple(files),
        jobs=tuple(jobs),
        by_image={image: tuple(found) for image, found in by_image.items()},
    )


_INDEXES: dict[int, JobIndex] = {}


def index_for(settings: Settings) -> JobIndex:
    """The run's job index, built once per settings object and dropped with it."""
    key = id(settings)
    index = _INDEXES.get(key)
    if index is None:
        index = build_index(settings, Path.cwd())
        _INDEXES[key] = index
        weakref.finalize(settings, _INDEXES.pop, key, None)
    return index
