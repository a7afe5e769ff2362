"""Atomic replace: the temp file is hidden and never an image name; on any error the
original is byte-identical and no temp file is left; modes are kept and a symlink at the
destination is replaced, never written through."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sora_lint.filesystem.atomic import TEMP_MARKER, atomic_write, is_temp_name, temp_prefix

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".mpo")


@pytest.mark.parametrize("name", ["a.jpg", "photo.final.PNG", "x" * 250 + ".webp", ".hidden.png"])
def test_temp_names_are_hidden_and_not_images(tmp_path: Path, name: str) -> None:
    prefix = temp_prefix(tmp_path / name)
    assert prefix.startswith(".") and prefix.endswith(TEMP_MARKER)
    assert len(prefix) < 200
    example = prefix + "k3j4h5g6"
    assert is_temp_name(example)
    assert not example.lower().endswith(IMAGE_SUFFIXES)
    assert not is_temp_name(name)


def test_replace_keeps_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.jpg"
    target.write_bytes(b"old")
    target.chmod(0o604)
    assert atomic_write(target, b"new") == target
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jpg"]


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "new.png"
    atomic_write(target, b"data")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_a_symlink_is_replaced_never_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.png"
    real.write_bytes(b"old")
    link = tmp_path / "link.png"
    link.symlink_to(real.name)
    atomic_write(link, b"new")
    assert not link.is_symlink() and link.read_bytes() == b"new"
    assert real.read_bytes() == b"old"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.png").mkdir()
    with pytest.raises(IsADirectoryError):
        atomic_write(tmp_path / "d.png", b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["d.png"]


SCRIPT = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from sora_lint.filesystem.atomic import atomic_write
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    try:
        atomic_write(Path(sys.argv[1]), b"x" * 100_000)
    except OSError as exc:
        print("failed", exc.errno)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_failed_write_leaves_the_original_even_as_root(tmp_path: Path) -> None:
    # A file-size limit makes the write fail half-way whoever runs the test (root ignores
    # read-only folders, not RLIMIT_FSIZE).
    target = tmp_path / "a.jpg"
    target.write_bytes(b"original bytes")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(target)], capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert done.stdout.startswith("failed")
    assert target.read_bytes() == b"original bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["a.jpg"]


FIX_SCRIPT = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from sora_lint.types import Size
    from tests import fix_support as fs
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
    outcome = fs.fix(Path(sys.argv[1]), Size(1280, 720), fix=True)
    print(outcome.error)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_fix_asset_reports_a_failed_write_and_keeps_the_original(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "a.png"
    Image.effect_noise((1000, 1000), 64).convert("RGB").save(path)  # too big to compress away
    before = path.read_bytes()
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", FIX_SCRIPT, str(path)], capture_output=True,
                          text=True, check=True, cwd=root)  # fmt: skip
    assert "File too large" in done.stdout
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.png"]
