"""Target profiles for the image-to-video models teams moved to after Sora 2 (Veo, Runway,
Kling, Hailuo, Seedance, Wan, Vidu, Stable Video Diffusion, Luma), each a data file in
``data/`` with the source, date and vendor flag of every fact.
"""

from __future__ import annotations

from collections.abc import Iterable

from sora_lint.hookspecs import hookimpl
from sora_lint.types import Profile, Settings

from .bundled import VENDORS, data_stamp, load


@hookimpl
def sora_lint_register_profiles() -> Iterable[Profile]:
    return [load(name) for name in VENDORS]


@hookimpl
def sora_lint_cache_stamp(settings: Settings) -> str:
    """The profiles' data files decide every verdict: cached results follow them."""
    return data_stamp(VENDORS)


#: The module constants of the profiles before they became data, and the profiles that
#: replaced them (``RUNWAY_GEN4`` is ``runway-gen4-turbo``, whose alias ``runway-gen4`` is).
_FORMER = {
    "VEO_3": "veo-3.1", "RUNWAY_GEN4": "runway-gen4-turbo", "KLING": "kling-3",
    "LUMA_RAY2": "luma-ray2",
}  # fmt: skip


def __getattr__(name: str) -> Profile:
    if name in _FORMER:
        return load(_FORMER[name])
    raise AttributeError(name)
