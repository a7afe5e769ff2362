"""The fast probers agree with Pillow on every corpus file Pillow opens (or step aside).

Reference values come from Pillow itself, read live from the header (format, size, mode,
frames, alpha), and from the corpus manifest for EXIF orientation: the manifest was made
with Pillow 13's ``getexif()`` in a subprocess, which for a PNG decodes the whole image (not
something to do here on decompression bombs). Where Pillow is inconsistent, or a fast prober
deliberately differs, the file is named below with the reason.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image
from sora_lint_plugins.probes import jpeg as probe_jpeg
from sora_lint_plugins.probes import png as probe_png
from sora_lint_plugins.probes import webp as probe_webp

from sora_lint.types import ProbeResult
from tests.conftest import CORPUS
from tests.probe_support import probe

FAST: tuple[ModuleType, ...] = (probe_jpeg, probe_png, probe_webp)
ABSENT = f"shared corpus not found at {CORPUS} (only present beside the team's clone)"

#: Files Pillow opens but cannot decode, which a fast prober already reports as a problem.
STRICTER = {
    "image-size/valid/png/sample_fried.png": "Apple CgBI PNG: Pillow opens it, cannot decode it",
}
#: Files Pillow refuses at open that a fast prober answers for, on purpose.
LENIENT = {
    "libjpeg-turbo/monkey12.jpg": "12-bit JPEG: reported with bits=12 so SL008 can name it",
}


def _manifest() -> list[dict[str, str]]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    with open(CORPUS / "MANIFEST.tsv", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = _manifest()


def _pillow(path: Path) -> dict[str, Any] | None:
    """Pillow's header reading of the formats the fast probers cover (bomb limit lifted:
    these plugins read headers only; ICO, which decodes as it opens, is never tried)."""
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=("JPEG", "PNG", "WEBP")) as image:
                return {
                    "format": image.format,
                    "size": image.size,
                    "mode": image.mode,
                    "frames": getattr(image, "n_frames", 1),
                    "alpha": image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info,
                }
    except Exception:  # noqa: BLE001 - any refusal means "Pillow does not open it"
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _orientation(row: dict[str, str]) -> int | None:
    """The manifest's ``getexif()`` orientation, as an ImageHeader carries it."""
    if "pillow-getexif-raises" in row["tags"]:
        return None  # Pillow has no answer: its getexif() raised on this file
    value = row["exif_orientation"]
    return int(value) if value.isdigit() and 1 <= int(value) <= 8 else 1


def _fast(path: Path) -> list[tuple[str, ProbeResult]]:
    found = []
    for module in FAST:
        result = probe(module, path)
        if result is not None:
            found.append((module.__name__.rsplit(".", 1)[-1], result))
    return found


@pytest.mark.parametrize("row", ROWS or [None], ids=[r["path"] for r in ROWS] or ["corpus"])
def test_fast_probers_agree_with_pillow(row: dict[str, str] | None) -> None:
    if row is None:
        pytest.skip(ABSENT)
    path = CORPUS / row["path"]
    answers = _fast(path)
    assert len(answers) <= 1, "two fast probers claim the same file"
    reference = _pillow(path) if answers else None
    if reference is None:
        return  # the fallback answers, or Pillow refuses it (see the next test)
    name, result = answers[0]
    if result.header is None:
        assert row["path"] in STRICTER, f"{name}: {result.problem}"
        return
    header = result.header
    got = (result.format, header.size.width, header.size.height, header.mode)
    assert got == (reference["format"], *reference["size"], reference["mode"]), name
    assert header.n_frames == reference["frames"], name
    assert header.has_alpha == reference["alpha"], name
    expected = _orientation(row)
    if expected is not None:
        assert header.orientation == expected, name


def test_files_pillow_refuses_get_a_problem_or_are_documented() -> None:
    if not ROWS:
        pytest.skip(ABSENT)
    answered = set()
    for row in ROWS:
        path = CORPUS / row["path"]
        answers = _fast(path)
        if not answers or _pillow(path) is not None:
            continue
        for name, result in answers:
            if result.header is not None:
                answered.add(row["path"])
                assert result.format is not None, name
    assert answered == set(LENIENT)
