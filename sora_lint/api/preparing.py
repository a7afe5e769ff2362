"""``sora_lint.prepare``: the image a model accepts, made in memory with ``--fix``'s code.

The way through is ``--fix``'s: probe, resolve the target, check, choose the fixes
(:func:`sora_lint.fix.fixing.plan_fixes`), decode through the allow-list within the memory
budget (:mod:`sora_lint.fix.decoding`), apply the fixers and encode
(:mod:`sora_lint.fix.rendering`). What ``prepare`` adds: the size is the one the request
will be sent for (an output ratio, a limit the model would otherwise adapt to), the format
is one the model takes, and the bytes fit the delivery's limit (:mod:`.fitting`). The result
is checked like any file before it is returned.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sora_lint.api import fitting
from sora_lint.api.checking import asset_of, bytes_asset
from sora_lint.api.context import ConfigArg, Context, asked_for, context
from sora_lint.api.formats import output_format, requested_format
from sora_lint.api.pictures import extension_of
from sora_lint.api.prepared import Prepared
from sora_lint.api.sizing import parse_ratio, prepared_size, sizes_of_ratio
from sora_lint.api.sources import ImageSource, Source, safe_stem, source_of, whole_bytes
from sora_lint.errors import PrepareError, UsageError
from sora_lint.types import Asset, Size

if TYPE_CHECKING:
    from sora_lint.api.context import Asked

#: Codes ``prepare`` settles itself rather than through a fixer: the format (it converts),
#: the name (it names the result) and the bytes (it re-encodes); the result is judged by
#: them like any file.
SETTLED_BY_PREPARE = frozenset({"SL002", "SL005", "SL023", "SL031"})
#: What stops ``prepare`` before anything is decoded.
_BLOCKING = ("SL004", "SL011", "SL010")


def prepare(
    source: ImageSource,
    *,
    model: str | None = None,
    size: str | Size | tuple[int, int] | None = None,
    ratio: str | None = None,
    mode: str | None = None,
    anchor: str | None = None,
    delivery: str | None = None,
    format: str | None = None,
    pad_color: str | None = None,
    flatten: bool = True,
    quality: int | None = None,
    config: ConfigArg = None,
    name: str | None = None,
) -> Prepared:
    """The image ``model`` accepts, made from ``source`` in memory, ready to send.

    The result has the exact size (or an accepted size of the requested ``ratio``, or of
    the nearest aspect the model takes), is upright (its EXIF orientation baked in), 8-bit
    RGB, RGBA or grey, in a format the model takes, and within the byte limit of the
    ``delivery``: when it is over, it is re-encoded at a lower quality (down to 70), then,
    for a model that takes a range of sizes, at a smaller size it takes, only as far as
    needed (``report.steps`` says so). It is checked like any file before it is returned.
    The work is ``--fix``'s: the same decoding allow-list and memory budget, fixers and
    quality; an image that needs nothing is returned as it is (``report.unchanged``).

    :param source: a path, ``bytes``, a binary file object or a PIL image (see
        :func:`sora_lint.check`); a path is read once, then worked on in memory.
    :param model, size, delivery, config, name: as for :func:`sora_lint.check`.
    :param ratio: the output ratio the request asks for (Runway's ``"1280:720"``, Veo's
        ``"16:9"``): the image gets that aspect.
    :param mode: how the aspect is reached: ``"pad"`` (bars, nothing lost; the default
        unless the configuration's ``fix-mode`` says otherwise), ``"cover"`` (fills and
        crops) or ``"stretch"`` (distorts); a tiny miss is trimmed in every mode.
    :param anchor: what ``cover`` keeps: ``"centre"`` (default), an edge or corner
        (``"top"``, ``"bottom-left"``), ``"x,y"`` fractions or ``"smart"`` (the most
        detailed region).
    :param format: the format to write (``"jpeg"``, ``"png"``, ``"webp"``); default: the
        source's when the model takes it, else one that keeps what the picture has.
    :param pad_color: the colour of the bars and of what transparency is flattened onto
        (a name, ``#rrggbb`` or ``"blur"`` for a blurred copy behind the bars; default
        black).
    :param flatten: flatten transparency (a video frame is opaque); ``False`` keeps it
        where the format can (``report.warnings`` then carries SL009).
    :param quality: the JPEG or lossy WebP quality to start from (default 95).

    Raises :class:`~sora_lint.errors.PrepareError` when the image cannot be made
    acceptable (unreadable, animated, over the pixel limit or the decode memory budget, a
    format sora-lint does not decode, too large for the byte limit at the smallest size
    the model takes); :class:`~sora_lint.errors.UsageError` or
    :class:`~sora_lint.errors.ConfigError` for bad arguments or configuration. All three
    are :class:`~sora_lint.errors.SoraLintError`.

    >>> import io, sora_lint
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (1600, 1200), "navy").save(buffer, "JPEG")
    >>> prepared = sora_lint.prepare(buffer.getvalue(), model="runway-gen4.5",
    ...                              ratio="1280:720", delivery="data-uri", mode="cover")
    >>> prepared.size, prepared.mime_type, prepared.filename
    (Size(width=1600, height=900), 'image/jpeg', 'image.jpg')
    >>> prepared.report.crop_box
    (0, 150, 1600, 1050)
    >>> prepared.to_data_uri()[:23]
    'data:image/jpeg;base64,'
    >>> sora_lint.check(prepared.data, model="runway-gen4.5", ratio="1280:720")
    []
    """
    options = {"fix-mode": mode, "cover-anchor": anchor, "pad-color": pad_color,
               "flatten": flatten, "jpeg-quality": quality}  # fmt: skip
    ctx = context(config, options)
    asked = asked_for(ctx, model, size, ratio, delivery)
    src = source_of(source, name)
    return _Preparation(ctx, asked, src, format).run()


class _Preparation:
    """One ``prepare`` call's state, from the probe to the returned bytes."""

    def __init__(self, ctx: Context, asked: Asked, src: Source, fmt: str | None) -> None:
        self.ctx, self.asked, self.src, self.fmt = ctx, asked, src, fmt
        self.plan_codes = frozenset(ctx.host.rules) - SETTLED_BY_PREPARE
        self.data = None if src.image is not None else whole_bytes(src)
        if self.data is None:
            self.asset = asset_of(src, ctx.host)
        else:
            self.asset = bytes_asset(self.data, src.name, src.display, ctx.host)

    def run(self) -> Prepared:
        first, found = fitting.planned(self.ctx, self.asset, self.asked, self.plan_codes)
        self._refuse(found)
        target = first.target
        header = self.asset.header
        if target is None or header is None:
            raise PrepareError(f"cannot prepare {self.src.display}: no target for it")
        profile = target.profile
        ratio_text = self.asked_param("ratio")
        aspect = _aspect(ratio_text, profile.ratios)
        if profile.exact and aspect is not None and not sizes_of_ratio(profile, aspect):
            allowed = ", ".join(str(s) for s in profile.sizes)
            raise UsageError(f"ratio: {ratio_text} is not the shape of a size {profile.name} "
                             f"takes ({allowed})")  # fmt: skip
        declared = target.request.size
        shown = header.display_size
        try:
            wanted = prepared_size(profile, shown, declared, aspect, self.grows)
        except ValueError as exc:
            raise PrepareError(f"cannot prepare {self.src.display}: {exc}") from None
        alpha = header.has_alpha and not self.ctx.settings.get("flatten")
        source_fmt = self.asset.format or "PNG"
        lossless = source_fmt == "PNG" or (source_fmt == "WEBP" and _lossless_webp(self.data))
        if self.src.image is not None:
            lossless = source_fmt not in ("JPEG", "MPO", "WEBP")
        out = output_format(profile, source_fmt, requested_format(self.fmt, profile), alpha,
                            lossless)  # fmt: skip
        job = fitting.Fitting(
            ctx=self.ctx,
            asset=self._as_written(out),
            source=self.src,
            data=self.data,
            profile=profile,
            params=self.asked.params,
            declared=declared,
            aspect=aspect,
            plan_codes=self.plan_codes,
            out_format=out,
            fixed_format=self.fmt is not None,
            filename=f"{safe_stem(self.src.own_name)}.{extension_of(out)}",
        )
        return job.run(wanted)

    @property
    def grows(self) -> bool:
        return str(self.ctx.settings.get("fix-mode") or "pad") == "pad"

    def asked_param(self, key: str) -> str | None:
        return dict(self.asked.params).get(key)

    def _as_written(self, out: str) -> Asset:
        """The asset the fixes are planned for: a PIL image is judged as the format it will
        be written in (its pixels are here whatever it was opened from)."""
        if self.src.image is None:
            return self.asset
        return dataclasses.replace(self.asset, format=out)

    def _refuse(self, found: list[Any]) -> None:
        """Raise :class:`PrepareError` for what no fix can make acceptable."""
        asset, shown = self.asset, self.src.display
        blocking = tuple(d for d in found if d.code in _BLOCKING)
        if asset.problem is not None or asset.header is None or blocking:
            reason = blocking[0].message if blocking else (
                asset.problem.message if asset.problem else "not readable as an image")  # fmt: skip
            raise PrepareError(f"cannot prepare {shown}: {reason}", blocking)
        header = asset.header
        if header.n_frames > 1 and asset.format != "MPO":
            raise PrepareError(
                f"cannot prepare {shown}: {asset.format} with {header.n_frames} frames is "
                "animated; a reference image is one still frame: export the one you mean",
                tuple(d for d in found if d.code == "SL007"),
            )
        image = self.src.image
        if image is None:
            if asset.format not in fitting.DECODED:
                raise PrepareError(
                    f"cannot prepare {shown}: {asset.format} is not a format sora-lint decodes "
                    "(JPEG, PNG and WebP only); convert it first"
                )
        elif getattr(image, "tile", None) and (image.format or "") not in fitting.DECODED:
            raise PrepareError(
                f"cannot prepare {shown}: a {image.format} image not decoded yet; sora-lint "
                "decodes only JPEG, PNG and WebP (call image.load() first if you trust it)"
            )


def _aspect(ratio: str | None, ratios: tuple[str, ...]) -> Fraction | None:
    """The aspect an output ratio asks for; ``None`` for none, or for a ratio the model
    lists that is not a shape (Seedance's ``adaptive``)."""
    if ratio is None:
        return None
    try:
        return parse_ratio(ratio)
    except ValueError as exc:
        if ratio in ratios:
            return None
        raise UsageError(f"ratio: {exc}") from None


def _lossless_webp(data: bytes | None) -> bool:
    from sora_lint.fix.reencode import webp_is_lossless

    return data is not None and webp_is_lossless(data[: 1 << 16])
