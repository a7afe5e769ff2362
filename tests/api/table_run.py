"""The profiles x sources table of ``prepare``, run by ``test_api_table.py`` in a process of
its own whose working folder and TMPDIR are read-only and empty.

    python tests/api/table_run.py IMAGES_DIR

Every write the process attempts (a file opened for writing, a folder made, a file moved or
removed) is recorded by an audit hook before anything else is imported, so a write is seen
even where the folders' modes would not stop it (as root). Prints one JSON object: how many
cases ran, the cases that failed and why, and the writes.
"""

from __future__ import annotations

import os
import sys

WRITES: list[str] = []
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_WRITE_EVENTS = {
    "os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink", "os.link",
    "os.truncate", "os.chmod", "os.chown", "os.utime", "shutil.copyfile", "shutil.move",
    "shutil.rmtree", "tempfile.mkstemp", "tempfile.mkdtemp",
}  # fmt: skip


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and len(args) >= 3:
        path, mode, flags = args[0], args[1], args[2]
        writing = isinstance(mode, str) and any(c in mode for c in "wax+")
        if isinstance(flags, int) and flags & _WRITE_FLAGS:
            writing = True
        if writing and not isinstance(path, int):
            WRITES.append(f"open {path!r} {mode!r}")
    elif event in _WRITE_EVENTS:
        WRITES.append(f"{event} {args[:2]!r}")


sys.addaudithook(_audit)

import io  # noqa: E402 - after the hook, so imports are watched too
import json  # noqa: E402
from pathlib import Path  # noqa: E402

from PIL import Image  # noqa: E402

import sora_lint  # noqa: E402
from sora_lint.host.manager import build_plugin_manager  # noqa: E402
from sora_lint.host.plugin_host import PluginHost  # noqa: E402
from sora_lint.types import Profile  # noqa: E402

KINDS = ("path", "bytes", "file object", "PIL image")
DELIVERIES = ("url", "data-uri", "upload")
EXTENSIONS = {"JPEG": ("jpg",), "PNG": ("png",), "WEBP": ("webp",)}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def source(kind: str, path: Path) -> object:
    if kind == "path":
        return path
    if kind == "bytes":
        return path.read_bytes()
    if kind == "file object":
        return open(path, "rb")
    return Image.open(path)


def ratios(profile: Profile) -> list[str | None]:
    """No ratio, and for a model that lists output ratios, one of them (a shape)."""
    shapes = [r for r in profile.ratios if ":" in r and r not in ("1:1", "960:960")]
    return [None, *shapes[:1]]


def sent(prepared: sora_lint.Prepared, profile: Profile, delivery: str) -> int:
    """What the API measures, worked out here from the bytes (not from the report)."""
    if delivery == "data-uri" and profile.data_uri_counts == "encoded":
        text = prepared.to_data_uri() if profile.inline_form == "data-uri" else prepared.to_base64()
        return len(text)
    return len(prepared.data)


def verify(
    prepared: sora_lint.Prepared, profile: Profile, delivery: str, ratio: str | None
) -> list[str]:
    problems = []
    with Image.open(io.BytesIO(prepared.data)) as image:
        image.load()
        fmt, size, mode = image.format, image.size, image.mode
        orientation = image.getexif().get(0x0112, 1)
    if fmt != prepared.format or prepared.mime_type != MIME_TYPES.get(str(fmt)):
        problems.append(f"bytes are {fmt}, said {prepared.format} {prepared.mime_type}")
    if prepared.filename.rpartition(".")[2] not in EXTENSIONS.get(str(fmt), ()):
        problems.append(f"{prepared.filename} for {fmt} bytes")
    if size != (prepared.size.width, prepared.size.height):
        problems.append(f"decodes at {size}, said {prepared.size}")
    if mode not in ("RGB", "L") or orientation != 1:
        problems.append(f"mode {mode}, orientation {orientation}")
    found = sora_lint.check(prepared.data, model=profile.name, delivery=delivery, ratio=ratio,
                            name=prepared.filename)  # fmt: skip
    problems += [f"check: {d.code} {d.message}" for d in found]
    limit = profile.byte_limit(delivery)
    measured = sent(prepared, profile, delivery)
    if limit is not None and measured > limit:
        problems.append(f"{measured:,} over {limit:,} ({delivery})")
    if prepared.report.sent_size != measured:
        problems.append(f"report says {prepared.report.sent_size:,} sent, it is {measured:,}")
    return problems


def run_case(
    kind: str, path: Path, profile: Profile, delivery: str, ratio: str | None
) -> list[str]:
    given = source(kind, path)
    try:
        prepared = sora_lint.prepare(given, model=profile.name, delivery=delivery, ratio=ratio)
    except Exception as exc:  # noqa: BLE001 - every failure is reported with its case
        return [f"{type(exc).__name__}: {exc}"]
    finally:
        close = getattr(given, "close", None)
        if close is not None:
            close()
    return verify(prepared, profile, delivery, ratio)


def main(images: Path) -> dict[str, object]:
    profiles = PluginHost(build_plugin_manager()).profiles
    small = sorted(p for p in images.iterdir() if not p.name.startswith("photo"))
    failures: list[str] = []
    cases = 0
    for p_index, profile in enumerate(profiles.values()):
        for ratio in ratios(profile):
            for i_index, path in enumerate(small):
                for k_index, kind in enumerate(KINDS):  # every kind; deliveries rotate
                    delivery = DELIVERIES[(p_index + i_index + k_index) % len(DELIVERIES)]
                    cases += 1
                    for problem in run_case(kind, path, profile, delivery, ratio):
                        failures.append(
                            f"{profile.name} {ratio} {path.name} {kind} {delivery}: {problem}"
                        )
    photo = images / "photo_12mp.jpg"
    if photo.exists():
        runway = profiles["runway-gen4.5"]
        cases += 1
        for problem in run_case("bytes", photo, runway, "data-uri", "1280:720"):
            failures.append(f"12 MP photo: {problem}")
    return {"cases": cases, "failures": failures, "writes": WRITES}


if __name__ == "__main__":
    if sys.argv[1:] == ["--prove-hook"]:  # the hook sees a write: this run must report one
        with open(os.devnull, "wb") as sink:
            sink.write(b"x")
        print(json.dumps({"cases": 0, "failures": [], "writes": WRITES}))
    else:
        print(json.dumps(main(Path(sys.argv[1]))))
