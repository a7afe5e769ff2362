"""``sora_lint.check``: the command's findings for one image, in-process, writing nothing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sora_lint.api import sources
from sora_lint.api.context import ConfigArg, Context, asked_for, asking, context
from sora_lint.api.pictures import extension_of, picture_asset
from sora_lint.api.sources import ImageSource, Source, source_of
from sora_lint.run.engine import check_asset
from sora_lint.run.probing import probe_bytes, probe_file
from sora_lint.types import Asset, Diagnostic, Problem, ProblemKind, Size

if TYPE_CHECKING:
    from sora_lint.host.plugin_host import PluginHost


def check(
    source: ImageSource,
    *,
    model: str | None = None,
    size: str | Size | tuple[int, int] | None = None,
    ratio: str | None = None,
    delivery: str | None = None,
    config: ConfigArg = None,
    name: str | None = None,
) -> list[Diagnostic]:
    """What ``sora-lint check`` reports for ``source``, as :class:`~sora_lint.types.Diagnostic`
    values sorted by code: the same rules, profiles and plugins, and never a pixel decoded
    nor a file written (no cache, no temporary file).

    :param source: a path (probed where it lies, reading its header only; a symlink is
        followed), ``bytes`` (probed in memory by the same probers), a binary file object
        (read whole, up to 256 MiB, then as bytes) or a PIL image (see below).
    :param model: the profile, by name or vendor model id (default: the configuration's,
        else ``sora-2``).
    :param size: the exact size the image must have (``"1280x720"``, ``(1280, 720)`` or a
        :class:`~sora_lint.types.Size`); default: the nearest size the model takes.
    :param ratio: the output ratio the request asks for (Runway's ``"1280:720"``, Veo's
        ``"16:9"``), as a job's ``ratio`` field.
    :param delivery: how the image reaches the API, for its byte limit: ``"url"`` (the
        default), ``"data-uri"`` or ``"upload"``.
    :param config: ``None`` (default: no configuration file), ``True`` (the nearest
        ``sora-lint.toml`` or ``pyproject.toml`` ``[tool.sora-lint]`` above the working
        directory, as the command finds it) or the path of one. Its rule selection,
        per-file ignores, per-path overrides, options and declared profiles apply.
    :param name: the file name the image will be sent under, whose extension gives the
        upload's MIME type (SL005, SL031). Default: the path's name; for bytes, file objects
        and PIL images, a name of the content's own type.

    A PIL image is judged by what it holds: its size, mode, frames, transparency, its EXIF
    orientation (read by Pillow, as the image has no file), and the format it will be sent as
    (``name``'s extension, else the format it was opened from, else PNG). It has no bytes
    yet, so the byte limit (SL023) and damage a header would show (SL004) are not judged.

    Bad arguments (an unknown model, a size the model does not take) and bad configuration
    raise :class:`~sora_lint.errors.UsageError` or :class:`~sora_lint.errors.ConfigError`
    (both :class:`~sora_lint.errors.SoraLintError`); anything the image contains is a
    finding.

    >>> import io, sora_lint
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (1920, 1080)).save(buffer, "PNG")
    >>> [d.code for d in sora_lint.check(buffer.getvalue(), model="sora-2")]
    ['SL001']
    >>> sora_lint.check(buffer.getvalue(), model="runway-gen4.5", ratio="1280:720")
    []
    """
    ctx = context(config, {})
    asked = asked_for(ctx, model, size, ratio, delivery)
    src = source_of(source, name)
    asset = asset_of(src, ctx.host)
    with asking(asked):
        _, found = check_asset(asset, ctx.session())
    return sorted(found, key=_order)


def asset_of(src: Source, host: PluginHost) -> Asset:
    """Probe ``src``: a path where it lies, bytes in memory, a PIL image from itself."""
    if src.image is not None:
        return picture_asset(src.image, src)
    if src.path is not None:
        absolute = Path(os.path.abspath(src.path))  # per-file ignores match from the root
        asset = probe_file(absolute, src.display, host, (Path(os.path.abspath(os.sep)),))
        return asset if src.name == absolute.name else _renamed(asset, src.name)
    if src.too_large:
        message = f"larger than {sources.MAX_SOURCE_BYTES:,} bytes; not read"
        problem = Problem(ProblemKind.IO_ERROR, message)
        return Asset(Path(src.name or "image"), src.display, 0, problem=problem)
    return bytes_asset(src.data or b"", src.name, src.display, host)


def bytes_asset(data: bytes, name: str | None, display: str, host: PluginHost) -> Asset:
    """Probe ``data`` in memory under ``name`` (default: a name of the content's type)."""
    asset = probe_bytes(data, Path(name or "image"), display, host)
    if name is None and asset.format is not None:
        return _renamed(asset, f"image.{extension_of(asset.format)}")
    return asset


def check_in(ctx: Context, asset: Asset, codes: frozenset[str] | None = None) -> list[Diagnostic]:
    """The findings for a probed asset (the call's target must be set with ``asking``)."""
    _, found = check_asset(asset, ctx.session(codes))
    return sorted(found, key=_order)


def _renamed(asset: Asset, name: str | None) -> Asset:
    import dataclasses

    if not name:
        return asset
    return dataclasses.replace(asset, path=asset.path.with_name(name))


def _order(d: Diagnostic) -> tuple[str, int, str]:
    return (d.code, d.line if d.line is not None else 0, d.path)
