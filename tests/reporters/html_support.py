"""A report with offending assets of several kinds, written as real image files: what the HTML
report tests render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from sora_lint.types import (
    Applicability,
    Asset,
    Diagnostic,
    Fix,
    ImageHeader,
    Problem,
    ProblemKind,
    RunReport,
    Settings,
    Severity,
    Size,
)

HOSTILE = '<img src=x onerror=alert(1)> "quote" & ünï.png'


def _gradient(size: tuple[int, int]) -> Image.Image:
    """A picture with structure, so a wrong crop or an upside-down preview shows."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    r, g, b = image.split()
    return Image.merge(
        "RGB", (r, g.transpose(Image.Transpose.FLIP_LEFT_RIGHT), b.point(lambda v: 255 - v))
    )


def _sl001(display: str, size: Size, target: Size, fixes: tuple[Fix, ...] = ()) -> Diagnostic:
    message = f"Inpaint image must match the requested width and height: {size} vs {target}"
    return Diagnostic(
        "SL001",
        "size-mismatch",
        Severity.ERROR,
        message,
        display,
        size=size,
        target=target,
        fixes=fixes,
    )


def build_report(folder: Path, settings: dict[str, Any] | None = None) -> RunReport:
    """Offending assets of several kinds, written as real files under ``folder``."""
    (folder / "art" / "sub").mkdir(parents=True)
    assets: list[Asset] = []
    diags: list[Diagnostic] = []

    def add(
        name: str, image: Image.Image, fmt: str, target: Size, orientation: int = 1, **save: Any
    ) -> None:
        path = folder / name
        image.save(path, fmt, **save)
        header = ImageHeader(
            Size(*image.size), image.mode, orientation=orientation, has_alpha="A" in image.mode
        )
        display = str(path.relative_to(folder))
        assets.append(Asset(path, display, path.stat().st_size, fmt, header))
        diags.append(_sl001(display, header.display_size, target))

    add("art/wide.jpg", _gradient((1600, 1000)), "JPEG", Size(1280, 720))
    add(f"art/sub/{HOSTILE}", _gradient((800, 1000)), "PNG", Size(720, 1280))
    add("art/alpha.png", _gradient((900, 900)).convert("RGBA"), "PNG", Size(1280, 720))
    exif = Image.Exif()
    exif[0x0112] = 6
    add(
        "art/rotated.jpg", _gradient((1000, 700)), "JPEG", Size(720, 1280), orientation=6, exif=exif
    )
    pad = Fix(
        "pad", Applicability.SAFE, "pad with blur", data={"box": [0, 0, 1280, 720], "fill": "blur"}
    )
    diags[0] = _sl001(diags[0].path, diags[0].size or Size(1, 1), Size(1280, 720), (pad,))
    broken = folder / "art" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n")
    assets.append(
        Asset(broken, "art/broken.png", 8, "PNG", None, Problem(ProblemKind.TRUNCATED, "t"))
    )
    diags.append(Diagnostic("SL004", "unreadable", Severity.ERROR, "truncated", "art/broken.png"))
    diags.append(
        Diagnostic("SL003", "unsupported-size", Severity.ERROR, "bad", "jobs.toml", 3, "gone.png")
    )
    return RunReport(
        tuple(diags), files_checked=9, settings=Settings(settings or {}), assets=tuple(assets)
    )
