"""Job-file rules SL012–SL018: findings about the jobs themselves, at the job's file and line.

These are run-level findings (``sora_lint_collect_diagnostics``): a job that names a missing
image has no image to check. Each rule is registered with a per-asset check that yields
nothing, so it has a code, a doc and obeys ``select``/``ignore``/``per-file-ignores``.
SL003 for a job's size is reported here for every job except the one that gives its image
its target (rules_size reports that one when it checks the image).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sora_lint.hookspecs import hookimpl
from sora_lint.run.targeting import find_profile
from sora_lint.types import (
    DELIVERIES,
    Diagnostic,
    Profile,
    Rule,
    Settings,
    Size,
)

from ..jobs.inline import inline_form
from ..jobs.options import has_jobs

if TYPE_CHECKING:
    from ..jobs import index as jobs_index
from . import job_params
from .job_params import check_inline, check_params
from .job_support import JobAt, as_text, job_rule, shown
from .size import UNSUPPORTED_SIZE


def _index_module() -> Any:
    """The job-file machinery, imported only by runs that have job files."""
    from ..jobs import index as _jobs_index

    return _jobs_index


UNPARSEABLE = job_rule("SL012", "job-file-unparseable", "a job file does not parse")
INVALID_JOB = job_rule("SL013", "invalid-job", "a job is not an object or a field is malformed")
MISSING_REFERENCE = job_rule(
    "SL014", "missing-input-reference", "a job's input_reference names no file"
)
OUTSIDE_REFERENCE = job_rule(
    "SL015", "input-reference-outside", "a job's input_reference resolves outside the repository"
)
CONFLICTING_SIZES = job_rule(
    "SL016", "conflicting-job-sizes", "an image is referenced by jobs with different sizes"
)
UNSUPPORTED_SECONDS = job_rule(
    "SL017", "unsupported-seconds", "a job asks for a duration the model does not take"
)
PROMPT_LENGTH = job_rule("SL018", "prompt-length", "a job's prompt is empty or too long")

RULES = (
    UNPARSEABLE, INVALID_JOB, MISSING_REFERENCE, OUTSIDE_REFERENCE, CONFLICTING_SIZES,
    UNSUPPORTED_SECONDS, PROMPT_LENGTH,
)  # fmt: skip


def _model(job: jobs_index.Job, settings: Settings) -> Any:
    return job.fields.get("model", settings["model"])


def check_fields(
    job: JobAt, settings: Settings, profiles: Mapping[str, Profile]
) -> Iterator[Diagnostic]:
    """SL013 for each malformed field; SL017/SL018 for duration and prompt; the parameter
    and inline-image rules of the job's profile."""
    value, fields = job.job.value, job.job.fields
    if not isinstance(value, dict):
        yield job.diag(INVALID_JOB, f"a job must be an object, got {shown(value)}")
        return
    model = _model(job.job, settings)
    profile = find_profile(profiles, model) if isinstance(model, str) else None
    if not isinstance(model, str):
        yield job.diag(INVALID_JOB, f"model must be a string, got {shown(model)}")
    elif profile is None:
        yield job.diag(INVALID_JOB, f"unknown model {shown(model)}; allowed: {', '.join(profiles)}"
                       " (or a vendor model id listed as an alias)")  # fmt: skip
    size = fields.get("size")
    if size is not None:
        try:
            Size.parse(size) if isinstance(size, str) else Size.parse("")
        except ValueError:
            yield job.diag(INVALID_JOB, f"size must be a string WxH (e.g. 1280x720), got "
                                        f"{shown(size)}")  # fmt: skip
    reference = fields.get("input_reference")
    index_module = _index_module()
    if (
        reference is not None
        and not (isinstance(reference, str) and index_module.is_url(reference))
        and not (isinstance(reference, str) and inline_form(reference) is not None)
        and not index_module.usable_reference(reference)
    ):
        yield job.diag(INVALID_JOB, f"input_reference must be a path, got {shown(reference)}")
    delivery = fields.get("delivery")
    if delivery is not None and delivery not in DELIVERIES:
        yield job.diag(INVALID_JOB, f"delivery must be one of {', '.join(DELIVERIES)}, got "
                       f"{shown(delivery)}")  # fmt: skip
    if profile is None:
        return
    if "seconds" in fields:
        yield from _check_seconds(job, fields["seconds"], profile)
    if "prompt" in fields:
        yield from _check_prompt(job, fields["prompt"], profile)
    yield from check_params(job, profile)
    yield from check_inline(job, profile)


def seconds_allowed(text: str | None, profile: Profile) -> bool:
    """Whether a duration (as the API's string) is one the profile takes."""
    if text is None:
        return False
    if text in profile.seconds:
        return True
    span = profile.seconds_range
    return span is not None and text.isdigit() and span[0] <= int(text[:6]) <= span[1]


def _check_seconds(job: JobAt, seconds: Any, profile: Profile) -> Iterator[Diagnostic]:
    if not profile.seconds and profile.seconds_range is None:
        return
    if seconds_allowed(as_text(seconds), profile):
        return
    allowed = [f'"{s}"' for s in profile.seconds]
    if profile.seconds_range is not None:
        allowed.append("{} to {}".format(*profile.seconds_range))
    yield job.diag(UNSUPPORTED_SECONDS, f"seconds {shown(seconds)} is not a duration "
                   f"{profile.name} takes; allowed: {', '.join(allowed)}")  # fmt: skip


def prompt_length(prompt: str, unit: str) -> int:
    """The prompt's length as the API counts it: characters, or UTF-16 code units."""
    if unit == "utf-16":
        return len(prompt.encode("utf-16-le", "surrogatepass")) // 2
    return len(prompt)


def _check_prompt(job: JobAt, prompt: Any, profile: Profile) -> Iterator[Diagnostic]:
    if not isinstance(prompt, str):
        yield job.diag(INVALID_JOB, f"prompt must be a string, got {shown(prompt)}")
        return
    if not prompt.strip():
        yield job.diag(PROMPT_LENGTH, f"the prompt is empty; {profile.name} needs a prompt")
        return
    length = prompt_length(prompt, profile.prompt_unit)
    if profile.max_prompt is not None and length > profile.max_prompt:
        unit = "UTF-16 code units" if profile.prompt_unit == "utf-16" else "characters"
        yield job.diag(PROMPT_LENGTH, f"the prompt has {length:,} {unit}; "
                       f"{profile.name} takes at most {profile.max_prompt:,}")  # fmt: skip


def check_reference(job: JobAt, root: Path) -> Iterator[Diagnostic]:
    """SL015 outside the repository, else SL014 when no file is there."""
    image = job.job.image
    if image is None:
        return
    written = job.job.fields.get("input_reference")
    index_module = _index_module()
    state = index_module.file_state(image)
    if not index_module.inside(image, root):
        yield job.diag(OUTSIDE_REFERENCE, f"input_reference {shown(written)} resolves to "
                       f"{shown(str(image))}, outside the repository", asset=None)  # fmt: skip
    elif state != "file":
        what = "is a folder" if state == "dir" else "no such file"
        yield job.diag(MISSING_REFERENCE, f"input_reference {shown(written)}: {what}",
                       asset=None)  # fmt: skip


def check_size_allowed(
    job: JobAt, settings: Settings, profiles: Mapping[str, Profile], gives_target: bool
) -> Iterator[Diagnostic]:
    """SL003 for jobs whose size their model does not allow (unless the image check does)."""
    model, size = _model(job.job, settings), job.job.fields.get("size")
    profile = find_profile(profiles, model) if isinstance(model, str) else None
    if gives_target or profile is None or not profile.exact or not isinstance(size, str):
        return
    try:
        declared = Size.parse(size)
    except ValueError:
        return
    if declared not in profile.sizes:
        allowed = ", ".join(str(s) for s in profile.sizes)
        yield job.diag(UNSUPPORTED_SIZE, f"declared target {declared} (job {job.job.where}) is "
                       f"not a size {profile.name} allows; allowed: {allowed}",
                       target=declared)  # fmt: skip


def check_conflicts(
    index: jobs_index.JobIndex, files: set[Path], cwd: Path
) -> Iterator[Diagnostic]:
    """SL016 at each job whose size differs from the first job naming the same image."""
    for jobs in index.by_image.values():
        first: tuple[jobs_index.Job, Size] | None = None
        for job in jobs:
            raw = job.fields.get("size")
            try:
                size = Size.parse(raw) if isinstance(raw, str) else None
            except ValueError:
                size = None
            if size is None:
                continue
            if first is None:
                first = (job, size)
            elif size != first[1] and job.file.path in files:
                yield JobAt(job, cwd).diag(CONFLICTING_SIZES, f"this job asks for {size} but job "
                                          f"{first[0].where} asks for {first[1]} with the same "
                                          "image; one image cannot have both sizes",
                                          target=size)  # fmt: skip


def _gives_target(index: jobs_index.JobIndex, job: jobs_index.Job) -> bool:
    """Whether this job declares its image's target (the first naming an existing image)."""
    if job.image is None or _index_module().file_state(job.image) != "file":
        return False
    return index.by_image[job.image][0] is job


def collect(
    settings: Settings, given: tuple[Path, ...], profiles: Mapping[str, Profile], cwd: Path
) -> Iterator[Diagnostic]:
    index = _index_module().index_for(settings)
    in_run = index.in_run(given)
    files = {f.path for f in in_run}
    for job_file in in_run:
        error = job_file.parsed.error
        if error is not None:
            yield Diagnostic(
                code=UNPARSEABLE.code, name=UNPARSEABLE.name, severity=UNPARSEABLE.severity,
                message=f"line {error.line}, column {error.column}: {error.message}",
                path=job_file.display, line=error.line, data={"column": error.column},
            )  # fmt: skip
    for job in index.jobs:
        if job.file.path not in files:
            continue
        wrapped = JobAt(job, cwd)
        yield from check_fields(wrapped, settings, profiles)
        yield from check_reference(wrapped, index.root)
        gives_target = _gives_target(index, job)
        yield from check_size_allowed(wrapped, settings, profiles, gives_target)
    yield from check_conflicts(index, files, cwd)


@hookimpl
def sora_lint_collect_diagnostics(
    settings: Settings, given: tuple[Path, ...], profiles: Mapping[str, Profile]
) -> Iterable[Diagnostic]:
    if not has_jobs(settings):
        return []
    return list(collect(settings, given, profiles, Path.cwd()))


@hookimpl
def sora_lint_register_rules() -> Iterable[Rule]:
    return [*RULES, *job_params.RULES]
