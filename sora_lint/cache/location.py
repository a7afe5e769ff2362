"""Which folder the cache may use, and refusing the ones a repository could aim at a victim.

The folder's content and its path can both come from the repository: ``cache-dir =
"../victim"`` in its config, a committed ``.sora-lint-cache -> /home/me`` symlink, a committed
cache that vouches for bad images. So the folder must lie inside the project root and not be
a symlink, unless the user named it on the command line; it must be new, empty or already
carry sora-lint's marker (:mod:`sora_lint.cache.marker`); and it must hold no file git
tracks. Anything else ends the run with exit 2 and one line: nothing there is touched.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sora_lint.cache.clean import cache_folder
from sora_lint.cache.marker import claim, is_cache_folder, is_empty_folder
from sora_lint.errors import ConfigError, SoraLintError, UsageError
from sora_lint.filesystem.git import in_git_work_tree, run_git
from sora_lint.filesystem.paths import is_inside, make_folders
from sora_lint.types import Settings


def usable_cache_folder(top: Path, settings: Settings) -> Path:
    """The folder to use for the cache at ``top`` (a command-line symlink resolved), or an
    error naming the setting and why the folder is refused."""
    from_cli = "cache-dir" in (settings.get("cli-keys") or ())
    key = "--cache-dir" if from_cli else "cache-dir"
    error: type[SoraLintError] = UsageError if from_cli else ConfigError
    root = Path(str(settings.get("root") or "."))
    try:
        info: os.stat_result | None = os.lstat(top)
    except FileNotFoundError:
        info = None
    except (OSError, ValueError) as exc:
        raise error(f"{key}: cannot use {top}: {_reason(exc)}") from None
    if info is not None and stat.S_ISLNK(info.st_mode) and not from_cli:
        raise ConfigError(
            f"cache-dir: {top} is a symbolic link; sora-lint does not follow it (remove "
            "it, give --cache-dir to use it anyway, or --no-cache)"
        )
    if not from_cli and not is_inside(top, root):
        raise ConfigError(
            f"cache-dir: {top} lies outside the project root {root}; a configuration file "
            "may only name a folder inside it (give --cache-dir to use another)"
        )
    if info is None:
        return top  # made and marked when the run first stores something
    if stat.S_ISLNK(info.st_mode):  # named on the command line: the user's own link
        top = Path(os.path.realpath(top))
        if not os.path.lexists(top):
            return top
    if not os.path.isdir(top) or os.path.islink(top):
        raise error(f"{key}: {top} is not a folder")
    if not (is_cache_folder(top) or is_empty_folder(top)):
        raise error(
            f"{key}: {top} is not a sora-lint cache (no CACHEDIR.TAG written by sora-lint) and "
            "is not empty; name a new or empty folder (nothing in this one is touched)"
        )
    if tracked_files_in(top):
        raise error(
            f"{key}: {top} holds files tracked by git; a cache that comes with the repository "
            "could vouch for any image, so it is not used (git rm -r --cached it, or "
            "--no-cache)"
        )
    return top


def tracked_files_in(folder: Path) -> bool:
    """Whether git tracks any file in ``folder`` (one ``git ls-files`` of that folder)."""
    if not in_git_work_tree(folder):
        return False
    output = run_git(folder, "ls-files", "-z", "--", ".")
    return output is not None and bool(output.stdout.strip(b"\0"))


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


#: The cache's folder for the temporary files of fixes in place (git ignores it).
TEMP_FOLDER = "tmp"


_TEMP_FOLDERS: dict[tuple[str, str, bool], Path | None] = {}


def fix_temp_folder(settings: Settings) -> Path | None:
    """The cache's ``tmp`` folder, where a fix in place writes its temporary file so that a
    killed run leaves nothing git shows; ``None`` without a usable cache (then beside)."""
    if settings.get("no-cache") or settings.get("root") is None:
        return None  # no cache, or a program's own settings without a project: beside
    cwd = Path.cwd()
    top = cache_folder(settings, cwd)
    key = (str(top), str(cwd), "cache-dir" in (settings.get("cli-keys") or ()))
    if key not in _TEMP_FOLDERS:
        _TEMP_FOLDERS[key] = _make_temp_folder(top, settings)
    return _TEMP_FOLDERS[key]


def _make_temp_folder(top: Path, settings: Settings) -> Path | None:
    try:
        usable = usable_cache_folder(top, settings)
        if not claim(usable):
            return None
        folder = usable / TEMP_FOLDER
        make_folders(folder, usable)
    except (SoraLintError, OSError):
        return None
    return folder
