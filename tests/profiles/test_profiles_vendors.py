"""Each bundled profile catches what it should (and adapts what its API adapts); delivery
picks the byte limit; profiles declared in config; --fix on ratio-range profiles."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import CliResult, sora_lint_env


def write(path: Path, size: tuple[int, int], fmt: str = "PNG", total: int = 0) -> Path:
    """An image; ``total`` pads the file with zero bytes to that many bytes (byte limits)."""
    Image.new("RGB", size, (90, 60, 30)).save(path, format=fmt)
    if total:
        with path.open("ab") as handle:
            handle.write(b"\0" * (total - path.stat().st_size))
    return path


CASES = [
    # (model, file name, size, format, bytes (0: as saved), expected codes)
    ("veo-3.1", "ok.png", (1280, 720), "PNG", 0, []),
    ("veo-3.1", "port.jpg", (1080, 1920), "JPEG", 0, []),
    ("veo-3.1", "four3.jpg", (1600, 1200), "JPEG", 0, ["SL030"]),  # Veo crops: a warning
    ("veo-3.1", "ok.webp", (1280, 720), "WEBP", 0, ["SL002"]),
    ("veo-3.1", "big.jpg", (1280, 720), "JPEG", 20_000_001, ["SL023"]),
    ("veo-3.1-fast-generate-001", "four3.jpg", (1600, 1200), "JPEG", 0, ["SL030"]),
    ("veo-3", "four3.jpg", (1600, 1200), "JPEG", 0, ["SL030"]),  # the old name
    ("veo-3.0-generate-001", "sq.png", (1000, 1000), "PNG", 0, ["SL030"]),
    ("svd", "four3.jpg", (1600, 1200), "JPEG", 0, ["SL001"]),  # exact sizes: an error
    ("svd", "ok.png", (1024, 576), "PNG", 0, []),
    ("svd", "sq.jpg", (768, 768), "JPEG", 0, []),
    ("svd", "ok.webp", (1024, 576), "WEBP", 0, ["SL002"]),
    ("runway-gen4.5", "wide.png", (1999, 1000), "PNG", 0, []),
    ("runway-gen4.5", "pano.png", (3000, 1000), "PNG", 0, ["SL019"]),
    ("runway-gen4.5", "huge.png", (8000, 4000), "PNG", 0, ["SL021"]),
    ("runway-gen4.5", "ok.webp", (1000, 1000), "WEBP", 0, []),
    ("runway-gen4.5", "fat.png", (1000, 1000), "PNG", 16_777_217, ["SL023"]),
    ("gen4.5", "pano.png", (3000, 1000), "PNG", 0, ["SL019"]),
    ("runway-gen4", "pano.png", (3000, 1000), "PNG", 0, ["SL019"]),  # the old name
    ("gen4_turbo", "ok.jpg", (1280, 720), "JPEG", 0, []),
    ("kling", "ok.jpg", (1280, 720), "JPEG", 0, []),
    ("kling-2", "thumb.png", (200, 400), "PNG", 0, ["SL020"]),
    ("kling-v2-6", "strip.png", (1300, 500), "PNG", 0, ["SL019"]),
    ("kling-3", "small_strip.png", (1000, 100), "PNG", 0, ["SL019", "SL020"]),
    ("kling-3", "big.png", (1000, 1000), "PNG", 10_000_001, ["SL023"]),
    ("kling-3", "ok.webp", (1280, 720), "WEBP", 0, ["SL002"]),
    ("hailuo-2.3", "edge.png", (300, 600), "PNG", 0, ["SL020"]),  # "over 300 px"
    ("MiniMax-Hailuo-2.3", "ok.webp", (301, 600), "WEBP", 0, []),
    ("hailuo-2.3", "tall.png", (400, 1100), "PNG", 0, ["SL019"]),
    ("seedance-1", "ok.tiff", (640, 480), "TIFF", 0, []),
    ("seedance-1-0-pro-250528", "wide.png", (2600, 1000), "PNG", 0, ["SL019"]),
    ("seedance-1", "large.png", (6001, 3000), "PNG", 0, ["SL021"]),
    ("wan-2.6", "ok.bmp", (1280, 720), "BMP", 0, []),
    ("wan2.6-i2v", "small.png", (359, 640), "PNG", 0, ["SL020"]),
    ("wan-2.6", "large.png", (2001, 1000), "PNG", 0, ["SL021"]),
    ("vidu-2", "strip.png", (2050, 500), "PNG", 0, ["SL019"]),
    ("vidu2.0", "ok.webp", (2000, 500), "WEBP", 0, []),
    ("viduq1", "ok.png", (500, 2000), "PNG", 0, []),
    ("luma-ray2", "cinema.png", (2100, 900), "PNG", 0, []),
    ("luma-ray2", "odd.png", (1500, 1000), "PNG", 0, []),  # aspect_ratio is the output's
    ("ray-2", "pano.png", (3000, 1000), "PNG", 0, []),
    ("sora-2", "ok.png", (1280, 720), "PNG", 0, []),
    ("sora-2", "pro.png", (1792, 1024), "PNG", 0, ["SL001"]),
    ("sora-2-pro", "pro.png", (1792, 1024), "PNG", 0, []),
    ("sora-2-2025-12-08", "pro.png", (1792, 1024), "PNG", 0, ["SL001"]),
]


def test_each_profile_catches_what_it_should(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """One run per model over a folder of that model's images (a table of ~45 cases)."""
    by_model: dict[str, list[tuple[str, list[str]]]] = {}
    for model, name, size, fmt, total, expected in CASES:
        folder = tmp_path / model
        folder.mkdir(exist_ok=True)
        write(folder / name, size, fmt, total)
        by_model.setdefault(model, []).append((name, expected))
    for model, cases in by_model.items():
        argv = ["--isolated", "--model", model, "--output-format", "json"]
        result = cli(*argv, cwd=tmp_path / model)
        found: dict[str, list[str]] = {}
        for diagnostic in result.json:
            found.setdefault(diagnostic["path"], []).append(diagnostic["code"])
        for name, expected in cases:
            assert sorted(found.get(name, [])) == expected, (model, name, result.out)
        errors = any(code != "SL030" for _, codes in cases for code in codes)
        assert result.code == (1 if errors else 0), (model, result.out)


def test_a_4_3_photo_is_a_warning_under_veo_and_an_error_under_svd(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    write(tmp_path / "photo.jpg", (1600, 1200), "JPEG")
    veo = cli("--isolated", "--model", "veo-3.1", "photo.jpg", cwd=tmp_path)
    assert veo.code == 0
    assert (
        "photo.jpg: SL030 veo-3.1 will crop the 4:3 image (1600x1200) to 16:9, losing 25% of its "
        "height (resizeMode CROP; with resizeMode PAD it adds bars instead)" in veo.out
    )
    assert "Found 0 errors and 1 warning" in veo.out
    svd = cli("--isolated", "--model", "svd", "photo.jpg", "--output-format", "json", cwd=tmp_path)
    assert svd.code == 1
    assert [(d["code"], d["severity"]) for d in svd.json] == [("SL001", "error")]


def test_a_4_mb_jpeg_passes_runway_by_url_and_fails_as_a_data_uri(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    write(tmp_path / "photo.jpg", (1280, 720), "JPEG", total=4_000_000)
    argv = ["--isolated", "--model", "runway-gen4.5", "--output-format", "json", "photo.jpg"]
    assert cli(*argv, cwd=tmp_path).json == []
    assert cli(*argv, "--delivery", "url", cwd=tmp_path).json == []
    data_uri = cli(*argv, "--delivery", "data-uri", cwd=tmp_path)
    assert data_uri.code == 1
    [found] = data_uri.json
    # 4/3 of the bytes, rounded up to whole base64 quads, plus "data:image/jpeg;base64,"
    assert found["code"] == "SL023" and f"are {5_333_336 + 23:,} characters" in found["message"]
    assert "as a data URI (data:image/jpeg;base64,…); runway-gen4.5 takes data URIs of at " \
           "most 5,242,880 (by URL: up to 16,777,216 bytes" in found["message"]  # fmt: skip
    assert cli(*argv, "--delivery", "upload", cwd=tmp_path).json == []
    (tmp_path / "sora-lint.toml").write_text('model = "gen4.5"\ndelivery = "data-uri"\n')
    assert [d["code"] for d in cli("--output-format", "json", cwd=tmp_path).json] == ["SL023"]


def test_one_limit_serves_every_delivery_and_vidu_counts_decoded_bytes(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    write(tmp_path / "a.jpg", (1280, 720), "JPEG", total=9_000_000)
    for delivery in ("url", "data-uri", "upload"):
        argv = ["--isolated", "--model", "kling-2", "--delivery", delivery, "a.jpg"]
        assert cli(*argv, cwd=tmp_path).code == 0  # 9 MB < 10 MB, however it is sent
        vidu = cli("--isolated", "--model", "vidu-2", "--delivery", delivery, "a.jpg", cwd=tmp_path)
        assert vidu.code == 0  # under 10 MB decoded, under 50 MB by URL
    write(tmp_path / "a.jpg", (1280, 720), "JPEG", total=10_000_000)
    argv = ["--isolated", "--model", "vidu-2", "a.jpg", "--output-format", "json"]
    assert cli(*argv, cwd=tmp_path).json == []
    [found] = cli(*argv, "--delivery", "data-uri", cwd=tmp_path).json
    assert found["code"] == "SL023"
    assert found["message"] == (
        "10,000,000 bytes; vidu-2 takes images of at most 9,999,999 bytes as a data URI"
    )
    bad = cli("--isolated", "--delivery", "email", "a.jpg", cwd=tmp_path)
    assert bad.code == 2 and "--delivery: 'email' is not one of: url, data-uri, upload" in bad.err


def test_one_finding_per_problem_carries_the_fix(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    """An off-aspect image under a ratio profile is SL019 alone (no SL001 beside it), and
    that finding carries the fix; a declared size is SL001 alone."""
    write(tmp_path / "pano.png", (900, 300))
    argv = ["--isolated", "--model", "runway-gen4.5", "--output-format", "json", "pano.png"]
    [found] = cli(*argv, cwd=tmp_path).json
    assert found["code"] == "SL019" and found["target"] == "900x450"
    assert {f["fixer"] for f in found["fixes"]} >= {"pad", "cover"}
    [declared] = cli(*argv, "--target", "1280x720", cwd=tmp_path).json
    assert declared["code"] == "SL001"


def test_fix_pads_a_3_to_1_image_to_aspect_2_for_runway(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    write(tmp_path / "pano.png", (900, 300))
    result = cli("--isolated", "--model", "runway-gen4", "--fix", "pano.png", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    with Image.open(tmp_path / "pano.png") as fixed:
        assert fixed.size == (900, 450)  # aspect 2.0, the picture kept at scale 1
    again = cli("--isolated", "--model", "runway-gen4", "--fix", "pano.png", cwd=tmp_path)
    assert "Fixed" not in again.out and again.code == 0


def test_fix_cover_crops_a_kling_strip_without_upscaling(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    write(tmp_path / "pano.png", (1500, 300))
    argv = ["--isolated", "--model", "kling-2", "--fix-mode", "cover", "--fix", "pano.png"]
    assert cli(*argv, cwd=tmp_path).code == 0
    with Image.open(tmp_path / "pano.png") as fixed:
        assert fixed.size == (750, 300)  # 2.5:1, cropped, never enlarged


def test_adapted_images_are_never_rewritten_by_fix(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    photo = write(tmp_path / "photo.jpg", (1600, 1200), "JPEG")
    before = photo.read_bytes()
    result = cli("--isolated", "--model", "veo-3.1", "--fix", "photo.jpg", cwd=tmp_path)
    assert result.code == 0 and photo.read_bytes() == before


CONFIG = """
[tool.sora-lint]
model = "team-square"

[tool.sora-lint.profiles.team-square]
description = "our square player"
aliases = ["square-player-v3"]
aspect-ratios = ["1:1"]
min-side = 512
max-bytes = 2000000
formats = ["image/png", "jpg"]
seconds = ["6"]
source = "player spec v3"
checked = "2026-11-20"

[tool.sora-lint.profiles.team-square.facts.min-side]
source-url = "https://example.com/player-spec"
checked = "2026-11-20"
"""


def test_a_team_declares_its_own_profile_in_config(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    write(tmp_path / "ok.png", (600, 600))
    write(tmp_path / "wide.png", (1280, 720))
    write(tmp_path / "small.png", (300, 300))
    result = cli("--output-format", "json", cwd=tmp_path)
    codes = sorted((d["path"], d["code"]) for d in result.json)
    assert codes == [("small.png", "SL020"), ("wide.png", "SL019")]
    by_alias = cli("--model", "square-player-v3", "--output-format", "json", cwd=tmp_path)
    assert by_alias.json == result.json
    listed = cli("profiles", "--output-format", "json", cwd=tmp_path).json
    team = next(p for p in listed if p["name"] == "team-square")
    assert team["min_side"] == 512 and team["seconds"] == ["6"] and team["default"] is True
    assert team["source"] == "player spec v3" and team["vendor_source"] is False
    assert team["mime_types"] == ["image/jpeg", "image/png"]
    assert team["facts"][0]["source_url"] == "https://example.com/player-spec"
    assert not next(p for p in listed if p["name"] == "sora-2")["default"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[tool.sora-lint.profiles.x]\nmax-side = -1\n', "profiles.x.max-side: expected"),
        ('[tool.sora-lint.profiles.x]\nshape = "round"\n', "unknown key 'shape'"),
        ('[tool.sora-lint.profiles.x]\naspect-ratios = ["wide"]\n', "is not an aspect ratio"),
        ('[tool.sora-lint.profiles.x]\nformats = ["svg"]\n', "profiles.x.formats: 'svg'"),
        ('[tool.sora-lint.profiles.kling-3]\nmin-side = 1\n', "registered by both"),
        ('[tool.sora-lint.profiles.x]\naliases = ["gen4.5"]\n', "alias of both"),
        ('[tool.sora-lint.profiles.x]\nnear-miss = { aspect = "shrug" }\n',
         "profiles.x.near-miss.aspect: 'shrug'; allowed: reject, crop"),
        ('[tool.sora-lint.profiles.x]\ndelivery-limits = { pigeon = 5 }\n',
         "profiles.x.delivery-limits: 'pigeon'; allowed: url, data-uri, upload"),
        ('[tool.sora-lint.profiles.x.facts.max-bytes]\nvendor = true\n',
         "give a source-url, or a note saying it is unconfirmed"),
        ('[tool.sora-lint.profiles.x]\ncombinations = [{ when = "x", then = "seconds" }]\n',
         "profiles.x.combinations[0].when: 'x'; allowed: seconds"),
    ],
)  # fmt: skip
def test_bad_profile_tables_exit_2(
    tmp_path: Path, cli: Callable[..., CliResult], table: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(table, encoding="utf-8")
    result = cli(cwd=tmp_path)
    assert result.code == 2 and message in result.err, result.err
    assert len(result.err.splitlines()) == 1


@pytest.mark.slow
def test_real_subprocess_with_jobs_and_a_vendor_profile(tmp_path: Path) -> None:
    write(tmp_path / "pano.png", (3000, 1000))
    (tmp_path / "jobs.yaml").write_text(
        "- model: gen4.5\n  promptImage: pano.png\n  promptText: drift\n  ratio: '1280:720'\n"
        "  duration: 5\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "sora_lint", "--isolated", "--job-file", "jobs.yaml",
         "--output-format", "json"],
        cwd=tmp_path, env=sora_lint_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1 and proc.stderr == ""
    found = sorted((d["code"], d["path"], d["line"], d["asset"]) for d in json.loads(proc.stdout))
    assert found == [("SL019", "jobs.yaml", 1, "pano.png")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "gen4.5", "--target", "3000x1000"],
         "target: 3000x1000 is not a size runway-gen4.5 accepts"),
        (["--model", "veo-4"],
         "model: unknown model 'veo-4' (did you mean 'veo-3'?); allowed: hailuo-2.3"),
    ],
)  # fmt: skip
def test_declared_targets_are_checked_against_the_profile(
    tmp_path: Path, cli: Callable[..., CliResult], argv: list[str], message: str
) -> None:
    result = cli("--isolated", *argv, cwd=tmp_path)
    assert result.code == 2 and message in result.err and len(result.err.splitlines()) == 1
    assert cli("--isolated", "--model", "GEN4.5", "--target", "1280x720", cwd=tmp_path).code == 0
