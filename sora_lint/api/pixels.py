"""The picture ``prepare`` works on: its memory reserved from ``max-decode-memory`` as
``--fix`` reserves it, decoded through ``--fix``'s allow-list (or a PIL image's own pixels),
and the chosen fixes applied by ``--fix``'s own code."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from sora_lint.api.formats import holds_alpha
from sora_lint.errors import PrepareError, SoraLintError
from sora_lint.types import Asset, Fix, Settings

if TYPE_CHECKING:
    from PIL import Image

    from sora_lint.api.context import Context
    from sora_lint.api.sources import Source
    from sora_lint.fix.decoding import Decoded
    from sora_lint.fix.fixing import FixPlan


def memory(
    asset: Asset, data: bytes | None, plan: FixPlan, settings: Settings, source: Source
) -> int:
    """What decoding and fixing take (``--fix``'s estimate, plus the source's bytes held in
    memory); over the ``max-decode-memory`` budget is a :class:`PrepareError`."""
    from sora_lint.fix import budget, decoding

    header = asset.header
    if header is None:  # refused before
        raise PrepareError(f"cannot prepare {source.display}: no header")
    if data is None:  # decoded already: the working copies and the outputs
        needed = budget.decode_estimate(None, header, 1, _largest_target(plan.apply))
    else:
        needed = decoding.fix_estimate(asset.format, header, plan.apply) + len(data)
    limit = int(settings.get("max-decode-memory") or budget.DEFAULT_BUDGET)
    refused = budget.over_budget(needed, limit)
    if refused is not None:
        raise PrepareError(f"cannot prepare {source.display}: {refused}")
    return needed


def decode(
    asset: Asset, data: bytes | None, plan: FixPlan, source: Source, out_format: str
) -> Decoded:
    """The upright 8-bit picture: decoded through ``--fix``'s allow-list, or a PIL image's
    own pixels; a decoder's failure on hostile bytes is a :class:`PrepareError`."""
    from sora_lint.fix import decoding

    header = asset.header
    if header is None:  # refused before
        raise PrepareError(f"cannot prepare {source.display}: no header")
    try:
        if source.image is not None:
            return decoding.from_picture(source.image, out_format, header)
        return decoding.read_from(io.BytesIO(data or b""), asset.format or "", header, plan.apply)
    except SoraLintError:
        raise
    except Exception as exc:  # noqa: BLE001 - anything a hostile file does is a refusal
        raise PrepareError(
            f"cannot prepare {source.display}: it could not be decoded ({reason(exc)})"
        ) from None


def render(
    decoded: Decoded, plan: FixPlan, ctx: Context, out_format: str, source: Source
) -> tuple[Image.Image, dict[str, Any]]:
    """The fixed picture and what the fixers said; transparency the format cannot hold is
    flattened onto the pad colour (and said)."""
    from sora_lint.fix import imaging, rendering

    try:
        image, said = rendering.apply_fixes(decoded.image, plan.apply, ctx.host.fixers,
                                            ctx.settings)  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - a fixer's failure on this picture
        raise PrepareError(
            f"cannot prepare {source.display}: fixing it failed ({reason(exc)})"
        ) from None
    if imaging.has_alpha(image) and not holds_alpha(out_format):
        colour = str(ctx.settings.get("pad-color") or "black")
        image = imaging.flatten(image, colour)
        said["flattened_for_format"] = "black" if colour == "blur" else colour
    return image, said


def reason(exc: BaseException) -> str:
    """An exception in one line: its type and first line."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _largest_target(fixes: tuple[Fix, ...]) -> tuple[int, int] | None:
    targets = [fix.data["target"] for fix in fixes if fix.data.get("target")]
    best = max(targets, key=lambda t: int(t[0]) * int(t[1]), default=None)
    return None if best is None else (int(best[0]), int(best[1]))
