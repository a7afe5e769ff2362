"""A mixed tree of real images for the speed tests (pool, cache, shard, progress)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

from tests.conftest import make_image, sora_lint_env

LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 12345\n"
)


def age(path: Path, seconds: float = 86400.0) -> None:
    """Date a file back, as files in a repository are (fresh files are never cached)."""
    when = time.time() - seconds
    os.utime(path, (when, when))


def mixed_tree(root: Path, copies: int = 1) -> list[Path]:
    """Good and bad images of every kind the rules look at, ``copies`` times over."""
    made: list[Path] = []
    for n in range(copies):
        folder = root / f"set{n:03d}"
        made += [
            make_image(folder / "good.png"),
            make_image(folder / "good.jpg", (720, 1280)),
            make_image(folder / "small.jpg", (640, 360)),
            make_image(folder / "square.webp", (512, 512)),
            make_image(folder / "alpha.png", mode="RGBA"),
            make_image(folder / "rotated.jpg", (720, 1280), orientation=6),
            make_image(folder / "anim.gif", (1280, 720), fmt="GIF", frames=2),
            make_image(folder / "png-named.jpg", fmt="PNG"),
            make_image(folder / "cmyk.jpg", mode="CMYK"),
        ]
        (folder / "empty.png").write_bytes(b"")
        (folder / "text.png").write_text("not an image\n")
        (folder / "lfs.png").write_text(LFS_POINTER)
        made += [folder / "empty.png", folder / "text.png", folder / "lfs.png"]
    for path in made:
        age(path)
    return made


def tiny_png(path: Path) -> None:
    """A 1x1 PNG written without re-encoding each time (for trees of many files)."""
    Image.new("RGB", (1, 1)).save(path)


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``sora-lint ARGS`` in a real subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "sora_lint", *args],
        cwd=cwd,
        env=sora_lint_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")  # fmt: skip
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout
