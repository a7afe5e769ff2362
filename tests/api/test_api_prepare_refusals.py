"""``sora_lint.prepare`` refuses, in a sentence with the findings behind it, what cannot be
made acceptable: animations, undecoded formats, damaged, missing and non-regular files."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import sora_lint
from tests.api import support
from tests.api.support import BAD


def _animated(fmt: str) -> bytes:
    first = support.scene((64, 36))
    frames = [first, first.transpose(Image.Transpose.ROTATE_180)]
    return support.encoded(frames[0], fmt, save_all=True, append_images=frames[1:])


REFUSALS: list[tuple[str, Callable[[Path], Any], str, list[str]]] = [
    ("animated GIF", lambda _: _animated("GIF"), "GIF with 2 frames is animated", ["SL007"]),
    ("animated WebP", lambda _: _animated("WEBP"), "WEBP with 2 frames is animated", ["SL007"]),
    (
        "GIF",
        lambda _: support.encoded(support.scene((64, 36)), "GIF"),
        "GIF is not a format sora-lint decodes",
        [],
    ),
    ("truncated", lambda _: BAD / "truncated.png", "truncated PNG", ["SL004"]),
    ("LFS pointer", lambda _: BAD / "not_pulled.png", "Git LFS pointer", ["SL011"]),
    ("text", lambda _: b"hello", "not an image: the content is text", ["SL004"]),
    ("empty", lambda _: io.BytesIO(b""), "file is empty", ["SL004"]),
    ("missing", lambda folder: folder / "missing.png", "missing.png: no such file", []),
    ("FIFO", lambda folder: _fifo(folder), "is a FIFO, not a regular file", []),
    (
        "TIFF not decoded",
        lambda _: Image.open(io.BytesIO(support.encoded(support.scene((64, 36)), "TIFF"))),
        "a TIFF image not decoded yet",
        [],
    ),
]


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.png"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(("source", "message", "codes"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_what_cannot_be_made_acceptable_is_refused_in_a_sentence(
    source: Callable[[Path], Any], message: str, codes: list[str], tmp_path: Path
) -> None:
    with pytest.raises(sora_lint.PrepareError, match=message) as caught:
        sora_lint.prepare(source(tmp_path))
    assert [d.code for d in caught.value.diagnostics] == codes
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, sora_lint.SoraLintError)
