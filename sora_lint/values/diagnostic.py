"""A finding and the fixes attached to it, with their severity and applicability
(re-exported by :mod:`sora_lint.types`, the public import path)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeGuard

from sora_lint.values.size import Size


class Severity(str, Enum):
    """How bad a diagnostic is: errors fail the run, warnings are reported only."""

    ERROR = "error"
    WARNING = "warning"


class Applicability(str, Enum):
    """Ruff's fix applicability: what a fix may lose, and so when it may be applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


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
