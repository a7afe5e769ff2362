"""What an asset must suit: the declared request and the resolved target (re-exported by
:mod:`sora_lint.types`, the public import path)."""

from __future__ import annotations

from dataclasses import dataclass

from sora_lint.values.profile import Profile
from sora_lint.values.size import Size


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
