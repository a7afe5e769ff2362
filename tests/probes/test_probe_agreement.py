"""sora-lint's verdict agrees with Pillow's, the decoder ``--fix`` uses, on every file.

Every file of the fuzz corpus (:mod:`tests.probes.fuzz_corpus`), of the issue's cases and of
``../shared/corpus`` is probed the way a run probes it (every prober, the core's checks) and
compared with :func:`~tests.probes.pillow_oracle.pillow_view`: a file sora-lint calls fine is
one Pillow opens and decodes, with the same format, size, mode, frames and orientation; a file
Pillow refuses or cannot decode gets SL004. Each remaining difference falls in one of the
:data:`JUSTIFIED` kinds below, which say why; anything else fails the test.
"""

from __future__ import annotations

import csv
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.probing import probe_file
from sora_lint.types import Asset, ProblemKind
from tests.conftest import CORPUS
from tests.probe_support import chunk, png
from tests.probes import fuzz_corpus
from tests.probes.pillow_oracle import PillowView, pillow_view

#: Files of the fuzz corpus compared on every run (about 3 s).
FUZZ_FILES = 1500
#: The differences that remain, each with the reason it is right to differ.
JUSTIFIED = {
    "decoded-only": "Pillow opens the file but cannot decode its pixels: damage inside the "
    "compressed image data (or image data that does not match the header) is found only by "
    "decoding, which check mode never does. The file's structure is whole: its end marker is "
    "there, so the end-of-file checks have nothing to find.",
    "cut-after-pixels": "The file ends before its end marker (PNG's IEND, the GIF trailer), or a "
    "chunk runs past the end of the file: Pillow stops reading once the first frame's pixels "
    "decode, so it opens it, but the file was cut (libpng and browsers report it) and what "
    "followed the cut (later frames, metadata) is lost.",
    "flood": "More segments or chunks (65,536), or padding or junk (about 1 MiB), before the "
    "image data than sora-lint reads: Pillow would read each in Python, so the file is refused "
    "rather than handed to it. No real file comes near.",
    "cgbi": "An Apple-optimised (CgBI) PNG: Pillow skips the CgBI chunk as unknown, then cannot "
    "decode the raw-deflate image data such files hold; refused up front.",
    "split-idat": "IDAT chunks resume after other chunks: decoders stop at the first other "
    "chunk, so the image data before it is incomplete, unless (only in fuzzed files) it happens "
    "to be whole already; reported as corrupt.",
    "not-checked": "A format no bundled profile accepts (TIFF, BMP, ICNS, PSD, …): sora-lint "
    "reads its header through Pillow and never its pixels, and has no end-of-file check for it; "
    "SL002 reports the format.",
    "tiff-rotated-size": "Pillow reports a TIFF with orientation 5–8 at its rotated size; "
    "sora-lint keeps the stored size with the orientation, as for every other format (the "
    "displayed size is the same).",
    "psd-layers": "A PSD's layers are not frames of an animation.",
    "too-large-to-decode": "Larger than the test decodes (a decompression bomb): Pillow opens "
    "it, sora-lint reports what the header and the end of the file show, and no decode here "
    "can confirm either.",
}
NOT_CHECKED = frozenset({"TIFF", "BMP", "ICNS", "PSD", "DDS", "JPEG2000", "QOI", "CUR", "AVIF"})


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(build_plugin_manager(autoload=False))


def verdict(host: PluginHost, path: Path) -> Asset:
    """The asset a run makes of ``path``: every prober, after the core's safety checks."""
    return probe_file(path, path.name, host, [path.parent])


def difference(asset: Asset, pillow: PillowView, data: bytes) -> str | None:
    """``None`` when sora-lint and Pillow agree; else the :data:`JUSTIFIED` kind of the
    difference, or a description of one that none justifies."""
    problem, header = asset.problem, asset.header
    if not pillow.opens:
        return None if header is None else f"Pillow refuses ({pillow.error}), sora-lint reads it"
    if header is None:
        assert problem is not None
        if pillow.loads is False:
            return None  # both refuse: Pillow at the decode, sora-lint from the header
        if pillow.loads is None and asset.format not in NOT_CHECKED:
            return "too-large-to-decode"
        return _refused_by_us(asset, pillow, data)
    if pillow.loads is False:
        return _decode_only(asset, pillow, data)
    found = {
        "format": asset.format,
        "size": (header.size.width, header.size.height),
        "mode": header.mode,
        "alpha": header.has_alpha,
    }
    expected = {"format": pillow.format, "size": pillow.size, "mode": pillow.mode,
                "alpha": pillow.alpha}  # fmt: skip
    if pillow.frames is not None:
        found["frames"], expected["frames"] = header.n_frames, pillow.frames
    if pillow.orientation is not None:
        found["orientation"], expected["orientation"] = header.orientation, pillow.orientation
    if found == expected:
        return None
    rotated = expected | {"size": pillow.size[::-1]}
    if asset.format == "TIFF" and header.orientation > 4 and found == rotated:
        return "tiff-rotated-size"
    if asset.format == "PSD" and found == expected | {"frames": 1}:
        return "psd-layers"
    return f"sora-lint reads {found}, Pillow {expected}"


def _refused_by_us(asset: Asset, pillow: PillowView, data: bytes) -> str:
    assert asset.problem is not None
    kind, message = asset.problem.kind, asset.problem.message
    cut = asset.format == "GIF" or "no IEND" in message or "needs more bytes" in message
    if kind is ProblemKind.TRUNCATED and asset.format in ("PNG", "GIF") and cut:
        return "cut-after-pixels"
    if kind is ProblemKind.CORRUPT:
        if "more than 65,536" in message or "than sora-lint reads" in message:
            return "flood"
        if "CgBI" in message:
            return "cgbi"
        if "after other chunks" in message:
            return "split-idat"
    return f"Pillow opens and decodes it; sora-lint: {kind.value}: {message}"


def _decode_only(asset: Asset, pillow: PillowView, data: bytes) -> str:
    if asset.format in NOT_CHECKED:
        return "not-checked"
    whole = {
        "JPEG": b"\xff\xd9" in data,
        "MPO": b"\xff\xd9" in data,
        "PNG": b"IEND\xaeB`\x82" in data,
        "GIF": data.endswith(b";"),
        "WEBP": True,  # the RIFF size, checked, is the end marker
    }.get(asset.format or "", False)
    if whole:
        return "decoded-only"
    return f"sora-lint reads a file Pillow cannot decode ({pillow.error})"


def _judge(host: PluginHost, paths: list[Path]) -> tuple[dict[str, int], list[str]]:
    """Counts of each justified kind, and the differences nothing justifies."""
    counts: dict[str, int] = dict.fromkeys(JUSTIFIED, 0)
    unexplained = []
    for path in paths:
        found = difference(verdict(host, path), pillow_view(path), path.read_bytes())
        if found in counts:
            counts[found] += 1
        elif found is not None:
            unexplained.append(f"{path.name}: {found}")
    return counts, unexplained


def test_the_fuzz_corpus_agrees_with_pillow(tmp_path: Path, host: PluginHost) -> None:
    paths = []
    for name, data in fuzz_corpus.corpus(FUZZ_FILES):
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    counts, unexplained = _judge(host, paths)
    assert unexplained == []
    # Truncations and structural damage now agree: what remains is mostly decode-only damage.
    assert counts["decoded-only"] > counts["cut-after-pixels"] > 0


def _rgb(size: tuple[int, int] = (24, 16)) -> Image.Image:
    return Image.linear_gradient("L").resize(size).convert("RGB")


def _jpeg_with_sof_precision(bits: int) -> bytes:
    data = bytearray(fuzz_corpus.saved(_rgb(), "JPEG"))
    data[data.index(b"\xff\xc0") + 4] = bits
    return bytes(data)


def _webp_with_trailing_chunk() -> bytes:
    data = fuzz_corpus.saved(_rgb(), "WEBP") + b"ZZZZ" + struct.pack("<I", 0xFFFFFF00)
    return data[:4] + struct.pack("<I", len(data) - 8) + data[8:]


def _eleven_ihdr() -> bytes:
    ihdrs = [fuzz_corpus._ihdr(0xFFFFFFFF if i == 0 else 32, 32) for i in range(11)]
    rows = zlib.compress(b"\x00" * (1 + 32 * 3) * 32)
    return b"\x89PNG\r\n\x1a\n" + b"".join(ihdrs) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _gif_with_broken_later_frame() -> bytes:
    """The second frame's graphic control block is one byte long: Pillow's frame count fails
    there, its first frame decodes."""
    frames = [_rgb().convert("P"), _rgb().rotate(180).convert("P")]
    data = fuzz_corpus.saved(frames[0], "GIF", save_all=True, append_images=frames[1:])
    second = data.index(b"\x21\xf9\x04", data.index(b"\x2c") + 1)
    return data[:second] + b"\x21\xf9\x01\x01\x00" + data[second + 8 :]


def _tiff_with_broken_later_frame() -> bytes:
    data = bytearray(fuzz_corpus.saved(_rgb(), "TIFF", save_all=True, append_images=[_rgb()]))
    second = struct.unpack_from("<I", data, 4)[0]
    count = struct.unpack_from("<H", data, second)[0]
    second = struct.unpack_from("<I", data, second + 2 + 12 * count)[0]
    at = data.index(struct.pack("<H", 256), second)  # ImageWidth of the second frame
    data[at : at + 2] = struct.pack("<H", 0xFFF0)
    return bytes(data)


ISSUE_CASES: list[tuple[str, Callable[[], bytes], str | None]] = [
    ("jpeg-sof-precision-133", lambda: _jpeg_with_sof_precision(133), "corrupt"),
    ("jpeg-12-bit", lambda: _jpeg_with_sof_precision(12), "corrupt"),
    ("webp-trailing-chunk-0xffffff00", _webp_with_trailing_chunk, "corrupt"),
    ("jpeg-5000-markers", lambda: fuzz_corpus.saved(_rgb(), "JPEG")[:2]
     + fuzz_corpus.segment(0xFE, b"") * 5000 + fuzz_corpus.saved(_rgb(), "JPEG")[2:], None),
    ("png-1100-chunks", lambda: png(5, 4, before=(chunk(b"tEXt", b"k\x00v"),) * 1100), None),
    ("png-text-before-ihdr", lambda: png(5, 4)[:8] + chunk(b"tEXt", b"k\x00v") + png(5, 4)[8:],
     None),
    ("png-eleven-ihdr", _eleven_ihdr, None),
    ("gif-broken-later-frame", _gif_with_broken_later_frame, None),
    ("tiff-broken-later-frame", _tiff_with_broken_later_frame, None),
    ("jpeg-cut-to-40-percent", lambda: (lambda d: d[: len(d) * 4 // 10])(
        fuzz_corpus.saved(Image.effect_noise((200, 150), 60).convert("RGB"), "JPEG")), "truncated"),
    ("png-cut-in-the-image-data", lambda: (lambda d: d[: len(d) * 6 // 10])(
        fuzz_corpus.saved(Image.effect_noise((200, 150), 60), "PNG")), "truncated"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "kind"), [c[1:] for c in ISSUE_CASES], ids=[c[0] for c in ISSUE_CASES]
)
def test_the_cases_of_the_issue_agree_with_pillow(
    tmp_path: Path, host: PluginHost, make: Callable[[], bytes], kind: str | None
) -> None:
    path = tmp_path / "case.img"
    path.write_bytes(make())
    asset = verdict(host, path)
    assert difference(asset, pillow_view(path), path.read_bytes()) is None, asset
    assert (asset.problem.kind.value if asset.problem else None) == kind, asset


def _manifest() -> list[str]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    with open(CORPUS / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        return [row["path"] for row in csv.DictReader(handle, delimiter="\t")]


def test_the_shared_corpus_agrees_with_pillow(host: PluginHost) -> None:
    rows = _manifest()
    if not rows:
        pytest.skip(f"shared corpus not found at {CORPUS} (only present beside the team's clone)")
    counts, unexplained = _judge(host, [CORPUS / row for row in rows])
    assert unexplained == []
    assert counts["too-large-to-decode"] == 1  # Pillow's decompression_bomb.gif, cut too
    assert counts["tiff-rotated-size"] == 4  # Pillow's g4_orientation_5…8.tif
