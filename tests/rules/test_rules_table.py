"""The rules as a table: (image, target, model) -> expected codes, on real Pillow-made images."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult

LFS = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 12345\n"
)

# name, how to make it (kwargs of make_image, or raw bytes), CLI args, expected codes
CASES: list[tuple[str, dict[str, Any] | bytes, list[str], set[str]]] = [
    ("exact.png", {"size": (1280, 720)}, ["--target", "1280x720"], set()),
    ("exact.jpg", {"size": (720, 1280)}, ["--target", "720x1280"], set()),
    ("exact.webp", {"size": (1280, 720), "lossless": True}, ["--target", "1280x720"], set()),
    ("wide.png", {"size": (1920, 1080)}, ["--target", "1280x720"], {"SL001"}),
    ("off_by_one.png", {"size": (1280, 721)}, ["--target", "1280x720"], {"SL001"}),
    ("portrait.png", {"size": (720, 1280)}, ["--target", "1280x720"], {"SL001"}),
    ("auto_ok.png", {"size": (720, 1280)}, [], set()),
    ("auto_square.jpg", {"size": (1000, 1000)}, [], {"SL001"}),
    ("pro.png", {"size": (1792, 1024)}, ["--model", "sora-2-pro"], set()),
    ("pro_on_sora2.png", {"size": (1792, 1024)}, [], {"SL001"}),
    ("anim.gif", {"size": (1280, 720), "frames": 3}, [], {"SL002", "SL007", "SL008"}),
    ("still.gif", {"size": (1280, 720)}, [], {"SL002", "SL008"}),
    ("pic.bmp", {"size": (1280, 720)}, [], {"SL002"}),
    ("pic.tiff", {"size": (1280, 720)}, [], {"SL002"}),
    ("png_named.jpg", {"size": (1280, 720), "fmt": "PNG"}, [], {"SL005"}),
    ("jpeg_named.png", {"size": (1280, 720), "fmt": "JPEG"}, [], {"SL005"}),
    ("rot6.jpg", {"size": (1280, 720), "orientation": 6}, [], {"SL001", "SL006"}),
    (
        "rot6_fixed_target.jpg",
        {"size": (1280, 720), "orientation": 6},
        ["--target", "1280x720"],
        {"SL006"},
    ),
    ("rot3.jpg", {"size": (1280, 720), "orientation": 3}, [], {"SL006"}),
    ("mirror2.jpg", {"size": (1280, 720), "orientation": 2}, [], {"SL006"}),
    ("orient1.jpg", {"size": (1280, 720), "orientation": 1}, [], set()),
    ("apng.png", {"size": (1280, 720), "frames": 2}, [], {"SL007"}),
    ("anim.webp", {"size": (1280, 720), "frames": 2}, [], {"SL007"}),
    ("cmyk.jpg", {"size": (1280, 720), "mode": "CMYK"}, [], {"SL008"}),
    ("gray16.png", {"size": (1280, 720), "mode": "I;16"}, [], {"SL008"}),
    ("gray.png", {"size": (1280, 720), "mode": "L"}, [], set()),
    ("rgba.png", {"size": (1280, 720), "mode": "RGBA"}, [], {"SL009"}),
    ("rgba.webp", {"size": (1280, 720), "mode": "RGBA", "lossless": True}, [], {"SL009"}),
    ("trns.png", {"size": (1280, 720), "mode": "RGB", "transparency": (0, 0, 0)}, [], {"SL009"}),
    ("empty.png", b"", [], {"SL004"}),
    ("text.jpg", b"this is not an image\n", [], {"SL004"}),
    ("lfs.png", LFS.encode(), [], {"SL011"}),
    ("truncated.png", "truncate:40", [], {"SL004"}),  # type: ignore[list-item]
    # the content is refused whatever its name: one finding (SL002), not a rename hint too
    ("eps.png", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", [], {"SL002"}),
    ("pdf.jpg", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", [], {"SL002"}),
    # the upload's type comes from the name: a type the model refuses is an error (SL031)
    ("jpeg_named.heic", {"size": (1280, 720), "fmt": "JPEG"}, [], {"SL031"}),
    ("jpeg_named.gif", {"size": (1280, 720), "fmt": "JPEG"}, [], {"SL031"}),
    ("jpeg_named.bmp", {"size": (1280, 720), "fmt": "JPEG"}, [], {"SL031"}),
    ("jpeg_no_extension", {"size": (1280, 720), "fmt": "JPEG"}, [], {"SL031"}),
    # both types accepted but different: the profile decides (Runway checks the bytes)
    ("png_for_runway.jpg", {"size": (1280, 720), "fmt": "PNG"}, ["--model", "gen4.5"], {"SL031"}),
    ("png_for_veo.jpg", {"size": (1280, 720), "fmt": "PNG"}, ["--model", "veo-3.1"], {"SL005"}),
    ("png_for_kling.jpg", {"size": (1280, 720), "fmt": "PNG"}, ["--model", "kling"], {"SL005"}),
]


@pytest.mark.parametrize(
    ("name", "spec", "args", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_rules(
    name: str,
    spec: dict[str, Any] | bytes | str,
    args: list[str],
    expected: set[str],
    image: Callable[..., Path],
    cli: Callable[..., CliResult],
    tmp_path: Path,
) -> None:
    path = tmp_path / name
    if isinstance(spec, bytes):
        path.write_bytes(spec)
    elif isinstance(spec, str):
        full = image(tmp_path / "full.png")
        path.write_bytes(full.read_bytes()[: int(spec.split(":")[1])])
        full.unlink()
    else:
        image(path, **spec)
    result = cli(name, "--output-format", "json", *args, cwd=tmp_path)
    found = set(result.codes().get(name, []))
    assert found == expected, result.out
    errors = {"SL001", "SL002", "SL003", "SL004", "SL010", "SL011", "SL031"}
    assert result.code == (1 if expected & errors else 0)
    assert result.err == ""


def test_an_eps_named_eps_is_one_finding_and_never_renamed_to_its_own_name(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    (tmp_path / "logo.eps").write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n")
    (tmp_path / "shot.jpg").write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n")
    result = cli(".", "--extensions", "eps,jpg", "--output-format", "json", cwd=tmp_path)
    assert sorted((d["path"], d["code"]) for d in result.json) == [
        ("logo.eps", "SL002"), ("shot.jpg", "SL002"),
    ]  # fmt: skip
    assert "rename it to .eps" not in result.out


def test_the_type_messages_name_both_mime_types(
    image: Callable[..., Path], cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    image(tmp_path / "hero.heic", size=(1280, 720), fmt="JPEG")
    image(tmp_path / "logo.jpg", size=(1280, 720), fmt="PNG")
    argv = ["--output-format", "json", "--model"]
    [heic] = cli("hero.heic", *argv, "sora-2", cwd=tmp_path).json
    assert heic["message"] == (
        "the name says .heic: the upload will carry image/heic, which sora-2 does not accept; "
        "the bytes are JPEG (image/jpeg): rename it to .jpg"
    )
    [runway] = cli("logo.jpg", *argv, "gen4.5", cwd=tmp_path).json
    assert runway["code"] == "SL031" and runway["message"] == (
        "the name says .jpg: the upload will carry image/jpeg but the bytes are PNG (image/png); "
        "runway-gen4.5 rejects a type that is not the content's: rename it to .png"
    )
    [veo] = cli("logo.jpg", *argv, "veo-3.1", cwd=tmp_path).json
    assert veo["code"] == "SL005" and veo["severity"] == "warning"


def test_size_mismatch_message_and_json_fields(
    image: Callable[..., Path], cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    image(tmp_path / "a.png", size=(1920, 1080))
    result = cli("a.png", "--target", "1280x720", "--output-format", "json", cwd=tmp_path)
    (item,) = [d for d in result.json if d["code"] == "SL001"]
    assert "Inpaint image must match the requested width and height" in item["message"]
    assert "1920x1080" in item["message"] and "1280x720" in item["message"]
    assert item["size"] == "1920x1080"
    assert item["target"] == "1280x720"
    assert item["path"] == "a.png"
    assert item["severity"] == "error"
    assert item["name"] == "size-mismatch"


def test_orientation_message_gives_both_sizes(
    image: Callable[..., Path], cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    image(tmp_path / "p.jpg", size=(1280, 720), orientation=8)
    result = cli("p.jpg", "--output-format", "json", "--select", "SL006", cwd=tmp_path)
    (item,) = result.json
    assert "stored 1280x720" in item["message"] and "displayed 720x1280" in item["message"]


def test_too_many_pixels_is_reported_and_never_decoded(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"x") + chunk(b"IEND", b"")
    (tmp_path / "bomb.png").write_bytes(bomb)
    result = cli("bomb.png", "--output-format", "json", cwd=tmp_path)
    codes = result.codes()["bomb.png"]
    assert "SL010" in codes
    (sl010,) = [d for d in result.json if d["code"] == "SL010"]
    assert "60000x60000" in sl010["message"]
    limited = cli("bomb.png", "--max-pixels", "4000000000", "--output-format", "json", cwd=tmp_path)
    assert "SL010" not in limited.codes().get("bomb.png", [])


def test_symlink_out_of_tree_is_reported_not_followed(
    image: Callable[..., Path], cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    outside = image(tmp_path / "outside" / "secret.png")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link.png").symlink_to(outside)
    result = cli(".", "--output-format", "json", cwd=repo)
    (item,) = result.json
    assert item["code"] == "SL004" and "outside the repository" in item["message"]


def test_fifo_is_reported_without_blocking(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.png")
    result = cli("pipe.png", "--output-format", "json", cwd=tmp_path)
    assert result.codes() == {"pipe.png": ["SL004"]}
    assert "not a regular file" in result.json[0]["message"]


@pytest.mark.parametrize("code", [*(f"SL0{n}" for n in range(12, 24)), "SL030", "SL031",
                                  "SL032", "SL033", "SL034", "SL035"])  # fmt: skip
def test_job_and_profile_rules_are_documented(
    tmp_path: Path, cli: Callable[..., CliResult], code: str
) -> None:
    result = cli("rule", code, cwd=tmp_path)
    assert result.code == 0 and f"({code})" in result.out.splitlines()[0]
    for section in ("## What it does", "## Why is this bad?", "## Example", "## How to fix"):
        assert section in result.out
