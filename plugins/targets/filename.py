"""A target in the file name (``hero_1280x720.png``), with ``target-from-filename = true``.

Answers after the job files (whose resolver runs first) and before the config default, for
images whose name carries a ``WxH`` between separators; the model stays the configured one.
A size that model does not allow is SL003 at the image, as for any per-asset declaration.
"""

from __future__ import annotations

import re

from sora_lint.config.options import OptionRegistry
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Asset, Settings, Size, TargetRequest

#: ``WxH`` as a whole token of the stem: ``hero_1280x720``, ``1280x720-hero``, ``a.720x1280``.
_IN_NAME = re.compile(r"(?:^|[_\-. @])([1-9][0-9]{1,4})[xX]([1-9][0-9]{1,4})(?=$|[_\-. @])")


def size_in_name(stem: str) -> Size | None:
    """The last ``WxH`` token of a file stem, if any."""
    found = _IN_NAME.findall(stem)
    if not found:
        return None
    width, height = found[-1]
    return Size(int(width), int(height))


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    options.add(
        "target-from-filename",
        "take an image's target size from a WxH in its file name (hero_1280x720.png)",
        default=False,
        kind="flag",
        plugin="target_filename",
        group="targets",
    )


@hookimpl
def sora_lint_resolve_target(asset: Asset, settings: Settings) -> TargetRequest | None:
    if not settings.get("target-from-filename"):
        return None
    name = asset.path.name
    size = size_in_name(name.rsplit(".", 1)[0] if "." in name else name)
    if size is None:
        return None
    return TargetRequest(
        model=settings["model"], size=size, source=f"file name {name}", per_asset=True
    )
