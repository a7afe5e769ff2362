"""Probe results sent back by forked workers come back equal, whatever a prober put in them."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Any

import pytest

from sora_lint.parallel import probed
from sora_lint.parallel.probed import AssetPacker, AssetUnpacker
from sora_lint.run.discovery import Candidate
from sora_lint.run.probing import probe_file
from sora_lint.types import Asset, ImageHeader, Size
from tests.fix_support import host
from tests.speed_support import mixed_tree


@dataclasses.dataclass(frozen=True)
class PluginHeader(ImageHeader):
    """A third-party prober's header with a field of its own: the codec cannot carry it."""

    camera: str = "x"


def candidates_of(paths: list[Path]) -> list[Candidate]:
    return [Candidate(path, path.name, False, str(path)) for path in paths]


def travel(packer: AssetPacker, unpacker: AssetUnpacker, assets: list[Asset],
           chunk: list[Candidate]) -> list[Asset]:  # fmt: skip
    """``assets`` through a pipe, as a worker sends them."""
    message: Any = pickle.loads(pickle.dumps(packer.pack(assets)))
    return unpacker.unpack(*message, chunk)


def test_every_kind_of_file_comes_back_equal_and_each_kind_travels_once(tmp_path: Path) -> None:
    paths = mixed_tree(tmp_path, copies=2)  # images, an empty file, text, an LFS pointer
    chunk = candidates_of(paths)
    the_host = host()
    assets = [probe_file(c.path, c.display, the_host, [tmp_path], c.file) for c in chunk]
    packer, unpacker = AssetPacker(), AssetUnpacker()
    half = len(chunk) // 2  # two chunks: the second uses the kinds the first defined
    first = travel(packer, unpacker, assets[:half], chunk[:half])
    defined, flat = packer.pack(assets[half:])
    assert defined == []  # the second copy of the set: every kind is known already
    assert sum(type(kind) is int for kind in flat[::2]) == len(assert_images(assets[half:]))
    second = unpacker.unpack(*pickle.loads(pickle.dumps((defined, flat))), chunk[half:])
    assert first + second == assets


def assert_images(assets: list[Asset]) -> list[Asset]:
    """The assets that are images (a header, no problem): the ones sent as a number."""
    images = [a for a in assets if a.problem is None and a.header is not None]
    assert len(images) > 5
    return images


def test_a_plugins_header_type_travels_whole(tmp_path: Path) -> None:
    chunk = candidates_of([tmp_path / "a.png", tmp_path / "b.png"])
    header = PluginHeader(Size(640, 360), "RGB", 1, 1, False, 8, camera="xyz")
    assets = [Asset(c.path, c.display, 10, "PNG", header) for c in chunk]
    back = travel(AssetPacker(), AssetUnpacker(), assets, chunk)
    assert back == assets and all(type(a.header) is PluginHeader for a in back)


def test_a_header_the_codec_would_change_travels_whole(tmp_path: Path) -> None:
    chunk = candidates_of([tmp_path / "a.png"])
    header = ImageHeader(Size(640, 360), "RGB", 1, 1, 0, 8)  # type: ignore[arg-type]
    assets = [Asset(chunk[0].path, chunk[0].display, 10, "PNG", header)]
    packer = AssetPacker()
    back = travel(packer, AssetUnpacker(), assets, chunk)
    assert back == assets and type(back[0].header.has_alpha) is int  # type: ignore[union-attr]


def test_past_the_limit_kinds_travel_whole(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(probed, "MAX_KINDS", 1)
    chunk = candidates_of([tmp_path / f"{n}.png" for n in range(3)])
    headers = [ImageHeader(Size(100 + n, 100), "RGB", 1, 1, False, 8) for n in range(3)]
    assets = [Asset(c.path, c.display, 10, "PNG", h) for c, h in zip(chunk, headers, strict=True)]
    packer = AssetPacker()
    defined, flat = packer.pack(assets)
    assert len(defined) == 1 and [type(kind) for kind in flat[::2]] == [int, tuple, tuple]
    assert AssetUnpacker().unpack(defined, flat, chunk) == assets


@pytest.mark.parametrize("workers", [2])
def test_each_worker_numbers_its_own_kinds(tmp_path: Path, workers: int) -> None:
    chunk = candidates_of([tmp_path / "a.png", tmp_path / "b.png"])
    one = ImageHeader(Size(640, 360), "RGB", 1, 1, False, 8)
    two = ImageHeader(Size(1280, 720), "RGBA", 6, 1, True, 8)
    packers = [AssetPacker() for _ in range(workers)]
    unpackers = [AssetUnpacker() for _ in range(workers)]  # the main process keeps one each
    sent = [[Asset(c.path, c.display, 10, "PNG", h) for c in chunk] for h in (one, two)]
    for packer, unpacker, assets in zip(packers, unpackers, sent, strict=True):
        assert travel(packer, unpacker, assets, chunk) == assets  # both number theirs 0
