"""What ``prepare`` returns: the bytes to send, how to send them, and what was done."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from pathlib import Path

from sora_lint.types import Diagnostic, Size

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class PrepareReport:
    """What ``prepare`` did, in the words ``--fix`` uses.

    ``source_size`` is the size stored in the source, ``upright_size`` the size it is shown
    at; ``crop_box`` is the part of the upright picture kept and ``pad_box`` where it went in
    the result (left, top, right, bottom), ``scale`` how much it was resized (``None`` where
    nothing was cropped, padded or resized). ``quality`` is the JPEG or lossy WebP quality
    written (``None``: lossless, or the source's bytes sent as they are, ``unchanged``).
    ``conversions`` lists the changes of orientation, pixel mode, transparency and format;
    ``steps`` what the byte limit took (a lower quality, a smaller size). ``sent_size`` is
    what the API measures against ``byte_limit`` (a data URI's length where it counts the
    encoded text). ``warnings`` are findings ``check`` still reports for the result (never
    an error).

    >>> import io, sora_lint
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (1000, 1000), "white").save(buffer, "PNG")
    >>> report = sora_lint.prepare(buffer.getvalue(), model="sora-2", mode="cover").report
    >>> report.crop_box, str(report.size), report.scale
    ((0, 219, 1000, 782), '1280x720', 1.28)
    >>> report.fixes  # doctest: +ELLIPSIS
    ('cover: crop 1000x1000 to 1000x563 (centre) and scale to 1280x720; cuts 219 px top...',)
    """

    source: str
    model: str
    delivery: str
    source_format: str
    source_size: Size
    upright_size: Size
    size: Size
    format: str
    quality: int | None = None
    fixes: tuple[str, ...] = ()
    crop_box: Box | None = None
    pad_box: Box | None = None
    scale: float | None = None
    conversions: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    byte_limit: int | None = None
    sent_size: int = 0
    unchanged: bool = False
    warnings: tuple[Diagnostic, ...] = ()

    def lines(self) -> list[str]:
        """The report as short lines of text, for a log.

        >>> import io, sora_lint
        >>> from PIL import Image
        >>> buffer = io.BytesIO()
        >>> Image.new("RGB", (1920, 1080)).save(buffer, "JPEG")
        >>> print("\\n".join(sora_lint.prepare(buffer.getvalue()).report.lines()))
        ... # doctest: +ELLIPSIS
        <bytes>: JPEG 1920x1080 -> JPEG 1280x720 for sora-2
          fix: pad: resize 1920x1080 to 1280x720 (same aspect ratio: nothing cropped, no bars)
          sent url: ..., quality 95
        """
        done = [
            f"{self.source}: {self.source_format} {self.source_size} -> {self.format} "
            f"{self.size} for {self.model}" + (" (sent as it is)" if self.unchanged else "")
        ]
        done += [f"  fix: {text}" for text in self.fixes]
        done += [f"  {text}" for text in self.conversions]
        done += [f"  {text}" for text in self.steps]
        limit = f" of at most {self.byte_limit:,}" if self.byte_limit is not None else ""
        quality = f", quality {self.quality}" if self.quality is not None else ""
        done.append(f"  sent {self.delivery}: {self.sent_size:,}{limit}{quality}")
        done += [f"  warning: {d.code} {d.message}" for d in self.warnings]
        return done


@dataclass(frozen=True)
class Prepared:
    """An image the model accepts, ready to send.

    ``data`` are the bytes; ``format`` their content format (``JPEG``, ``PNG``, ``WEBP``),
    ``mime_type`` the type to declare, ``filename`` a name whose extension is that type (an
    upload's type is usually taken from its name), ``size`` the pixel size.

    >>> import io, sora_lint
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGBA", (1280, 720), (0, 0, 0, 0)).save(buffer, "PNG")
    >>> prepared = sora_lint.prepare(buffer.getvalue(), model="sora-2", name="logo.png")
    >>> prepared.filename, prepared.mime_type, str(prepared.size)
    ('logo.png', 'image/png', '1280x720')
    >>> prepared.report.fixes
    ('flatten transparency onto black',)
    >>> prepared.to_data_uri().startswith("data:image/png;base64,iVBOR")
    True
    >>> name, data, mime_type = prepared.to_upload()
    """

    data: bytes = field(repr=False)
    mime_type: str
    filename: str
    size: Size
    format: str
    report: PrepareReport = field(repr=False)

    def to_data_uri(self) -> str:
        """``data:<mime type>;base64,<bytes>``: what a request carries inline."""
        return f"data:{self.mime_type};base64,{self.to_base64()}"

    def to_base64(self) -> str:
        """The bytes in base64 without a prefix (APIs that take bare base64: Kling, Veo)."""
        return base64.b64encode(self.data).decode("ascii")

    def to_upload(self) -> tuple[str, bytes, str]:
        """``(filename, bytes, mime type)``: the file tuple HTTP clients and SDKs take for a
        multipart upload (``client.videos.create(input_reference=prepared.to_upload())``)."""
        return self.filename, self.data, self.mime_type

    def to_file(self, path: str | os.PathLike[str]) -> Path:
        """Write the bytes to ``path`` atomically (a temporary file beside it, then a rename;
        a symbolic link at ``path`` is replaced, never written through) and return it."""
        from sora_lint.filesystem.atomic import atomic_write

        return atomic_write(Path(os.fspath(path)), self.data)
