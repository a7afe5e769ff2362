"""Making the prepared bytes: ``--fix``'s fixes for the wanted size, then an encoding that
fits the delivery's byte limit (a lower quality, then a smaller size the model takes, only
as far as needed), each candidate checked like any file.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from sora_lint.api import pixels
from sora_lint.api.checking import bytes_asset, check_in
from sora_lint.api.context import Asked, Context, asking
from sora_lint.api.formats import lossy_instead, sent_size
from sora_lint.api.pictures import MIME_TYPE, extension_of
from sora_lint.api.prepared import Prepared
from sora_lint.api.reporting import prepared_result
from sora_lint.api.sizing import smaller_size
from sora_lint.api.sources import Source
from sora_lint.errors import PrepareError
from sora_lint.run.engine import check_asset
from sora_lint.types import Asset, CheckContext, Diagnostic, Profile, Severity, Size

if TYPE_CHECKING:
    from PIL import Image

    from sora_lint.fix.decoding import Decoded
    from sora_lint.fix.fixing import FixPlan

#: The formats decoded for ``prepare``: ``--fix``'s (MPO's first picture is a JPEG).
DECODED = ("JPEG", "MPO", "PNG", "WEBP")
#: Qualities tried, after the starting one, when the bytes are over the limit.
QUALITY_STEPS = (90, 85, 80, 75, 70)
#: Smaller sizes tried at the lowest quality before giving up.
MAX_SHRINKS = 8
#: Each smaller size aims this far under the limit (encoders do not scale exactly).
SHRINK_MARGIN = 0.92


def planned(
    ctx: Context, asset: Asset, asked: Asked, codes: frozenset[str]
) -> tuple[CheckContext, list[Diagnostic]]:
    """The asset checked for ``asked`` with ``codes``, fixes attached (as ``--fix`` sees it)."""
    with asking(asked):
        return check_asset(asset, ctx.session(codes))


@dataclass
class Fitting:
    """The part of one ``prepare`` call that makes bytes (see the module's docstring)."""

    ctx: Context
    asset: Asset
    source: Source
    data: bytes | None
    profile: Profile
    params: tuple[tuple[str, str], ...]
    declared: Size | None
    aspect: Fraction | None
    plan_codes: frozenset[str]
    out_format: str
    fixed_format: bool
    filename: str
    steps: list[str] = dataclasses.field(default_factory=list)
    moved_for_bytes: bool = False

    @property
    def delivery(self) -> str:
        asked = dict(self.params).get("delivery")
        return asked or str(self.ctx.settings.get("delivery") or "url")

    @property
    def limit(self) -> int | None:
        return self.profile.byte_limit(self.delivery)

    def run(self, wanted: Size) -> Prepared:
        from sora_lint.fix import budget

        plan = self._plan(wanted)
        unchanged = self._unchanged(plan)
        if unchanged is not None:
            return unchanged
        # Reserved from the decode to the last encoding, as --fix holds it for a rewrite.
        needed = pixels.memory(self.asset, self.data, plan, self.ctx.settings, self.source)
        with budget.reserve(needed):
            picture = pixels.decode(self.asset, self.data, plan, self.source, self.out_format)
            return self._fit(picture, plan, wanted)

    # -- planning ---------------------------------------------------------------------------

    def _plan(self, wanted: Size) -> FixPlan:
        from sora_lint.fix.fixing import plan_fixes

        asked = Asked(self.profile.name, wanted, self.params)
        ctx, found = planned(self.ctx, self.asset, asked, self.plan_codes)
        plan = plan_fixes(ctx, found, self.ctx.settings)
        if plan.skipped is not None:
            raise PrepareError(f"cannot prepare {self.source.display}: {plan.skipped}")
        return plan

    def _unchanged(self, plan: FixPlan) -> Prepared | None:
        """The source's own bytes, when they need nothing and pass every rule as they are."""
        fmt = self.asset.format
        if self.data is None or plan.apply or fmt != self.out_format:
            return None
        found = self._verify(self.data, self.out_format)
        if found:
            return None
        return prepared_result(self, self.data, self._header_size(), None, plan, {}, (), True)

    # -- bytes ------------------------------------------------------------------------------

    def _fit(self, decoded: Decoded, plan: FixPlan, wanted: Size) -> Prepared:
        image, said = self._render(decoded, plan)
        last: tuple[bytes, Encoding] | None = None
        for encoding in self._encodings(decoded):
            data, found = self._encode(image, decoded, encoding)
            if not _over(found):
                if self.steps:
                    self._step(encoding, image.size, data, "within")
                return self._done(data, encoding, plan, said, found, image.size)
            self._step(encoding, image.size, data)
            last = (data, encoding)
        if last is None:  # _encodings always yields
            raise PrepareError(f"cannot prepare {self.source.display}: nothing was encoded")
        return self._shrink(decoded, last, wanted)

    def _render(self, decoded: Decoded, plan: FixPlan) -> tuple[Image.Image, dict[str, Any]]:
        return pixels.render(decoded, plan, self.ctx, self.out_format, self.source)

    def _encodings(self, decoded: Decoded) -> Iterator[Encoding]:
        """The formats and qualities tried in turn: the starting quality, then lower ones;
        a lossless picture (unless the format was asked for) moves to a lossy format."""
        from sora_lint.fix import rendering

        first = rendering.quality_of(self.ctx.settings)
        qualities = (first, *(q for q in QUALITY_STEPS if q < first))
        fmt = self.out_format
        if not self._lossless(fmt, decoded):
            yield from (Encoding(fmt, q) for q in qualities)
            return
        yield Encoding(fmt, None)
        instead = None if self.fixed_format else lossy_instead(self.profile, self._alpha())
        if instead is not None:
            self.moved_for_bytes = True
            yield from (Encoding(instead, q) for q in qualities)

    def _lossless(self, fmt: str, decoded: Decoded) -> bool:
        """PNG, and WebP from a lossless source (a lossless WebP, a PNG, a PIL image that was
        not opened from a lossy file)."""
        if fmt != "WEBP":
            return fmt == "PNG"
        if self.source.image is not None:
            return self.source.image.format not in ("JPEG", "MPO", "WEBP")
        return decoded.keep.webp_lossless or self.asset.format == "PNG"

    def _shrink(self, decoded: Decoded, last: tuple[bytes, Encoding], wanted: Size) -> Prepared:
        """Smaller sizes the model takes, at the last encoding tried, until the bytes fit."""
        data, encoding = last
        current = wanted
        for _ in range(MAX_SHRINKS):
            limit = self.limit
            if limit is None or self.declared is not None:
                break
            factor = math.sqrt(limit / self.sent(data, encoding.format) * SHRINK_MARGIN)
            try:
                smaller = smaller_size(self.profile, current, factor, self.aspect)
            except ValueError:
                break
            plan = self._plan(smaller)
            image, said = self._render(decoded, plan)
            data, found = self._encode(image, decoded, encoding)
            current = smaller
            if not _over(found):
                self._step(encoding, image.size, data, "within")
                return self._done(data, encoding, plan, said, found, image.size)
            self._step(encoding, image.size, data)
        raise PrepareError(
            f"cannot prepare {self.source.display}: {self.sent(data, encoding.format):,} "
            f"{self._counted()} is over {self.profile.name}'s limit of {self.limit or 0:,} at the "
            f"smallest size and quality tried ({current}, {encoding.label})"
        )

    def _encode(
        self, image: Image.Image, decoded: Decoded, encoding: Encoding
    ) -> tuple[bytes, list[Diagnostic]]:
        from sora_lint.fix import rendering

        header = self.asset.header
        shown = header.display_size if header is not None else Size(*image.size)
        lossless_webp = encoding.format == "WEBP" and encoding.quality is None
        keep = dataclasses.replace(
            decoded.keep, format=encoding.format, webp_lossless=lossless_webp
        )
        quality = encoding.quality or rendering.quality_of(self.ctx.settings)
        try:
            data = rendering.encode_fixed(image, keep, decoded.icc, quality, shown)
        except Exception as exc:  # noqa: BLE001 - an encoder's refusal of this picture
            raise PrepareError(
                f"cannot prepare {self.source.display}: encoding it failed ({pixels.reason(exc)})"
            ) from None
        return data, self._verify(data, encoding.format)

    def _verify(self, data: bytes, fmt: str) -> list[Diagnostic]:
        """``check``'s findings for the bytes under their own name, with every rule."""
        name = f"{self.filename.rpartition('.')[0]}.{extension_of(fmt)}"
        asset = bytes_asset(data, name, self.source.display, self.ctx.host)
        asked = Asked(self.profile.name, self.declared, self.params)
        with asking(asked):
            return check_in(self.ctx, asset, frozenset(self.ctx.host.rules))

    # -- the result -------------------------------------------------------------------------

    def _done(
        self,
        data: bytes,
        encoding: Encoding,
        plan: FixPlan,
        said: dict[str, Any],
        found: list[Diagnostic],
        size: tuple[int, int],
    ) -> Prepared:
        errors = [d for d in found if d.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            raise PrepareError(
                f"cannot prepare {self.source.display}: the result still fails "
                f"{first.code}: {first.message}",
                tuple(errors),
            )
        self.out_format = encoding.format
        return prepared_result(
            self, data, Size(*size), encoding.quality, plan, said, tuple(found), False
        )

    def _header_size(self) -> Size:
        header = self.asset.header
        return header.size if header is not None else Size(1, 1)

    def _alpha(self) -> bool:
        header = self.asset.header
        return bool(header and header.has_alpha and not self.ctx.settings.get("flatten"))

    def sent(self, data: bytes, fmt: str) -> int:
        return sent_size(len(data), self.profile, self.delivery, MIME_TYPE[fmt])

    def _counted(self) -> str:
        encoded = self.delivery == "data-uri" and self.profile.data_uri_counts == "encoded"
        return "characters as a data URI" if encoded else f"bytes ({self.delivery})"

    def _step(
        self, encoding: Encoding, size: tuple[int, int], data: bytes, verdict: str = "over"
    ) -> None:
        """Note one encoding tried for the byte limit and whether it fit."""
        self.steps.append(
            f"{encoding.label} at {size[0]}x{size[1]}: {self.sent(data, encoding.format):,} "
            f"{self._counted()}, {verdict} {self.limit or 0:,}"
        )


class Encoding(NamedTuple):
    """A format and its quality (``None``: lossless)."""

    format: str
    quality: int | None

    @property
    def label(self) -> str:
        if self.quality is None:
            return f"{self.format} (lossless)"
        return f"{self.format} quality {self.quality}"


def _over(found: list[Diagnostic]) -> bool:
    return any(d.code == "SL023" for d in found)
