"""The frozen values that move forward through a run: asset, target, diagnostic, fix.

Every plugin hook takes and returns these, so a third-party package needs nothing else
from the core to add a rule, a profile, a prober, a fixer or a reporter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeGuard

from sora_lint.profile import DELIVERIES, NEAR_MISS_ACTIONS, Combination, Fact, Profile
from sora_lint.size import Size

if TYPE_CHECKING:
    from PIL import Image

#: Re-exported: ``sora_lint.types`` is where plugins import every value from.
__all__ = [
    "DELIVERIES",
    "NEAR_MISS_ACTIONS",
    "SWAPPING_ORIENTATIONS",
    "Applicability",
    "Asset",
    "CheckContext",
    "Combination",
    "Diagnostic",
    "Fact",
    "Fix",
    "FixResult",
    "Fixer",
    "ImageHeader",
    "Location",
    "ProbeResult",
    "Problem",
    "ProblemKind",
    "Profile",
    "Reporter",
    "Rule",
    "RunReport",
    "Settings",
    "Severity",
    "Size",
    "Target",
    "TargetRequest",
]  # fmt: skip


class Severity(str, Enum):
    """How bad a diagnostic is: errors fail the run, warnings are reported only."""

    ERROR = "error"
    WARNING = "warning"


class Applicability(str, Enum):
    """Ruff's fix applicability: what a fix may lose, and so when it may be applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


#: EXIF orientations that turn the image a quarter: a viewer swaps its width and height.
SWAPPING_ORIENTATIONS = (5, 6, 7, 8)


@dataclass(frozen=True)
class ImageHeader:
    """What a header says about an image, read without decoding a pixel.

    ``size`` is the stored pixel size; ``orientation`` is the EXIF orientation (1 when absent
    or invalid). ``mode`` uses Pillow's mode names (``RGB``, ``RGBA``, ``L``, ``P``, ``CMYK``,
    ``I;16``, …); ``bits`` is the bit depth of one sample.
    """

    size: Size
    mode: str
    orientation: int = 1
    n_frames: int = 1
    has_alpha: bool = False
    bits: int = 8

    @property
    def display_size(self) -> Size:
        """The size a viewer shows: orientations 5–8 swap width and height."""
        return self.size.transposed() if self.orientation in SWAPPING_ORIENTATIONS else self.size


class ProblemKind(str, Enum):
    """Why a file could not be read as an image; each maps to one rule."""

    EMPTY = "empty"
    NOT_IMAGE = "not-image"
    TRUNCATED = "truncated"
    CORRUPT = "corrupt"
    IO_ERROR = "io-error"
    LFS_POINTER = "lfs-pointer"
    OUTSIDE_TREE = "outside-tree"
    NOT_OPENED = "not-opened"  # a known format the prober refuses to open (EPS, PDF, …)


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str


@dataclass(frozen=True)
class Asset:
    """One file as probed: its content format, header, or the problem that stopped the probe.

    ``format`` is the content format in Pillow's naming (``JPEG``, ``PNG``, ``WEBP``, ``GIF``,
    ``HEIF``, …) even when the file was not opened; ``None`` when the content is unknown.
    ``display`` is the path as the user gave it or relative to the working directory.
    """

    path: Path
    display: str
    byte_size: int
    format: str | None = None
    header: ImageHeader | None = None
    problem: Problem | None = None


@dataclass(frozen=True)
class ProbeResult:
    """What a prober found: the content format and header, or the problem that stopped it."""

    format: str | None
    header: ImageHeader | None = None
    problem: Problem | None = None


@dataclass(frozen=True)
class Location:
    """A place in a text file (e.g. a job file line) that declared something."""

    path: str
    line: int | None = None


@dataclass(frozen=True)
class TargetRequest:
    """What was declared for an asset: a model and a size, or ``size=None`` for ``auto``.

    ``per_asset`` is true for declarations made next to the asset (a job file, a file name):
    a size the model does not allow is then reported as SL003 instead of a usage error.
    """

    model: str
    size: Size | None
    source: str
    per_asset: bool = False
    origin: Location | None = None
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        """A request parameter the declaration gave that decides how the model treats the
        image: ``delivery``, ``ratio`` (the output's), ``resize_mode``, ``mime_type``."""
        for key, value in self.params:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class Target:
    """A resolved target: the profile and the exact size the asset must have, if known."""

    profile: Profile
    size: Size | None
    request: TargetRequest

    @property
    def allowed(self) -> bool:
        """Whether the requested size is one the profile accepts (always true for ``auto``)."""
        if self.request.size is None or not self.profile.exact:
            return True
        return self.request.size in self.profile.sizes


@dataclass(frozen=True)
class Fix:
    """A change that would resolve a diagnostic; data, applied later by its fixer.

    ``data`` carries fixer-specific, JSON-serialisable details (crop box, fill colour, …);
    ``report_fields`` are merged into the diagnostic's object by machine-readable reporters
    (the ``crop_bounds`` suggestion appears there under its own key).

    What a fix that changes the picture's geometry states, in public fields, is what applying
    it does (the bundled fixers compute both with the same function): ``result_size`` is the
    size of the fixed image; ``crop_box`` the part of the upright image it keeps and
    ``pad_box`` where that part goes in the result, each (left, top, right, bottom) in
    pixels; ``scale`` how much the kept part is resized (above 1 it is enlarged). ``None``
    where a fix does not say (it does not crop, pad or resize).
    """

    fixer: str
    applicability: Applicability
    description: str
    data: Mapping[str, Any] = field(default_factory=dict)
    report_fields: Mapping[str, Any] = field(default_factory=dict)
    result_size: Size | None = None
    crop_box: tuple[int, int, int, int] | None = None
    pad_box: tuple[int, int, int, int] | None = None
    scale: float | None = None

    def __post_init__(self) -> None:
        """A fix rebuilt from its data alone (the cache, a worker) gets its public geometry
        back from the same keys of ``data`` (``result_size``, ``crop_box``, ``pad_box``,
        ``scale``) that the bundled fixers fill; anything malformed there is left out."""
        data = self.data
        if not data or self.result_size is not None or "result_size" not in data:
            return
        size, crop, pad, scale = (data.get(k) for k in _GEOMETRY_KEYS)
        if _ints(size, 2):
            object.__setattr__(self, "result_size", Size(*size))
        if self.crop_box is None and _ints(crop, 4):
            object.__setattr__(self, "crop_box", tuple(crop))
        if self.pad_box is None and _ints(pad, 4):
            object.__setattr__(self, "pad_box", tuple(pad))
        if self.scale is None and isinstance(scale, int | float) and not isinstance(scale, bool):
            object.__setattr__(self, "scale", float(scale))


_GEOMETRY_KEYS = ("result_size", "crop_box", "pad_box", "scale")


def _ints(value: Any, count: int) -> TypeGuard[Sequence[int]]:
    """Whether ``value`` is ``count`` whole numbers (a size or a box kept in ``data``)."""
    return (
        isinstance(value, list | tuple)
        and len(value) == count
        and all(type(v) is int and v >= 0 for v in value)
    )


@dataclass(frozen=True)
class Diagnostic:
    """One finding. ``path`` is where it is shown (the asset, or a job file with ``line``);
    ``asset`` names the image when ``path`` is not the image itself."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int | None = None
    asset: str | None = None
    size: Size | None = None
    target: Size | None = None
    fixes: tuple[Fix, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """Resolved options a rule, fixer or reporter may read (CLI over config over defaults)."""

    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass(frozen=True)
class CheckContext:
    """Everything a rule sees for one asset."""

    asset: Asset
    target: Target | None
    settings: Settings


@dataclass(frozen=True)
class Rule:
    """A registered rule: a stable code and name (a public contract) and its check.

    ``check`` yields diagnostics for one asset; ``doc`` is Markdown with the sections
    What it does / Why is this bad? / Example / How to fix.

    ``pure=True`` promises that ``check`` depends only on the asset's ``format``, ``header``
    and ``problem``, its file name's extension, the target and the settings: never on the
    rest of the path, the byte size or anything outside. The engine then checks one file
    of each such kind and reuses the findings, path swapped, for the others (a finding
    shown elsewhere, at a job file's line, is never reused, so it may name the asset).
    """

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Callable[[CheckContext], Iterable[Diagnostic]]
    pure: bool = False

    def diagnostic(self, ctx: CheckContext, message: str, **extra: Any) -> Diagnostic:
        """Build a diagnostic of this rule for the context's asset; ``extra`` may move it
        (``path``/``line``/``asset``) to the text file that declared the target."""
        fields: dict[str, Any] = {"path": ctx.asset.display, **extra}
        return Diagnostic(self.code, self.name, self.severity, message, **fields)


@dataclass(frozen=True)
class Reporter:
    """An output format: ``write`` renders a finished run to a text stream.

    ``statistics``, when given, renders ``--statistics`` in this format instead: how many
    findings each rule has and whether ``--fix`` can fix them (``None``: not supported).
    """

    name: str
    description: str
    write: Callable[[RunReport, TextIO], None]
    statistics: Callable[[RunReport, TextIO], None] | None = None


@dataclass(frozen=True)
class RunReport:
    """The outcome of a run, handed to reporters."""

    diagnostics: tuple[Diagnostic, ...]
    files_checked: int
    fixed: tuple[FixResult, ...] = ()
    settings: Settings = field(default_factory=lambda: Settings({}))
    rules: Mapping[str, Rule] = field(default_factory=dict)
    fixers: Mapping[str, Fixer] = field(default_factory=dict)
    hints: tuple[str, ...] = ()
    assets: tuple[Asset, ...] = ()
    #: The findings that ``--fix`` made go away (as they were before the fix).
    resolved: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class FixResult:
    """What applying fixes did (or, in a dry run, would do) to one asset."""

    path: str
    fixers: tuple[str, ...]
    old_size: Size
    new_size: Size
    written: Path | None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Fixer:
    """A fixer plugin: ``propose`` attaches a fix to a diagnostic; ``apply`` transforms pixels.

    ``apply`` receives the upright, mode-converted image and returns the new image; it is only
    called for fixes whose applicability the user allowed. ``pure=True`` promises that
    ``propose`` depends only on the diagnostic and what a pure :class:`Rule` may read, so
    proposals made for one file are reused for files of the same kind.
    """

    name: str
    applicability: Applicability
    description: str
    propose: Callable[[Diagnostic, CheckContext], Fix | None]
    apply: Callable[[Image.Image, Fix, Settings], Image.Image] | None = None
    pure: bool = False
