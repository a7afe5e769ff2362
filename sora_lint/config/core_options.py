"""The options the host itself understands; plugins declare theirs the same way."""

from __future__ import annotations

from typing import Any

from sora_lint.config.options import OptionRegistry, int_between, positive_int, string
from sora_lint.run.shard import parse_shard
from sora_lint.types import Size

#: Twice Pillow's ``Image.MAX_IMAGE_PIXELS`` (89,478,485): where Pillow itself refuses to open.
DEFAULT_MAX_PIXELS = 2 * 89_478_485

DEFAULT_EXTENSIONS = (
    "jpg", "jpeg", "jpe", "jfif", "png", "apng", "webp", "gif", "bmp", "dib", "tif", "tiff",
    "heic", "heif", "heics", "avif", "avifs", "jxl", "mpo", "jp2", "j2k", "jpx", "ico", "cur",
    "icns", "psd", "qoi", "tga", "dds", "ppm", "pgm", "pbm", "pnm", "wbmp", "pcx", "sgi",
)  # fmt: skip


def parse_target(raw: Any) -> str:
    """Accept ``auto`` or ``WxH``; the profile check happens once the model is known."""
    text = string(raw).strip().lower()
    if text == "auto":
        return text
    try:
        return str(Size.parse(text))
    except ValueError:
        raise ValueError(f"{raw!r} is not a size; expected WxH (e.g. 1280x720) or auto") from None


def parse_extension(raw: Any) -> str:
    return string(raw).lower().lstrip(".")


def parse_code(raw: Any) -> str:
    text = string(raw).strip().upper()
    if not text or not text.isalnum():
        raise ValueError(f"{raw!r} is not a rule code or prefix (e.g. SL001, SL00, SL, ALL)")
    return text


def declare_core_options(options: OptionRegistry) -> None:
    """Declare the host's options: targets, file selection, rule selection, output, exit."""
    add = options.add
    add(
        "model",
        "model profile the assets must suit (see `sora-lint profiles`)",
        default="sora-2",
        parse=string,
        metavar="NAME",
    )
    add(
        "target",
        "required size WxH, or auto: the allowed size nearest each image's aspect",
        default="auto",
        parse=parse_target,
        metavar="WxH|auto",
    )
    add(
        "include",
        "only check files matching these globs (relative to the project root)",
        default=(),
        kind="list",
        parse=string,
        metavar="GLOB",
    )
    add(
        "exclude",
        "skip files and folders matching these globs (also when named explicitly)",
        default=(),
        kind="list",
        parse=string,
        metavar="GLOB",
    )
    add(
        "extensions",
        "file extensions collected when walking folders",
        default=DEFAULT_EXTENSIONS,
        kind="list",
        parse=parse_extension,
        metavar="EXT",
    )
    add(
        "respect-gitignore",
        "skip files ignored by .gitignore when walking folders",
        default=True,
        kind="flag",
        cli=False,
    )
    add(
        "select",
        "rule codes or prefixes to enable (default: all)",
        default=("ALL",),
        kind="list",
        parse=parse_code,
        metavar="CODE",
    )
    add(
        "extend-select",
        "rule codes or prefixes to enable in addition to select",
        default=(),
        kind="list",
        parse=parse_code,
        metavar="CODE",
    )
    add(
        "ignore",
        "rule codes or prefixes to disable",
        default=(),
        kind="list",
        parse=parse_code,
        metavar="CODE",
    )
    add(
        "per-file-ignores",
        "table of glob -> codes to ignore for matching files",
        default={},
        cli=False,
    )
    add(
        "overrides",
        "per-path targets: a list of tables with paths, and target and/or model",
        default=(),
        cli=False,
    )
    add(
        "max-pixels",
        "declared pixel count over which an image is reported and never decoded",
        default=DEFAULT_MAX_PIXELS,
        parse=positive_int,
        metavar="N",
    )
    add(
        "output-format",
        "report format on standard output",
        default="text",
        parse=string,
        metavar="FORMAT",
    )
    add(
        "output-file",
        "write the report to this file instead of standard output",
        default=None,
        parse=string,
        metavar="PATH",
        config=False,
    )
    add(
        "output",
        "an extra report, FORMAT:PATH (repeatable)",
        default=(),
        kind="list",
        parse=string,
        metavar="FORMAT:PATH",
        config=False,
    )
    add(
        "fail-on",
        "lowest severity that makes the exit code 1",
        default="error",
        choices=("error", "warning"),
    )
    add("exit-zero", "exit 0 even when errors remain", default=False, kind="flag")
    add("statistics", "print the number of diagnostics per rule", default=False, kind="flag")
    add("quiet", "print diagnostics only, no summary", default=False, kind="flag", short="-q")
    add(
        "jobs",
        "worker processes (0: all CPUs, for runs worth a pool; not under pre-commit)",
        default=0,
        parse=int_between(0),  # 0: choose for me
        metavar="N",
        short="-j",
    )
    add("cache-dir", "where to cache results", default=".sora-lint-cache", parse=string,
        metavar="PATH")  # fmt: skip
    add("no-cache", "neither read nor write the cache", default=False, kind="flag")
    add(
        "shard",
        "check only shard I of N (1-based; deterministic by path), for a CI matrix",
        default=None,
        parse=parse_shard,
        metavar="I/N",
        config=False,
    )
