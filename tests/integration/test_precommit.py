"""The hooks in .pre-commit-hooks.yaml, run by a real pre-commit in a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import sora_lint_env

CHECKOUT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook's venv is built once."""
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    return tmp_path_factory.mktemp("pre-commit-home")


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "content"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "t@example.invalid")
    _git(repo, "config", "user.name", "t")
    return repo


def _try_repo(repo: Path, home: Path, hook: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` on this checkout (with its uncommitted work tree)."""
    env = sora_lint_env(PRE_COMMIT_HOME=str(home))
    env.pop("SORA_LINT_DISABLE_PLUGIN_AUTOLOAD")
    return subprocess.run(
        ["pre-commit", "try-repo", str(CHECKOUT), hook, "--color", "never", *args],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_check_hook_reports_bad_images_and_passes_good_ones(
    tmp_path: Path, image: Callable[..., Path], pre_commit_home: Path
) -> None:
    repo = _repo(tmp_path)
    image(repo / "assets" / "good.png", size=(1280, 720))
    image(repo / "assets" / "wide.png", size=(1920, 1080))
    image(repo / "assets" / "anim.gif", size=(1280, 720), frames=2)
    image(repo / "assets" / "photo.HEIC", size=(8, 8), fmt="PNG")  # name only: must reach it
    (repo / "README.md").write_text("not an image\n")
    _git(repo, "add", ".")
    proc = _try_repo(repo, pre_commit_home, "sora-lint", "--all-files")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "assets/wide.png: SL001" in out
    assert "assets/anim.gif: SL002" in out
    assert "assets/photo.HEIC: SL031" in out  # sent as image/heic, which sora-2 refuses
    assert "README.md" not in out.split("Failed")[-1]
    assert "good.png" not in out.split("Failed")[-1]
    assert "Traceback" not in out

    (repo / "assets" / "wide.png").unlink()
    (repo / "assets" / "anim.gif").unlink()
    (repo / "assets" / "photo.HEIC").unlink()
    _git(repo, "add", "-A")
    proc = _try_repo(repo, pre_commit_home, "sora-lint", "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_check_hook_copes_with_pre_commit_splitting_the_file_list(
    tmp_path: Path, image: Callable[..., Path], pre_commit_home: Path
) -> None:
    """pre-commit runs the hook several times (in parallel) when the file list is long."""
    repo = _repo(tmp_path)
    good = image(tmp_path / "good.png", size=(1280, 720))
    folder = repo / ("deeply_nested_folder_name_" * 4)
    folder.mkdir()
    names = [f"frame_{index:05}_{'x' * 60}.png" for index in range(1500)]
    for name in names:
        os.link(good, folder / name)
    image(folder / "zz_last_bad.png", size=(64, 64))
    _git(repo, "add", ".")
    proc = _try_repo(repo, pre_commit_home, "sora-lint", "--all-files", "--verbose")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-2000:]
    assert out.count("zz_last_bad.png: SL001") == 1
    assert out.count("All checks passed") + out.count("Found 1 error") >= 2  # several batches
    assert "Traceback" not in out


def test_fix_hook_rewrites_and_pre_commit_reports_the_change(
    tmp_path: Path, image: Callable[..., Path], pre_commit_home: Path
) -> None:
    repo = _repo(tmp_path)
    image(repo / "wide.png", size=(1920, 1080))
    image(repo / "good.png", size=(1280, 720))
    _git(repo, "add", ".")
    before = (repo / "good.png").read_bytes(), (repo / "good.png").stat().st_mtime_ns
    proc = _try_repo(repo, pre_commit_home, "sora-lint-fix", "--all-files")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out  # files were modified by this hook
    assert "files were modified by this hook" in out
    from PIL import Image

    with Image.open(repo / "wide.png") as fixed:
        assert fixed.size == (1280, 720)
    assert ((repo / "good.png").read_bytes(), (repo / "good.png").stat().st_mtime_ns) == before
    _git(repo, "add", ".")
    again = _try_repo(repo, pre_commit_home, "sora-lint-fix", "--all-files")
    assert again.returncode == 0, again.stdout + again.stderr


def test_hook_file_filter_covers_every_extension_a_walk_collects() -> None:
    """The hooks' `files:` regex is static YAML; it must not drift from the walk's list."""
    import re

    import yaml

    from sora_lint.config.core_options import DEFAULT_EXTENSIONS

    hooks = yaml.safe_load((CHECKOUT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        pattern = re.compile(hook["files"])
        missing = [e for e in DEFAULT_EXTENSIONS if not pattern.search(f"a/b.{e.upper()}")]
        assert missing == [], f"{hook['id']} misses {missing}"
