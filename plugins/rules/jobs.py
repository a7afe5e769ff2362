"""Job-file rules SL012–SL018: findings about the jobs themselves, at the job's file and line.

These are run-level findings (``sora_lint_collect_diagnostics``): a job that names a missing
image has no image to check. Each rule is registered with a per-asset check that yields
nothing, so it has a code, a doc and obeys ``select``/``ignore``/``per-file-ignores``.
SL003 for a job's size is reported here for every job except the one that gives its image
its target (rules_size reports that one when it checks the image).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sora_lint.hookspecs import hookimpl
from sora_lint.types import CheckContext, Diagnostic, Profile, Rule, Settings, Severity, Size

from ..jobs.options import has_jobs

if TYPE_CHECKING:
    from ..jobs import index as jobs_index
from ..jobs.docs import DOCS
from .size import UNSUPPORTED_SIZE


def _index_module() -> Any:
    """The job-file machinery, imported only by runs that have job files."""
    from ..jobs import index as _jobs_index

    return _jobs_index


def _nothing(ctx: CheckContext) -> tuple[Diagnostic, ...]:
    return ()


def _rule(code: str, name: str, summary: str) -> Rule:
    return Rule(code, name, Severity.ERROR, summary, DOCS[code], _nothing, pure=True)


UNPARSEABLE = _rule("SL012", "job-file-unparseable", "a job file does not parse")
INVALID_JOB = _rule("SL013", "invalid-job", "a job is not an object or a field is malformed")
MISSING_REFERENCE = _rule(
    "SL014", "missing-input-reference", "a job's input_reference names no file"
)
OUTSIDE_REFERENCE = _rule(
    "SL015", "input-reference-outside", "a job's input_reference resolves outside the repository"
)
CONFLICTING_SIZES = _rule(
    "SL016", "conflicting-job-sizes", "an image is referenced by jobs with different sizes"
)
UNSUPPORTED_SECONDS = _rule(
    "SL017", "unsupported-seconds", "a job asks for a duration the model does not take"
)
PROMPT_LENGTH = _rule("SL018", "prompt-length", "a job's prompt is empty or too long")

RULES = (
    UNPARSEABLE, INVALID_JOB, MISSING_REFERENCE, OUTSIDE_REFERENCE, CONFLICTING_SIZES,
    UNSUPPORTED_SECONDS, PROMPT_LENGTH,
)  # fmt: skip


def shown(value: Any) -> str:
    """A short, safe rendering of a value from a job file (never expands a nested value)."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if value is None or isinstance(value, bool | float):
        return repr(value)
    if isinstance(value, int):
        text = str(value) if value.bit_length() < 64 else "a very large number"
        return text
    return f"a {type(value).__name__}"


def _seconds_text(value: Any) -> str | None:
    """Seconds as the API's string, or None when the value is not a string or an integer."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


class _Job:
    """Builds diagnostics for one job: at its file and line, naming its image."""

    def __init__(self, job: jobs_index.Job, cwd: Path) -> None:
        self.job = job
        self.asset = os.path.relpath(job.image, cwd) if job.image is not None else None

    def diag(self, rule: Rule, message: str, **extra: Any) -> Diagnostic:
        """At the job's line; ``asset`` names its image unless ``extra`` says otherwise."""
        fields: dict[str, Any] = {"asset": self.asset, **extra}
        return Diagnostic(
            code=rule.code, name=rule.name, severity=rule.severity, message=message,
            path=self.job.file.display, line=self.job.line, **fields,
        )  # fmt: skip


def _model(job: jobs_index.Job, settings: Settings) -> Any:
    return job.fields.get("model", settings["model"])


def check_fields(
    job: _Job, settings: Settings, profiles: Mapping[str, Profile]
) -> Iterator[Diagnostic]:
    """SL013 for each malformed field; SL017/SL018 for duration and prompt."""
    value, fields = job.job.value, job.job.fields
    if not isinstance(value, dict):
        yield job.diag(INVALID_JOB, f"a job must be an object, got {shown(value)}")
        return
    model = _model(job.job, settings)
    profile = profiles.get(model) if isinstance(model, str) else None
    if not isinstance(model, str):
        yield job.diag(INVALID_JOB, f"model must be a string, got {shown(model)}")
    elif profile is None:
        yield job.diag(INVALID_JOB, f"unknown model {shown(model)}; allowed: {', '.join(profiles)}")
    size = fields.get("size")
    if size is not None:
        try:
            Size.parse(size) if isinstance(size, str) else Size.parse("")
        except ValueError:
            yield job.diag(INVALID_JOB, f"size must be a string WxH (e.g. 1280x720), got "
                                        f"{shown(size)}")  # fmt: skip
    reference = fields.get("input_reference")
    if (
        reference is not None
        and not (isinstance(reference, str) and _index_module().is_url(reference))
        and not _index_module().usable_reference(reference)
    ):
        yield job.diag(INVALID_JOB, f"input_reference must be a path, got {shown(reference)}")
    if profile is None:
        return
    if "seconds" in fields and profile.seconds:
        text = _seconds_text(fields["seconds"])
        if text not in profile.seconds:
            allowed = ", ".join(f'"{s}"' for s in profile.seconds)
            yield job.diag(UNSUPPORTED_SECONDS, f"seconds {shown(fields['seconds'])} is not a "
                           f"duration {profile.name} takes; allowed: {allowed}")  # fmt: skip
    if "prompt" in fields:
        yield from _check_prompt(job, fields["prompt"], profile)


def _check_prompt(job: _Job, prompt: Any, profile: Profile) -> Iterator[Diagnostic]:
    if not isinstance(prompt, str):
        yield job.diag(INVALID_JOB, f"prompt must be a string, got {shown(prompt)}")
    elif not prompt.strip():
        yield job.diag(PROMPT_LENGTH, f"the prompt is empty; {profile.name} needs a prompt")
    elif profile.max_prompt is not None and len(prompt) > profile.max_prompt:
        yield job.diag(PROMPT_LENGTH, f"the prompt has {len(prompt):,} characters; "
                       f"{profile.name} takes at most {profile.max_prompt:,}")  # fmt: skip


def check_reference(job: _Job, root: Path) -> Iterator[Diagnostic]:
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
    job: _Job, settings: Settings, profiles: Mapping[str, Profile], gives_target: bool
) -> Iterator[Diagnostic]:
    """SL003 for jobs whose size their model does not allow (unless the image check does)."""
    model, size = _model(job.job, settings), job.job.fields.get("size")
    profile = profiles.get(model) if isinstance(model, str) else None
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
                yield _Job(job, cwd).diag(CONFLICTING_SIZES, f"this job asks for {size} but job "
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
        wrapped = _Job(job, cwd)
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
    return list(RULES)
