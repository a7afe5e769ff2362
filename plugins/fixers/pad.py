"""The ``pad`` fixer (safe, the default ``--fix-mode``): scale to fit, letterbox to the exact
target. Nothing of the picture is lost; the bars are a colour or a blurred copy of it."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sora_lint.config.options import OptionRegistry, int_between
from sora_lint.geometry import boxes
from sora_lint.hookspecs import hookimpl
from sora_lint.types import Applicability, CheckContext, Diagnostic, Fix, Fixer, Settings

from . import resize

if TYPE_CHECKING:  # Pillow is imported only when a fix is applied, never to check
    from PIL import Image

NAME = "pad"


def parse_pad_color(raw: Any) -> str:
    """A CSS colour name, ``#rgb``/``#rrggbb``, ``rgb(...)``, or ``blur``."""
    from PIL import ImageColor

    if not isinstance(raw, str):
        raise ValueError(f"expected a colour name, #rrggbb or blur, got {raw!r}")
    text = raw.strip().lower()
    if text == "blur":
        return text
    try:
        ImageColor.getrgb(text)
    except ValueError:
        raise ValueError(
            f"{raw!r} is not a colour: use a name (black, white, …), #rrggbb, or blur"
        ) from None
    return text


def propose(diagnostic: Diagnostic, ctx: CheckContext) -> Fix | None:
    request = resize.resize_request(diagnostic, ctx, grow=True)
    if request is None:
        return None
    return pad_fix(*request, str(ctx.settings.get("pad-color") or "black"))


@functools.lru_cache(maxsize=resize.REMEMBERED)
def pad_fix(src: boxes.Dim, target: boxes.Dim, colour: str) -> Fix | None:
    """The pad fix from upright size ``src`` to ``target`` with ``colour`` bars (pure);
    ``None`` for a tiny aspect miss, which the ``trim`` fix crops instead of adding a bar of
    a pixel or two and resampling the whole picture."""
    same = resize.same_aspect_fix(NAME, src, target)
    if same is not None:
        return same
    if boxes.trim_box(src, target) is not None:
        return None
    box = boxes.letterbox(src, target)
    fitted = (box[2] - box[0], box[3] - box[1])
    if fitted[0] < target[0]:
        bars = f"{box[0]}/{target[0] - box[2]} px bars left/right"
    else:
        bars = f"{box[1]}/{target[1] - box[3]} px bars top/bottom"
    scale = boxes.fit_scale(src, target)
    data = resize.base_data(src, target, fitted, scale, pad=box)
    data.update({"box": list(box), "fill": colour})
    text = (
        f"pad: scale {src[0]}x{src[1]} to {fitted[0]}x{fitted[1]}{resize.enlarging(scale)} and "
        f"add {'blurred-copy' if colour == 'blur' else colour} {bars} "
        f"to reach {target[0]}x{target[1]}"
    )
    return Fix(NAME, Applicability.SAFE, text, data=data)


#: A blur radius from 1 to 4096 target pixels: wider changes nothing a video's largest frame
#: shows, and Pillow refuses some larger ones per file ("radius too large"), so the option
#: is refused up front (exit 2 naming it) instead.
BLUR_RADIUS = int_between(1, 4096)


def _blurred_background(image: Image.Image, target: boxes.Dim, radius: int) -> Image.Image:
    """A blurred copy covering the target, as video editors fill vertical clips' sides.

    Blurred at 1/8 scale then enlarged: the same look as a large blur, at a fraction of the
    cost.
    """
    from PIL import Image, ImageFilter

    small = (max(1, target[0] // 8), max(1, target[1] // 8))
    box = boxes.scaled_box(boxes.crop_region(image.size, small), image.size, image.size)
    thumb = image.resize(small, Image.Resampling.BILINEAR, box=box, reducing_gap=2.0)
    thumb = thumb.filter(ImageFilter.GaussianBlur(max(1, radius // 8)))
    return thumb.resize(target, Image.Resampling.BILINEAR)


def apply(image: Image.Image, fix: Fix, settings: Settings) -> Image.Image:
    from PIL import Image

    from sora_lint.fix.imaging import fill_colour

    target = resize.target_of(fix)
    if fix.data.get("same_aspect"):
        return resize.plain_resize(image, fix)
    left, top, right, bottom = (int(v) for v in fix.data["box"])
    fitted = resize.resample(image, (right - left, bottom - top), source=resize.source_of(fix))
    fill = str(fix.data.get("fill") or "black")
    if fill == "blur":
        radius = int(settings.get("pad-blur-radius") or 40)
        canvas = _blurred_background(image, target, radius)
    else:
        canvas = Image.new(image.mode, target, fill_colour(fill, image.mode))
    canvas.paste(fitted, (left, top))
    canvas.info["sora-lint"] = resize.applied(fix, pad_box=[left, top, right, bottom], fill=fill)
    return canvas


@hookimpl
def sora_lint_addoption(options: OptionRegistry) -> None:
    options.add(
        "pad-color",
        "pad fill: a colour name, #rrggbb, or blur (a blurred copy)",
        default="black",
        parse=parse_pad_color,
        metavar="COLOUR",
        plugin=NAME,
    )
    options.add("pad-blur-radius", "blur radius in target pixels for --pad-color blur",
                default=40, parse=BLUR_RADIUS, metavar="PX", plugin=NAME)  # fmt: skip


@hookimpl
def sora_lint_register_fixers() -> Iterable[Fixer]:
    return [
        Fixer(NAME, Applicability.SAFE, "scale to fit and letterbox to the exact target size",
              propose=propose, apply=apply, pure=True)
    ]  # fmt: skip
