"""A pixel size, as users write it (``1280x720``) and as every other value carries it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

_SIZE_RE = re.compile(r"^\s*([1-9][0-9]{0,5})\s*[xX×]\s*([1-9][0-9]{0,5})\s*$")


@dataclass(frozen=True, order=True)
class Size:
    """A pixel size; written and parsed as ``WxH`` everywhere a user sees it."""

    width: int
    height: int

    @classmethod
    def parse(cls, text: str) -> Size:
        """Parse ``1280x720``; raise ``ValueError`` with a user-facing message otherwise."""
        match = _SIZE_RE.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a size of the form WxH (e.g. 1280x720)")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def aspect(self) -> Fraction:
        return Fraction(self.width, self.height)

    @property
    def pixels(self) -> int:
        return self.width * self.height

    def transposed(self) -> Size:
        return Size(self.height, self.width)

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"
