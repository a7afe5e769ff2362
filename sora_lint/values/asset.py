"""A file as probed: its header, or the problem that stopped the probe (re-exported by
:mod:`sora_lint.types`, the public import path)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sora_lint.values.size import Size

#: EXIF orientations that turn the image a quarter: a viewer swaps its width and height.
SWAPPING_ORIENTATIONS = (5, 6, 7, 8)


@dataclass(frozen=True)
class ImageHeader:
    """What a header says about an image, read without decoding a pixel.

    ``size`` is the stored pixel size; ``orientation`` is the EXIF orientation (1 when absent
    or invalid). ``mode`` uses Pillow's mode names (``RGB``, ``RGBA``, ``L``, ``P``, ``CMYK``,
    ``I;16``, …); ``bits`` is the bit depth of one sample.
    """

    size: Size
    mode: str
    orientation: int = 1
    n_frames: int = 1
    has_alpha: bool = False
    bits: int = 8

    @property
    def display_size(self) -> Size:
        """The size a viewer shows: orientations 5–8 swap width and height."""
        return self.size.transposed() if self.orientation in SWAPPING_ORIENTATIONS else self.size


class ProblemKind(str, Enum):
    """Why a file could not be read as an image; each maps to one rule."""

    EMPTY = "empty"
    NOT_IMAGE = "not-image"
    TRUNCATED = "truncated"
    CORRUPT = "corrupt"
    IO_ERROR = "io-error"
    LFS_POINTER = "lfs-pointer"
    OUTSIDE_TREE = "outside-tree"
    NOT_OPENED = "not-opened"  # a known format the prober refuses to open (EPS, PDF, …)


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str


@dataclass(frozen=True)
class Asset:
    """One file as probed: its content format, header, or the problem that stopped the probe.

    ``format`` is the content format in Pillow's naming (``JPEG``, ``PNG``, ``WEBP``, ``GIF``,
    ``HEIF``, …) even when the file was not opened; ``None`` when the content is unknown.
    ``display`` is the path as the user gave it or relative to the working directory.
    """

    path: Path
    display: str
    byte_size: int
    format: str | None = None
    header: ImageHeader | None = None
    problem: Problem | None = None


@dataclass(frozen=True)
class ProbeResult:
    """What a prober found: the content format and header, or the problem that stopped it."""

    format: str | None
    header: ImageHeader | None = None
    problem: Problem | None = None
