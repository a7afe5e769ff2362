"""``sora_lint.check``: the command's findings for a path, bytes, a file object or a PIL image,
header-only, with the configuration only when asked for."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import sora_lint
from sora_lint.api import sources
from tests.api import support

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "bad").iterdir()) + sorted(
    (ROOT / "examples" / "good").iterdir()
)
TARGETS = [("sora-2", "url"), ("runway-gen4.5", "data-uri"), ("veo-3.1", "upload")]


def _said(found: list[sora_lint.Diagnostic]) -> list[tuple[str, str]]:
    return sorted((d.code, d.message) for d in found)


@pytest.mark.parametrize(("model", "delivery"), TARGETS)
def test_every_source_kind_finds_what_the_command_finds(
    model: str, delivery: str, cli: Callable[..., Any]
) -> None:
    for path in EXAMPLES:
        run = cli("--isolated", "--no-cache", "--output-format", "json", "--model", model,
                  "--delivery", delivery, str(path))  # fmt: skip
        command = sorted((item["code"], item["message"]) for item in run.json)
        data = path.read_bytes()
        with open(path, "rb") as stream:
            kinds = {
                "path": sora_lint.check(path, model=model, delivery=delivery),
                "bytes": sora_lint.check(data, model=model, delivery=delivery, name=path.name),
                "file object": sora_lint.check(stream, model=model, delivery=delivery),
            }
        for kind, found in kinds.items():
            assert _said(found) == command, f"{path.name} as {kind}"


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` and holds one compressed row."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * (1 + 3 * 16))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_check_reads_headers_only_and_never_loads_pillow(tmp_path: Path) -> None:
    """Pillow is what decodes pixels: a check that never imports it decoded none, even of a
    file declaring 3.6 gigapixels."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(60_000, 60_000))
    script = f"""
import sys, sora_lint
bomb = {str(bomb)!r}
found = sora_lint.check(bomb) + sora_lint.check(open(bomb, "rb").read())
assert [d.code for d in found] == ["SL001", "SL010"] * 2, found
for name in ("square_1000x1000.jpg", "transparent.png"):
    sora_lint.check({str(ROOT / "examples" / "bad")!r} + "/" + name, model="veo-3.1")
sora_lint.check(open({str(ROOT / "examples" / "good" / "landscape_1280x720.webp")!r}, "rb"))
print(sorted(m for m in sys.modules if m.split(".")[0] == "PIL"))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def _gif() -> Image.Image:
    first = support.scene((640, 360))
    frames = [first.convert("P"), first.transpose(Image.Transpose.ROTATE_180).convert("P")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    return Image.open(io.BytesIO(buffer.getvalue()))


PIL_CASES: list[tuple[str, Callable[[], Image.Image], dict[str, Any], list[str]]] = [
    ("wrong size", lambda: Image.new("RGB", (1920, 1080)), {}, ["SL001"]),
    ("right size", lambda: Image.new("RGB", (1280, 720)), {}, []),
    ("transparency", lambda: Image.new("RGBA", (1280, 720)), {}, ["SL009"]),
    ("palette", lambda: Image.new("P", (1280, 720)), {}, ["SL008"]),
    ("CMYK", lambda: Image.new("CMYK", (1280, 720)), {}, ["SL008"]),
    ("16-bit", lambda: Image.new("I;16", (1280, 720)), {}, ["SL008"]),
    (
        "EXIF orientation 6",
        lambda: _opened(support.rotated_jpeg((720, 1280))),
        {},
        ["SL001", "SL006"],
    ),
    ("animated GIF", _gif, {}, ["SL001", "SL002", "SL007", "SL008"]),
    ("name says its format", lambda: Image.new("RGB", (1280, 720)), {"name": "a.jpg"}, []),
    (
        "veo takes no WebP",
        lambda: _opened(support.webp((1280, 720))),
        {"model": "veo-3.1"},
        ["SL002"],
    ),
    (
        "no bytes: no byte limit",
        lambda: Image.new("RGB", (7000, 3500)),
        {"model": "runway-gen4.5", "delivery": "data-uri"},
        [],
    ),
]


@pytest.mark.parametrize(("image", "options", "codes"), [c[1:] for c in PIL_CASES],
                         ids=[c[0] for c in PIL_CASES])  # fmt: skip
def test_a_pil_image_is_judged_by_what_it_holds(
    image: Callable[[], Image.Image], options: dict[str, Any], codes: list[str]
) -> None:
    picture = image()
    before = (picture.mode, picture.size, dict(picture.info))
    assert [d.code for d in sora_lint.check(picture, **options)] == codes
    assert (picture.mode, picture.size, dict(picture.info)) == before


def test_the_name_is_the_uploads_type() -> None:
    png = support.encoded(support.scene((1280, 720)), "PNG")
    assert sora_lint.check(png, model="runway-gen4.5") == []  # bytes: sent as what they are
    named = sora_lint.check(png, model="runway-gen4.5", name="frame.jpg")
    assert [d.code for d in named] == ["SL031"]
    stream = io.BytesIO(png)
    stream.name = "/uploads/frame.jpg"  # a file object's own name counts, as a file's
    assert [d.code for d in sora_lint.check(stream, model="runway-gen4.5")] == ["SL031"]
    with pytest.raises(sora_lint.UsageError, match="name: expected a file name"):
        sora_lint.check(png, name="frames/a.png")


def _project(folder: Path, table: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "pyproject.toml"
    config.write_text(f"[tool.sora-lint]\n{table}\n", encoding="utf-8")
    return config


def test_configuration_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _project(
        tmp_path,
        'ignore = ["SL009"]\n[tool.sora-lint.per-file-ignores]\n"assets/*" = ["SL001"]\n'
        '[tool.sora-lint.profiles.kiosk]\nsizes = ["640x360"]',
    )
    picture = tmp_path / "assets" / "logo.png"
    picture.parent.mkdir()
    picture.write_bytes(support.rgba_png((1920, 1080)))
    monkeypatch.chdir(tmp_path / "assets")
    data = picture.read_bytes()
    assert [d.code for d in sora_lint.check(data)] == ["SL001", "SL009"]
    assert [d.code for d in sora_lint.check(data, config=True)] == ["SL001"]
    assert [d.code for d in sora_lint.check(data, config=config)] == ["SL001"]
    assert sora_lint.check(picture, config=True) == []  # per-file ignores match its path
    assert [d.code for d in sora_lint.check(picture)] == ["SL001", "SL009"]
    found = sora_lint.check(data, model="kiosk", config=str(config))
    assert [(d.code, str(d.target)) for d in found] == [("SL001", "640x360")]
    with pytest.raises(sora_lint.UsageError, match="unknown model 'kiosk'"):
        sora_lint.check(data, model="kiosk")
    assert sorted(os.listdir(tmp_path)) == ["assets", "pyproject.toml"]  # no cache folder


def test_a_bad_configuration_is_a_config_error(tmp_path: Path) -> None:
    config = _project(tmp_path, 'fix_mode = "cover"')
    with pytest.raises(sora_lint.ConfigError, match="fix_mode"):
        sora_lint.check(b"", config=config)
    with pytest.raises(sora_lint.ConfigError, match="no such file"):
        sora_lint.check(b"", config=tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"model": "sora-3"}, sora_lint.UsageError, "unknown model 'sora-3' .*did you mean"),
        ({"size": "1920x1080"}, sora_lint.UsageError, "1920x1080 is not a size sora-2 allows"),
        ({"size": "12x"}, sora_lint.UsageError, "size: expected WxH"),
        ({"delivery": "email"}, sora_lint.UsageError, "delivery: 'email' is not one of"),
        (
            {"model": "runway-gen4.5", "ratio": "16:9"},
            sora_lint.UsageError,
            "ratio: '16:9' is not one runway-gen4.5 takes; allowed: 1280:720",
        ),
        ({"config": 1}, sora_lint.UsageError, "config: expected None, True or a path"),
    ],
)
def test_bad_arguments_say_what_is_allowed(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        sora_lint.check(b"", **options)


def test_what_is_not_an_image_source_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="source must be a path, bytes"):
        sora_lint.check(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="binary mode"):
        sora_lint.check(io.StringIO("text"))  # type: ignore[arg-type]


def test_a_stream_past_the_limit_is_reported_not_read_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_SOURCE_BYTES", 1000)
    stream = io.BytesIO(support.rgba_png((300, 300)))
    found = sora_lint.check(stream)
    assert [(d.code, d.message) for d in found] == [("SL004", "larger than 1,000 bytes; not read")]
    assert stream.tell() == 1001  # read one byte past the limit, no further
    with pytest.raises(sora_lint.PrepareError, match="larger than 1,000 bytes"):
        sora_lint.prepare(io.BytesIO(support.rgba_png((300, 300))))


def test_paths_are_reported_as_given_and_symlinks_followed(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "frame.png"
    real.parent.mkdir()
    real.write_bytes(support.encoded(support.scene((1920, 1080)), "PNG"))
    link = tmp_path / "link.png"
    link.symlink_to(real)
    found = sora_lint.check(link)
    assert [(d.code, d.path) for d in found] == [("SL001", str(link))]
    missing = sora_lint.check(tmp_path / "missing.png")
    assert [d.code for d in missing] == ["SL004"] and "cannot stat" in missing[0].message


def test_per_path_overrides_apply_unless_the_call_names_a_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, '[[tool.sora-lint.overrides]]\npaths = ["pro/**"]\nmodel = "sora-2-pro"')
    picture = tmp_path / "pro" / "wide.png"
    picture.parent.mkdir()
    picture.write_bytes(support.encoded(support.scene((1750, 1000)), "PNG"))
    monkeypatch.chdir(tmp_path)
    found = sora_lint.check(picture, config=True)
    assert [(d.code, str(d.target)) for d in found] == [("SL001", "1792x1024")]
    named = sora_lint.check(picture, config=True, model="sora-2")
    assert [(d.code, str(d.target)) for d in named] == [("SL001", "1280x720")]
