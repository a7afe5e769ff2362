"""Shared fixtures: real images made with Pillow, the CLI run in-process, the shared corpus."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from sora_lint.cli.command import main

#: ``../shared`` beside the checkout: present on the team's machines and in CI, absent on a
#: user's fresh clone.
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch) -> None:
    """No third-party plugin installed on the machine may change a test's outcome."""
    monkeypatch.setenv("SORA_LINT_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    for name in ("FORCE_COLOR", "NO_COLOR"):  # outputs compared in tests have no colour
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (only present beside the team's clone)")
    return CORPUS


def make_image(
    path: Path,
    size: tuple[int, int] = (1280, 720),
    mode: str = "RGB",
    fmt: str | None = None,
    orientation: int | None = None,
    frames: int = 1,
    **save: Any,
) -> Path:
    """Write a real image: a gradient-ish picture so encoders do real work."""
    path.parent.mkdir(parents=True, exist_ok=True)
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    image = base.convert(mode) if mode != "RGB" else base
    if mode in ("RGBA", "LA"):
        image.putalpha(Image.linear_gradient("L").rotate(90).resize(size))
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        save["exif"] = exif.tobytes()
    if frames > 1:
        more = [image.transpose(Image.Transpose.ROTATE_180) for _ in range(frames - 1)]
        save.update(save_all=True, append_images=more)
    image.save(path, format=fmt, **save)
    return path


@pytest.fixture
def image() -> Callable[..., Path]:
    return make_image


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    def codes(self) -> dict[str, list[str]]:
        """``{path: [codes]}`` from a JSON run."""
        found: dict[str, list[str]] = {}
        for item in self.json:
            found.setdefault(item.get("asset") or item["path"], []).append(item["code"])
        return found


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run ``main(argv)`` in a folder and capture what a user would see."""

    def run(*argv: str, cwd: Path | None = None, plugins: tuple[Any, ...] = ()) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(argv), plugins=plugins)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def sora_lint_env(**extra: str) -> dict[str, str]:
    """The environment for a real ``sora-lint`` subprocess (hermetic, no colour, no CI vars)."""
    skipped = ("GITHUB_", "PRE_COMMIT", "FORCE_COLOR", "NO_COLOR")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skipped)}
    env["SORA_LINT_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env.update(extra)
    return env
