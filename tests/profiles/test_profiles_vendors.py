"""Each built-in profile catches what it should; profiles declared in config; `sora-lint
profiles`; --fix on ratio-range profiles; and the drift test against openai's VideoSize."""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from sora_lint_plugins.profiles.sora import SORA_2_PRO

from tests.conftest import CliResult, sora_lint_env


def write(path: Path, size: tuple[int, int], fmt: str = "PNG", noise_bytes: int = 0) -> Path:
    """An image; ``noise_bytes`` appends that much to the file to test byte limits."""
    Image.new("RGB", size, (90, 60, 30)).save(path, format=fmt)
    if noise_bytes:
        with path.open("ab") as handle:
            handle.write(b"\0" * noise_bytes)
    return path


CASES = [
    # (model, file name, size, format, extra bytes, expected codes)
    ("veo-3", "ok.png", (1280, 720), "PNG", 0, []),
    ("veo-3", "port.jpg", (1080, 1920), "JPEG", 0, []),
    ("veo-3", "square.png", (1000, 1000), "PNG", 0, ["SL001", "SL019"]),
    ("veo-3", "ok.webp", (1280, 720), "WEBP", 0, ["SL002"]),
    ("runway-gen4", "wide.png", (1999, 1000), "PNG", 0, []),
    ("runway-gen4", "pano.png", (3000, 1000), "PNG", 0, ["SL001", "SL019"]),
    ("runway-gen4", "huge.png", (8000, 4000), "PNG", 0, ["SL001", "SL021"]),
    ("runway-gen4", "ok.webp", (1000, 1000), "WEBP", 0, []),
    ("runway-gen4", "fat.png", (1000, 1000), "PNG", 16_000_001, ["SL023"]),
    ("kling", "ok.jpg", (1280, 720), "JPEG", 0, []),
    ("kling", "thumb.png", (200, 400), "PNG", 0, ["SL001", "SL020"]),
    ("kling", "strip.png", (1300, 500), "PNG", 0, ["SL001", "SL019"]),
    ("kling", "big.png", (1000, 1000), "PNG", 10_000_001, ["SL023"]),
    ("kling", "ok.webp", (1280, 720), "WEBP", 0, ["SL002"]),
    ("luma-ray2", "cinema.png", (2100, 900), "PNG", 0, []),
    ("luma-ray2", "four3.png", (1600, 1200), "PNG", 0, []),
    ("luma-ray2", "odd.png", (1500, 1000), "PNG", 0, ["SL001", "SL019"]),
    ("sora-2", "ok.png", (1280, 720), "PNG", 0, []),
    ("sora-2", "pro.png", (1792, 1024), "PNG", 0, ["SL001"]),
    ("sora-2-pro", "pro.png", (1792, 1024), "PNG", 0, []),
]


@pytest.mark.parametrize(
    ("model", "name", "size", "fmt", "extra", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2][0]}x{c[2][1]}" for c in CASES],
)
def test_each_profile_catches_what_it_should(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    model: str,
    name: str,
    size: tuple[int, int],
    fmt: str,
    extra: int,
    expected: list[str],
) -> None:
    write(tmp_path / name, size, fmt, extra)
    result = cli("--isolated", "--model", model, name, "--output-format", "json", cwd=tmp_path)
    assert sorted(d["code"] for d in result.json) == expected, result.out
    assert result.code == (1 if expected else 0)


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


def test_fix_cover_crops_to_the_nearest_ratio_without_upscaling(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    write(tmp_path / "pano.png", (900, 300))
    argv = ["--isolated", "--model", "luma-ray2", "--fix-mode", "cover", "--fix", "pano.png"]
    assert cli(*argv, cwd=tmp_path).code == 0
    with Image.open(tmp_path / "pano.png") as fixed:
        assert fixed.size == (700, 300)  # 21:9, cropped, never enlarged


CONFIG = """
[tool.sora-lint]
model = "team-square"

[tool.sora-lint.profiles.team-square]
description = "our square player"
aspect-ratios = ["1:1"]
min-side = 512
max-bytes = 2000000
formats = ["png", "jpg"]
seconds = ["6"]
source = "player spec v3"
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
    assert codes == [
        ("small.png", "SL001"), ("small.png", "SL020"),
        ("wide.png", "SL001"), ("wide.png", "SL019"),
    ]  # fmt: skip
    listed = cli("profiles", "--output-format", "json", cwd=tmp_path).json
    team = next(p for p in listed if p["name"] == "team-square")
    assert team["min_side"] == 512 and team["seconds"] == ["6"]
    assert team["source"] == "player spec v3" and team["vendor_source"] is False


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[tool.sora-lint.profiles.x]\nmax-side = -1\n', "profiles.x.max-side: expected"),
        ('[tool.sora-lint.profiles.x]\nshape = "round"\n', "unknown key 'shape'"),
        ('[tool.sora-lint.profiles.x]\naspect-ratios = ["wide"]\n', "is not an aspect ratio"),
        ('[tool.sora-lint.profiles.x]\nformats = ["svg"]\n', "profiles.x.formats: 'svg'"),
        ('[tool.sora-lint.profiles.kling]\nmin-side = 1\n', "registered by both"),
    ],
)  # fmt: skip
def test_bad_profile_tables_exit_2(
    tmp_path: Path, cli: Callable[..., CliResult], table: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(table, encoding="utf-8")
    result = cli(cwd=tmp_path)
    assert result.code == 2 and message in result.err, result.err
    assert len(result.err.splitlines()) == 1


def test_profiles_command_lists_rules_sources_and_retirement(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    text = cli("profiles", "--isolated", cwd=tmp_path).out
    assert "sora-2 (RETIRED: still usable for checks)" in text
    assert "aspect:  0.5 to 2 (width / height)" in text  # runway-gen4
    listed = {p["name"]: p for p in cli("profiles", "--output-format", "json", cwd=tmp_path).json}
    assert set(listed) == {"kling", "luma-ray2", "runway-gen4", "sora-2", "sora-2-pro", "veo-3"}
    for profile in listed.values():
        assert profile["source"] and profile["source_url"].startswith("https://")
        assert profile["checked"] == "2026-11-26"
    assert listed["kling"]["vendor_source"] is False
    assert listed["sora-2"]["status"] == listed["sora-2-pro"]["status"] == "retired"
    assert listed["veo-3"]["status"] == "active"


def test_sora_2_pro_sizes_match_the_openai_sdk() -> None:
    """Drift in the official SDK's VideoSize literal shows up here, in CI."""
    openai = pytest.importorskip("openai", reason="openai is not installed (pip install .[test])")
    sdk = set(typing.get_args(openai.types.VideoSize))
    assert sdk == {str(size) for size in SORA_2_PRO.sizes}


@pytest.mark.slow
def test_real_subprocess_with_jobs_and_a_vendor_profile(tmp_path: Path) -> None:
    write(tmp_path / "pano.png", (3000, 1000))
    (tmp_path / "jobs.yaml").write_text(
        "- model: runway-gen4\n  input_reference: pano.png\n  prompt: drift\n", encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "sora_lint", "--isolated", "--job-file", "jobs.yaml",
         "--output-format", "json"],
        cwd=tmp_path, env=sora_lint_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1 and proc.stderr == ""
    found = sorted((d["code"], d["path"], d["line"], d["asset"]) for d in json.loads(proc.stdout))
    assert found == [("SL001", "jobs.yaml", 1, "pano.png"), ("SL019", "jobs.yaml", 1, "pano.png")]


@pytest.mark.parametrize("code", [f"SL0{n}" for n in range(12, 24)])
def test_new_rules_are_documented(tmp_path: Path, cli: Callable[..., CliResult], code: str) -> None:
    result = cli("rule", code, cwd=tmp_path)
    assert result.code == 0 and f"({code})" in result.out.splitlines()[0]
    for section in ("## What it does", "## Why is this bad?", "## Example", "## How to fix"):
        assert section in result.out


def test_rule_codes_stay_contiguous(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    codes = [r["code"] for r in cli("rules", "--output-format", "json", cwd=tmp_path).json]
    numbers = sorted(int(c[2:]) for c in codes if c.startswith("SL"))
    assert numbers == list(range(1, numbers[-1] + 1)) and numbers[-1] >= 23
