"""The cheap entry-point pre-scan: it may say "maybe" wrongly, never "no" wrongly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from sora_lint.host.entry_scan import may_have_entry_points


def _dist(folder: Path, name: str, entry_points: str | None) -> None:
    info = folder / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points)


@pytest.mark.parametrize(
    ("entry_points", "expected"),
    [
        ("[sora_lint]\nmine = mine_plugin\n", True),
        ("[console_scripts]\ntool = tool:main\n\n[sora_lint]\nx = y\n", True),
        ("  [sora_lint]  \nx = y\n", True),
        ("[console_scripts]\nsora_lint = sora_lint.cli:main\n", False),
        ("[sora_lint_extra]\nx = y\n", False),
        (None, False),
    ],
)
def test_dist_info_entry_points(tmp_path: Path, entry_points: str | None, expected: bool) -> None:
    _dist(tmp_path, "other", "[pytest11]\nplug = plug\n")
    _dist(tmp_path, "candidate", entry_points)
    assert may_have_entry_points("sora_lint", [str(tmp_path)]) is expected


def test_nothing_installed(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text("")
    missing = tmp_path / "not-there"
    assert may_have_entry_points("sora_lint", [str(tmp_path), str(missing)]) is False


def test_zip_on_the_path_is_left_to_importlib(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("x.py", "")
    assert may_have_entry_points("sora_lint", [str(archive)]) is True


@pytest.mark.parametrize("name", ["old.egg-info", "legacy.egg-link", "thing.egg"])
def test_metadata_forms_not_read_here_mean_maybe(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("whatever\n")
    assert may_have_entry_points("sora_lint", [str(tmp_path)]) is True


def test_egg_info_folder_is_read(tmp_path: Path) -> None:
    info = tmp_path / "pkg.egg-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[sora_lint]\np = p\n")
    assert may_have_entry_points("sora_lint", [str(tmp_path)]) is True
    (info / "entry_points.txt").write_text("[console_scripts]\np = p:main\n")
    assert may_have_entry_points("sora_lint", [str(tmp_path)]) is False


def test_agrees_with_importlib_metadata_here() -> None:
    """On this machine's real sys.path: a "no" must match importlib.metadata's answer."""
    from importlib.metadata import entry_points

    found = bool(list(entry_points(group="sora_lint")))
    if may_have_entry_points("sora_lint") is False:
        assert not found
    assert may_have_entry_points("console_scripts") is True
