"""The fast PNG prober against Pillow on a header's fields: every mode, bit depth and colour
type, APNG frames, and a huge declared size answered without decoding."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PIL import Image
from sora_lint_plugins.probes import pillow as probe_pillow
from sora_lint_plugins.probes import png as probe_png

from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.types import Size
from tests.probe_support import chunk, host_probe, pillow_view, png, probe
from tests.probes.png_support import save_blank


@pytest.mark.parametrize(
    ("mode", "save", "bits", "alpha"),
    [
        ("1", {}, 1, False),
        ("L", {}, 8, False),
        ("L", {"transparency": 0}, 8, True),
        ("LA", {}, 8, True),
        ("P", {}, 1, False),
        ("P", {"transparency": 0}, 1, True),
        ("RGB", {}, 8, False),
        ("RGB", {"transparency": (0, 0, 0)}, 8, True),
        ("RGBA", {}, 8, True),
        ("I;16", {}, 16, False),
    ],
)
def test_pillow_made_modes_agree_with_pillow(
    tmp_path: Path, mode: str, save: dict[str, object], bits: int, alpha: bool
) -> None:
    path = save_blank(tmp_path / "x.png", mode, **save)
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    view = pillow_view(path)
    header = result.header
    assert (result.format, header.size, header.mode) == (view["format"], Size(7, 5), view["mode"])
    assert (header.has_alpha, header.bits) == (alpha, bits)
    assert header.has_alpha == view["alpha"]


@pytest.mark.parametrize(
    ("depth", "colour", "mode"),
    [
        (1, 0, "1"), (2, 0, "L"), (4, 0, "L"), (8, 0, "L"), (16, 0, "I;16"),
        (8, 2, "RGB"), (16, 2, "RGB"),
        (1, 3, "P"), (2, 3, "P"), (4, 3, "P"), (8, 3, "P"),
        (8, 4, "LA"), (16, 4, "RGBA"),
        (8, 6, "RGBA"), (16, 6, "RGBA"),
    ],
)  # fmt: skip
def test_every_bit_depth_and_colour_type_is_named_as_pillow_names_it(
    tmp_path: Path, depth: int, colour: int, mode: str
) -> None:
    palette = (chunk(b"PLTE", b"\x00\x00\x00" * 4),) if colour == 3 else ()
    path = tmp_path / "x.png"
    path.write_bytes(png(3, 2, depth, colour, before=palette))
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert result.header.mode == mode == pillow_view(path)["mode"]
    assert result.header.bits == depth
    assert result.header.has_alpha == (colour in (4, 6))


def test_apng_frames_match_pillow(tmp_path: Path) -> None:
    frames = [Image.new("RGBA", (8, 8), (40 * i, 0, 0, 255)) for i in range(3)]
    path = tmp_path / "a.png"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert result.format == "PNG"
    assert result.header.n_frames == 3 == pillow_view(path)["frames"]


@pytest.mark.parametrize(
    ("before", "frames"),
    [
        ((chunk(b"acTL", struct.pack(">II", 2, 0)),), 3),  # IDAT shown before the animation
        ((chunk(b"acTL", struct.pack(">II", 0, 0)),), 1),  # zero frames: Pillow ignores it
        ((chunk(b"acTL", struct.pack(">II", 2, 0)), chunk(b"acTL", struct.pack(">II", 5, 0))), 1),
    ],
)
def test_apng_declarations_as_pillow_counts_them(
    tmp_path: Path, before: tuple[bytes, ...], frames: int
) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(png(4, 4, before=before))
    result = probe(probe_png, path)
    assert result is not None and result.header is not None
    assert result.header.n_frames == frames == pillow_view(path)["frames"]


def test_huge_declared_size_is_reported_without_decoding(tmp_path: Path) -> None:
    """A 20000x20000 header with bogus IDAT: only a prober that never decodes answers."""
    path = tmp_path / "bomb.png"
    path.write_bytes(png(20000, 20000, idat=b"not zlib at all"))
    for module in (probe_png, probe_pillow):
        result = probe(module, path)
        assert result is not None and result.header is not None, module.__name__
        assert result.header.size == Size(20000, 20000)
    host = PluginHost(build_plugin_manager(autoload=False))
    answer = host_probe(host, path)
    assert answer is not None and answer.header is not None
    assert answer.header.size == Size(20000, 20000)
