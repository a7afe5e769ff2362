"""Generation jobs as the source of an image's target: ``job-files``, ``--job-file``.

A job (``model``, ``size``, ``seconds``, ``prompt``, ``input_reference``, … in OpenAI's,
Runway's, Veo's, Kling's or Luma's request shape: ``options.py``) says which model, size and
delivery its image must suit, so the image is checked against that job — and the diagnostic
points at the job's file and line. Precedence, first answer wins:

1. a job that references the image (the first one, in the order the job files are listed:
   ``--job-file`` first, then each ``job-files`` glob's matches, sorted; then by line);
2. a size in the file name, with ``target-from-filename = true`` (``plugins/target_filename``);
3. ``--target``/``--model``, per-path ``overrides`` and config (the ``trylast`` default).

Which files a run covers: every configured job file is read for targets; a job file's own
findings (rules SL012–SL018) and the images it references are part of a run when the file
was named with ``--job-file`` or lies under a path given on the command line (``.`` by
default). The images are checked even when they lie outside those paths: a job that changed
must be checked against its image although only the job file was committed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sora_lint.config.options import OptionRegistry, string
from sora_lint.errors import UsageError
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Asset, Location, Settings, Size, TargetRequest

from .options import SCHEMA_NAMES, has_jobs, parse_glob, parse_job_fields

if TYPE_CHECKING:
    from . import index as jobs_index

PLUGIN = "jobs"


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    options.add(
        "job-files",
        "globs (relative to the project root) of job files: JSON, JSON Lines, YAML, CSV",
        default=(),
        kind="list",
        parse=parse_glob,
        cli=False,
        plugin=PLUGIN,
        group="targets",
    )
    options.add(
        "job-file",
        "a job file whose jobs declare their images' targets (repeatable)",
        default=(),
        kind="list",
        parse=string,
        metavar="PATH",
        config=False,
        plugin=PLUGIN,
        group="targets",
    )
    options.add(
        "job-fields",
        "names your job files use for the job fields, e.g. input_reference=image,size=resolution",
        default={},
        parse=parse_job_fields,
        metavar="FIELD=NAME,…",
        plugin=PLUGIN,
        group="targets",
    )
    options.add(
        "job-schema",
        "the request shape of your jobs: auto (per job), openai, runway, veo, kling or luma",
        default="auto",
        choices=SCHEMA_NAMES,
        metavar="|".join(SCHEMA_NAMES),
        plugin=PLUGIN,
    )


@hookimpl
def sora_lint_configure(settings: Settings) -> None:
    """Check ``--job-file`` paths and the globs now, so a typo is exit 2 before any work."""
    cwd = Path.cwd()
    for raw in settings.get("job-file") or ():
        if not os.path.isfile(cwd / raw):
            raise UsageError(f"--job-file {raw}: no such file")
    if has_jobs(settings):
        _index(settings)


def _index(settings: Settings) -> jobs_index.JobIndex:
    """The run's job index (the job-file machinery is imported only by runs that have one)."""
    from . import index as _jobs_index

    return _jobs_index.index_for(settings)


def request_for(job: jobs_index.Job, settings: Settings) -> TargetRequest:
    """The target a job declares: its model (else the configured one) and its size (else
    ``auto``); a size that is not ``WxH`` is reported by SL013 and checked as ``auto``."""
    model = job.fields.get("model")
    if not isinstance(model, str) or not model.strip():
        model = settings["model"]
    size = None
    raw = job.fields.get("size")
    if isinstance(raw, str):
        try:
            size = Size.parse(raw)
        except ValueError:
            size = None
    return TargetRequest(
        model=model.strip(),
        size=size,
        source=f"job {job.where}",
        per_asset=True,
        origin=Location(job.file.display, job.line),
        params=request_params(job),
    )


#: Job fields that decide how the model treats the image, passed on to the image's rules.
IMAGE_PARAMS = ("delivery", "ratio", "resize_mode", "mime_type")


def request_params(job: jobs_index.Job) -> tuple[tuple[str, str], ...]:
    """The job's parameters that decide how the model treats its image (how it is sent,
    the output's ratio, Veo's resizeMode, a declared MIME type), as short strings."""
    found = []
    for name in IMAGE_PARAMS:
        value = job.fields.get(name)
        if isinstance(value, str) and 0 < len(value.strip()) <= 100:
            found.append((name, value.strip()))
    return tuple(found)


@hookimpl
def sora_lint_cache_stamp(settings: Settings) -> str | None:
    """The job files (which ones, how they are shown, the jobs the index parsed from them)
    decide their images' targets: a cached result holds only while they are unchanged."""
    if not has_jobs(settings):
        return None
    import hashlib

    digest = hashlib.blake2b(digest_size=12)
    for job_file in _index(settings).files:
        parsed = job_file.parsed  # the bytes' digest, not the values (aliases expand them)
        shown = f"{job_file.path}\0{job_file.display}\0{job_file.explicit}"
        read = f"{shown}\0{parsed.digest}\0{parsed.error}\0"
        digest.update(read.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


@hookimpl(tryfirst=True)
def sora_lint_resolve_target(asset: Asset, settings: Settings) -> TargetRequest | None:
    if not has_jobs(settings):
        return None
    found = _index(settings).by_image.get(Path(os.path.abspath(asset.path)))
    if not found:
        return None
    return request_for(found[0], settings)


@hookimpl
def sora_lint_modify_candidates(
    settings: Settings, given: tuple[Path, ...], paths: list[Path]
) -> None:
    """Job files are read, not probed as images; their images are checked with them."""
    if not has_jobs(settings):
        return
    from . import index as _jobs_index

    index = _index(settings)
    job_files = {f.path for f in index.files}
    paths[:] = [p for p in paths if p not in job_files]
    present = set(paths)
    in_run = {f.path for f in index.in_run(given)}
    for job in index.jobs:
        image = job.image
        if job.file.path not in in_run or image is None or image in present:
            continue
        if _jobs_index.inside(image, index.root) and _jobs_index.file_state(image) == "file":
            paths.append(image)
            present.add(image)
