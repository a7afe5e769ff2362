"""The baseline file: where it is, its entries, and their bytes (versioned, sorted,
indented JSON, so a baseline change reads well in a diff), read within a size limit."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sora_lint.errors import ConfigError, UsageError
from sora_lint.filesystem.reading import FileRefused, read_regular_file
from sora_lint.types import Settings

VERSION = 1
#: A baseline of 250,000 violations is ~60 MB; a larger file is refused, not read.
MAX_BASELINE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """One recorded violation (``count`` of them); fields that do not apply are empty.

    ``path`` is the file the diagnostic is shown on, POSIX and relative to the project root;
    ``sha256`` is that file's content hash. For a job-file line, ``asset``/``asset_sha256``
    and ``target`` say which image it names, so the key does not depend on the line number.
    """

    path: str
    code: str
    sha256: str
    asset: str = ""
    asset_sha256: str = ""
    target: str = ""
    count: int = 1

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return (self.path, self.code, self.sha256, self.asset, self.asset_sha256, self.target)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "code": self.code, "sha256": self.sha256}
        for name in ("asset", "asset_sha256", "target"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        data["count"] = self.count
        return data


def merge_entries(entries: Iterable[BaselineEntry]) -> list[BaselineEntry]:
    """One entry per key, its counts added up, sorted (as the file holds them)."""
    counts: Counter[tuple[str, str, str, str, str, str]] = Counter()
    for entry in entries:
        counts[entry.key] += entry.count
    return sorted(BaselineEntry(*key, count=n) for key, n in counts.items() if n > 0)


def dump_entries(entries: Iterable[BaselineEntry]) -> bytes:
    """The file's bytes: versioned, sorted, one key per line, trailing newline."""
    document = {
        "tool": "sora-lint",
        "version": VERSION,
        "entries": [entry.to_json() for entry in merge_entries(entries)],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8", errors="surrogateescape")


def load_baseline(path: Path) -> list[BaselineEntry]:
    """Read a baseline file; a missing, unreadable (a FIFO, a device, over
    :data:`MAX_BASELINE_BYTES`) or malformed one is an error naming the file."""
    try:
        raw = read_regular_file(path, MAX_BASELINE_BYTES).decode("utf-8", "surrogateescape")
    except FileNotFoundError:
        raise UsageError(
            f"baseline: {path} does not exist; create it with --write-baseline {path}"
        ) from None
    except FileRefused as exc:
        raise UsageError(f"baseline: {exc}") from None
    try:
        document = json.loads(raw)
        if not isinstance(document, dict) or document.get("version") != VERSION:
            raise ValueError(f"expected a sora-lint baseline with version {VERSION}")
        return [_entry(item) for item in document["entries"]]
    except RecursionError:
        raise ConfigError(f"baseline: {path} is nested too deeply to be a baseline") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"baseline: {path} is not a valid baseline file: {exc}") from None


def _entry(item: Any) -> BaselineEntry:
    if not isinstance(item, dict):
        raise ValueError(f"bad entry {item!r}")
    fields = [item.get(name, "") for name in ("path", "code", "sha256")]
    extra = [item.get(name, "") for name in ("asset", "asset_sha256", "target")]
    count = item.get("count", 1)
    if not all(isinstance(v, str) for v in fields + extra) or not all(fields):
        raise ValueError(f"bad entry {item!r}")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError(f"bad count in entry {item!r}")
    path, code, sha256 = fields
    asset, asset_sha256, target = extra
    return BaselineEntry(path, code, sha256, asset, asset_sha256, target, count)


def baseline_path(settings: Settings, key: str) -> Path | None:
    """The file named by option ``key``: relative to the working directory when given on the
    command line, to the project root when it comes from the config file."""
    value = settings.get(key)
    if not value:
        return None
    if key in settings.get("cli-keys", ()) or "root" not in settings.values:
        return Path(str(value))
    return Path(str(settings["root"])) / str(value)
