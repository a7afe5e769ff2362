"""Sending a prepared image: written to a file atomically without following a symlink, or as
a data URI, base64 or an upload tuple under a safe name."""

from __future__ import annotations

import os
from pathlib import Path

import sora_lint
from tests.api import support


def test_to_file_is_atomic_and_never_follows_a_symlink(tmp_path: Path) -> None:
    prepared = sora_lint.prepare(support.cmyk_jpeg())
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "frame.jpg"
    link.symlink_to(victim)
    assert prepared.to_file(link) == link
    assert not link.is_symlink() and link.read_bytes() == prepared.data
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert sorted(os.listdir(tmp_path)) == ["frame.jpg", "victim.txt"]


def test_ways_to_send_it() -> None:
    import base64

    prepared = sora_lint.prepare(support.rgba_png(), name='.pass "wd"\x1b.PNG')
    assert prepared.filename == "pass_wd.png"  # a name an upload may carry
    prefix, _, body = prepared.to_data_uri().partition(",")
    assert prefix == "data:image/png;base64" and base64.b64decode(body) == prepared.data
    assert prepared.to_base64() == body
    assert prepared.to_upload() == ("pass_wd.png", prepared.data, "image/png")
    assert "data=" not in repr(prepared)  # no megabytes in a log line
