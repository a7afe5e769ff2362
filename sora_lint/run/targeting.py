"""Turn a declared target (model + size or ``auto``) into the exact size an asset must have."""

from __future__ import annotations

import math
from collections.abc import Mapping

from sora_lint.config.suggest import did_you_mean
from sora_lint.errors import PluginError, UsageError
from sora_lint.geometry.boxes import trim_box
from sora_lint.geometry.profile_fit import accepts, fit_size
from sora_lint.types import ImageHeader, Profile, Size, Target, TargetRequest

#: The last registry's lookup table, keyed by the registry itself: a run has one registry
#: (``PluginHost.profiles``), asked once per file.
_LOOKUP: list[tuple[Mapping[str, Profile], dict[str, Profile]]] = []


def model_ids(profiles: Mapping[str, Profile]) -> dict[str, Profile]:
    """Every name and alias (vendor model id, old name), case-folded, and its profile.

    Two profiles claiming one alias is a plugin error naming both; a name beats another
    profile's alias (a team's own ``kling`` profile is theirs), and is looked up first.
    """
    if _LOOKUP and _LOOKUP[0][0] is profiles:
        return _LOOKUP[0][1]
    table: dict[str, Profile] = {}
    for profile in profiles.values():
        for alias in profile.aliases:
            key = alias.casefold()
            other = table.get(key)
            if other is not None and other.name != profile.name:
                raise PluginError(
                    f"model id {alias!r} is an alias of both {other.name!r} and {profile.name!r}"
                )
            table[key] = profile
    table.update((profile.name.casefold(), profile) for profile in profiles.values())
    _LOOKUP[:] = [(profiles, table)]
    return table


def find_profile(profiles: Mapping[str, Profile], model: str) -> Profile | None:
    """The profile a model id selects: its name, or a vendor model id or old name listed in
    its ``aliases`` (``gen4.5``, ``veo-3.1-generate-001``, ``veo-3``), in any case."""
    found = profiles.get(model)
    if found is not None:
        return found
    return model_ids(profiles).get(model.casefold())


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
    ``grow`` for the pad fix, else the box for cover/stretch), so the size fixers just work;
    a tiny aspect miss is cropped in every mode (``boxes.trim_box``), so its size is the box.
    """
    profile = find_profile(profiles, request.model)
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
        if grow and size is not None:
            cropped = fit_size(profile, shown, grow=False)
            tiny = cropped is not None and trim_box(_dim(shown), _dim(cropped)) is not None
            if tiny:  # the fix crops a tiny miss rather than adding a sliver of canvas
                size = cropped
    return Target(profile=profile, size=size, request=request)


def _dim(size: Size) -> tuple[int, int]:
    return size.width, size.height


def check_declared(model: str, target: str, profiles: Mapping[str, Profile], where: str) -> None:
    """A model or size declared on the CLI or in config must exist: else exit 2 with choices
    (the profiles' names; their aliases, the vendors' model ids, work too)."""
    model_ids(profiles)  # an alias claimed twice is an error before anything runs
    profile = find_profile(profiles, model)
    if profile is None:
        ids = [*profiles, *(alias for p in profiles.values() for alias in p.aliases)]
        hint = did_you_mean(model, ids)
        raise UsageError(
            f"{where}model: unknown model {model!r}{hint}; allowed: {', '.join(profiles)} "
            "(or a vendor model id that `sora-lint profiles` lists as an alias)"
        )
    if target == "auto":
        return
    size = Size.parse(target)
    if not profile.exact:
        if not accepts(profile, size):
            raise UsageError(f"{where}target: {target} is not a size {profile.name} accepts")
        return
    if size not in profile.sizes:
        allowed = ", ".join(str(s) for s in profile.sizes)
        others = [p.name for p in profiles.values() if size in p.sizes]
        hint = f" ({', '.join(others)} allow{'s' if len(others) == 1 else ''} it)" if others else ""
        raise UsageError(
            f"{where}target: {target} is not a size {profile.name} allows; allowed: {allowed}{hint}"
        )
