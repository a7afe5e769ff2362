"""The options the host itself understands; plugins declare theirs the same way."""

from __future__ import annotations

from typing import Any

from sora_lint.config.options import (
    OptionRegistry,
    glob_pattern,
    int_between,
    path_string,
    positive_int,
    shown,
    string,
)
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
        raise ValueError(
            f"{shown(raw)} is not a size; expected WxH (e.g. 1280x720) or auto"
        ) from None


def parse_extension(raw: Any) -> str:
    return string(raw).lower().lstrip(".")


def parse_code(raw: Any) -> str:
    text = string(raw).strip().upper()
    if not text or not text.isalnum():
        raise ValueError(f"{shown(raw)} is not a rule code or prefix (e.g. SL001, SL00, SL, ALL)")
    return text


def declare_core_options(options: OptionRegistry) -> None:
    """Declare the host's options: targets, file selection, rule selection, output, exit."""
    add = options.add
    add(
        "model",
        "model profile the assets must suit (see `sora-lint profiles`)",
        group="targets",
        default="sora-2",
        parse=string,
        metavar="NAME",
    )
    add(
        "target",
        "required size WxH, or auto: the allowed size nearest each image's aspect",
        group="targets",
        default="auto",
        parse=parse_target,
        metavar="WxH|auto",
    )
    add(
        "include",
        "only check files matching these globs (relative to the project root)",
        group="files",
        default=(),
        kind="list",
        parse=glob_pattern,
        metavar="GLOB",
    )
    add(
        "exclude",
        "skip files and folders matching these globs (also when named explicitly)",
        group="files",
        default=(),
        kind="list",
        parse=glob_pattern,
        metavar="GLOB",
    )
    add(
        "extensions",
        "file extensions collected when walking folders",
        group="files",
        default=DEFAULT_EXTENSIONS,
        kind="list",
        parse=parse_extension,
        metavar="EXT",
    )
    add(
        "respect-gitignore",
        "skip files ignored by .gitignore when walking folders",
        group="files",
        default=True,
        kind="flag",
    )
    add(
        "select",
        "rule codes or prefixes to enable (default: all)",
        group="selection",
        default=("ALL",),
        kind="list",
        parse=parse_code,
        metavar="CODE",
    )
    add(
        "extend-select",
        "rule codes or prefixes to enable in addition to select",
        group="selection",
        default=(),
        kind="list",
        parse=parse_code,
        metavar="CODE",
    )
    add(
        "ignore",
        "rule codes or prefixes to disable",
        group="selection",
        default=(),
        kind="list",
        parse=parse_code,
        metavar="CODE",
    )
    add(
        "per-file-ignores",
        "table of glob -> codes to ignore for matching files",
        schema={
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        group="selection",
        default={},
        cli=False,
    )
    add(
        "overrides",
        "per-path targets: a list of tables with paths, and target and/or model",
        schema={
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "paths": {
                        "anyOf": [
                            {"type": "array", "items": {"type": "string"}, "minItems": 1},
                            {"type": "string"},
                        ],
                        "description": "globs relative to the project root",
                    },
                    "target": {"type": "string", "description": "WxH or auto"},
                    "model": {"type": "string", "description": "a profile name"},
                },
                "required": ["paths"],
                "anyOf": [{"required": ["target"]}, {"required": ["model"]}],
                "additionalProperties": False,
            },
        },
        group="targets",
        default=(),
        cli=False,
    )
    add(
        "max-pixels",
        "declared pixel count over which an image is reported and never decoded",
        group="selection",
        default=DEFAULT_MAX_PIXELS,
        parse=positive_int,
        metavar="N",
    )
    add(
        "output-format",
        "report format on standard output",
        group="output",
        default="text",
        parse=string,
        metavar="FORMAT",
    )
    add(
        "output-file",
        "write the report to this file instead of standard output",
        group="output",
        default=None,
        parse=path_string,
        metavar="PATH",
        config=False,
    )
    add(
        "output",
        "an extra report, FORMAT:PATH (repeatable)",
        group="output",
        default=(),
        kind="list",
        parse=string,
        metavar="FORMAT:PATH",
        config=False,
    )
    add(
        "fail-on",
        "lowest severity that makes the exit code 1",
        group="exit",
        default="error",
        choices=("error", "warning"),
    )
    add("exit-zero", "exit 0 even when errors remain", default=False, kind="flag", group="exit")
    add(
        "statistics",
        "print a table of how many findings each rule has (and whether --fix can fix them) "
        "instead of the findings",
        default=False,
        kind="flag",
        group="output",
    )
    add("quiet", "print findings only, no summary", default=False, kind="flag", short="-q",
        group="output")  # fmt: skip
    add(
        "jobs",
        "worker processes (0: all CPUs, for runs worth a pool; not under pre-commit)",
        group="performance",
        default=0,
        parse=int_between(0),  # 0: choose for me
        metavar="N",
        short="-j",
    )
    add("cache-dir", "where to cache results", default=".sora-lint-cache", parse=path_string,
        metavar="PATH", group="performance")  # fmt: skip
    add("no-cache", "neither read nor write the cache", default=False, kind="flag",
        group="performance")  # fmt: skip
    add(
        "shard",
        "check only shard I of N (1-based; deterministic by path), for a CI matrix",
        group="performance",
        default=None,
        parse=parse_shard,
        metavar="I/N",
        config=False,
    )
