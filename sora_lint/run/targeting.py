"""Turn a declared target (model + size or ``auto``) into the exact size an asset must have."""

from __future__ import annotations

import math
from collections.abc import Mapping

from sora_lint.config.suggest import did_you_mean
from sora_lint.errors import UsageError
from sora_lint.geometry.profile_fit import fit_size
from sora_lint.types import ImageHeader, Profile, Size, Target, TargetRequest


def nearest_size(sizes: tuple[Size, ...], shown: Size) -> Size:
    """The allowed size whose aspect ratio is closest to ``shown`` (on a log scale).

    Ties go to the size listed first, so a square image maps to the profile's landscape size.
    """
    ratio = math.log(shown.width / shown.height)
    return min(sizes, key=lambda s: abs(math.log(s.width / s.height) - ratio))


def build_target(
    request: TargetRequest,
    profiles: Mapping[str, Profile],
    header: ImageHeader | None,
    grow: bool = True,
) -> Target | None:
    """The resolved target, or None when the request names a model nobody registered.

    For a profile without exact sizes (aspect ranges, side limits) the size is only set when
    the image does not fit as it is: the nearest size that does (``profile_fit.fit_size``;
    ``grow`` for the pad fix, else the box for cover/stretch), so the size fixers just work.
    """
    profile = profiles.get(request.model)
    if profile is None:
        return None
    shown = None if request.size is not None or header is None else header.display_size
    if request.size is not None:
        size: Size | None = request.size
    elif shown is None:
        size = None
    elif profile.exact:
        size = nearest_size(profile.sizes, shown)
    else:
        size = fit_size(profile, shown, grow=grow)
    return Target(profile=profile, size=size, request=request)


def check_declared(model: str, target: str, profiles: Mapping[str, Profile], where: str) -> None:
    """A model or size declared on the CLI or in config must exist: else exit 2 with choices."""
    profile = profiles.get(model)
    if profile is None:
        hint = did_you_mean(model, profiles)
        raise UsageError(
            f"{where}model: unknown model {model!r}{hint}; allowed: {', '.join(profiles)}"
        )
    if target == "auto" or not profile.exact:
        return
    size = Size.parse(target)
    if size not in profile.sizes:
        allowed = ", ".join(str(s) for s in profile.sizes)
        others = [p.name for p in profiles.values() if size in p.sizes]
        hint = f" ({', '.join(others)} allow{'s' if len(others) == 1 else ''} it)" if others else ""
        raise UsageError(
            f"{where}target: {target} is not a size {model} allows; allowed: {allowed}{hint}"
        )
