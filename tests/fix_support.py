"""Helpers for the fix tests: real images with a known upright picture, and the pipeline run
directly on them with the bundled fixers (no CLI needed).

The diagnostics are built here from Pillow's reading of the file, the way the rules would
report them, so the fix pipeline is tested on its own.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageDraw

from sora_lint.config.options import OptionRegistry
from sora_lint.fix import fixing
from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.probing import probe_file
from sora_lint.types import (
    Asset,
    CheckContext,
    Diagnostic,
    ImageHeader,
    Profile,
    Settings,
    Severity,
    Size,
    Target,
    TargetRequest,
)

#: The transpose that undoes each EXIF orientation (what ``exif_transpose`` applies).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
#: The transpose that stores an upright picture under each orientation (the inverse).
STORE = {**UPRIGHT, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}

MARK = (255, 0, 0)


def picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """An upright picture: a gradient with a red block in its top-left corner, a blue one at
    the bottom-right, and some shapes, so orientation and cropping are visible in pixels."""
    w, h = size
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(size),
            Image.linear_gradient("L").rotate(90).resize(size),
            Image.new("L", size, 96),
        ),
    )
    draw = ImageDraw.Draw(base)
    bw, bh = max(1, w // 6), max(1, h // 6)
    draw.rectangle((0, 0, bw, bh), fill=MARK)
    draw.rectangle((w - bw, h - bh, w, h), fill=(0, 0, 255))
    draw.ellipse((w // 3, h // 3, w // 2, h // 2), fill=(20, 200, 40))
    return base if mode == "RGB" else base.convert(mode)


def write_picture(
    path: Path,
    upright_size: tuple[int, int],
    *,
    orientation: int = 1,
    fmt: str = "JPEG",
    mode: str = "RGB",
    exif_tags: dict[int, Any] | None = None,
    **save: Any,
) -> Path:
    """Store :func:`picture` so that a viewer honouring ``orientation`` shows it upright."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = picture(upright_size, mode)
    if orientation != 1:
        image = image.transpose(STORE[orientation])
    exif = Image.Exif()
    for tag, value in (exif_tags or {}).items():
        exif[tag] = value
    if orientation != 1:
        exif[0x0112] = orientation
    if len(exif):
        save["exif"] = exif.tobytes()
    image.save(path, fmt, **save)
    return path


def srgb_icc() -> bytes:
    data: bytes = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return data


def header_of(path: Path) -> tuple[str, ImageHeader]:
    """The header the way a run sees it: the project's own probe (the fix takes its
    orientation from it, so the tests must too)."""
    asset = probe_file(path, str(path), _probing_host(), (path.parent.resolve(),))
    assert asset.header is not None and asset.format is not None, asset.problem
    return asset.format, asset.header


def host() -> PluginHost:
    return PluginHost(build_plugin_manager(autoload=False))


@functools.cache
def _probing_host() -> PluginHost:
    """One host for every probe (building one per call doubled the fix tests' time)."""
    return host()


def settings(the_host: PluginHost | None = None, **values: Any) -> Settings:
    """Defaults of every fix option (core and fixer plugins), overridden by ``values`` whose
    underscores stand for dashes (``fix_mode="cover"``)."""
    registry = OptionRegistry()
    fixing.declare_fix_options(registry)
    merged = registry.defaults()
    merged.update((the_host or host()).options.defaults())
    merged.update({key.replace("_", "-"): value for key, value in values.items()})
    return Settings(merged)


PROFILE = Profile(
    "test-model",
    (Size(1280, 720), Size(720, 1280), Size(1792, 1024), Size(1024, 1792), Size(64, 36)),
    frozenset({"JPEG", "PNG", "WEBP"}),
)


def context(
    path: Path, target: Size, the_settings: Settings
) -> tuple[CheckContext, list[Diagnostic]]:
    """The asset, its target and the diagnostics the rules would report for it."""
    fmt, header = header_of(path)
    asset = Asset(path=path, display=str(path), byte_size=path.stat().st_size, format=fmt,
                  header=header)  # fmt: skip
    request = TargetRequest(model=PROFILE.name, size=target, source="test")
    ctx = CheckContext(asset, Target(PROFILE, target, request), the_settings)
    found: list[Diagnostic] = []

    def add(code: str, name: str, severity: Severity, **extra: Any) -> None:
        found.append(Diagnostic(code, name, severity, f"{code} test", str(path), **extra))

    if header.size != target:
        add("SL001", "size-mismatch", Severity.ERROR, size=header.size, target=target)
    if header.orientation != 1:
        add("SL006", "exif-orientation", Severity.WARNING)
    if header.mode not in ("RGB", "RGBA", "L") or header.bits != 8:
        add("SL008", "color-mode", Severity.WARNING)
    if header.has_alpha:
        add("SL009", "transparency", Severity.WARNING)
    return ctx, found


def fix(path: Path, target: Size, **values: Any) -> fixing.FixOutcome:
    """Propose and apply fixes to ``path`` as the engine does, with the bundled fixers."""
    the_host = host()
    the_settings = settings(the_host, **values)
    ctx, diagnostics = context(path, target, the_settings)
    fixers = the_host.fixers
    proposed = [fixing.propose_fixes(d, ctx, fixers) for d in diagnostics]
    return fixing.fix_asset(ctx, proposed, fixers, the_settings)


def pixel(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    value = image.convert("RGB").getpixel(xy)
    assert isinstance(value, tuple)
    return value


def near(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=False))


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
