"""What the Python API is handed: a path, bytes, a binary file object or a PIL image.

Bytes and file objects are probed in memory by the same probers as files (nothing is
written anywhere); a path is probed where it lies. A file object is read whole, within
:data:`MAX_SOURCE_BYTES`, since it may be a pipe or a network stream that cannot seek.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from sora_lint.errors import PrepareError, UsageError
from sora_lint.filesystem.reading import FileRefused, read_regular_file

if TYPE_CHECKING:
    from PIL import Image


class Readable(Protocol):
    """A binary file object: an open file, ``io.BytesIO``, an HTTP response body."""

    def read(self, size: int, /) -> bytes: ...


#: What ``check`` and ``prepare`` take as ``source``.
ImageSource: TypeAlias = (
    "str | os.PathLike[str] | bytes | bytearray | memoryview | Readable | Image.Image"
)

#: The most bytes read from a file object, or from a path by ``prepare`` (which reads the
#: file once and works on those bytes): far beyond any API's limit (Runway takes 200 MiB
#: uploaded), short of what would exhaust a pipeline's memory.
MAX_SOURCE_BYTES = 256 * 1024 * 1024
_CHUNK = 1 << 20
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class SourceTooLarge(Exception):
    """A file object that goes on past :data:`MAX_SOURCE_BYTES`."""


@dataclass(frozen=True)
class Source:
    """One source, normalised: exactly one of ``path``, ``data`` and ``image`` is set.

    ``display`` names it in diagnostics; ``name`` is the file name an upload of it carries
    (its type judged by its extension), ``None`` when the caller gave none and there is no
    file: then the content's own type is assumed."""

    display: str
    name: str | None
    path: Path | None = None
    data: bytes | None = None
    image: Image.Image | None = None
    too_large: bool = False
    #: The name a prepared copy is named after (its stem): the given name, the file's own.
    own_name: str | None = None


def source_of(source: Any, name: str | None) -> Source:
    """Normalise ``source``; a wrong type is a ``TypeError``. A file object is read here."""
    if name is not None and (
        not isinstance(name, str) or not name.strip() or any(c in name for c in "\0/\\")
    ):
        raise UsageError(f"name: expected a file name such as frame.png, got {name!r}")
    if isinstance(source, str | os.PathLike):
        path = Path(os.fspath(source))
        return Source(display=str(path), name=name or path.name, path=path, own_name=path.name)
    if isinstance(source, bytes | bytearray | memoryview):
        data = source if isinstance(source, bytes) else bytes(source)
        return Source(display=name or "<bytes>", name=name, data=data, own_name=name)
    if _is_pil_image(source):
        own = name or _pil_name(source)
        return Source(display=own or "<PIL image>", name=name, image=source, own_name=own)
    read = getattr(source, "read", None)
    if callable(read):
        given = getattr(source, "name", None)
        own = os.path.basename(given) if isinstance(given, str) and given else None
        display = name or own or "<stream>"
        try:
            data = read_stream(source, MAX_SOURCE_BYTES)
        except SourceTooLarge:
            return Source(display, name or own, data=b"", too_large=True, own_name=name or own)
        return Source(display=display, name=name or own, data=data, own_name=name or own)
    raise TypeError(
        "source must be a path, bytes, a binary file object or a PIL image, not "
        f"{type(source).__name__}"
    )


def read_stream(stream: Any, limit: int) -> bytes:
    """The rest of a binary file object, at most ``limit`` bytes (:class:`SourceTooLarge`
    beyond); a text stream is a ``TypeError``."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError(f"source: a file object opened in binary mode, not {type(chunk)}")
        chunks.append(bytes(chunk))
        total += len(chunk)
    if total > limit:
        raise SourceTooLarge
    return b"".join(chunks)


def whole_bytes(source: Source) -> bytes:
    """The bytes ``prepare`` works on: read once from a path (a regular file, within
    :data:`MAX_SOURCE_BYTES`), so what is probed is what is decoded."""
    if source.too_large:
        raise PrepareError(
            f"cannot prepare {source.display}: it is larger than {MAX_SOURCE_BYTES:,} bytes"
        )
    if source.data is not None:
        return source.data
    if source.path is None:
        raise ValueError("no bytes for a PIL image")
    try:
        return read_regular_file(source.path, MAX_SOURCE_BYTES)
    except FileNotFoundError:
        raise PrepareError(f"cannot prepare {source.display}: no such file") from None
    except FileRefused as exc:
        raise PrepareError(f"cannot prepare {exc}") from None


def safe_stem(name: str | None) -> str:
    """A file name's stem reduced to letters, digits, ``.``, ``_`` and ``-`` (an upload's
    name must not carry a path, a quote or a control character): ``image`` when nothing is
    left."""
    stem = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    cleaned = _UNSAFE_NAME.sub("_", stem).strip("._-")[:100]
    return cleaned or "image"


def _is_pil_image(source: Any) -> bool:
    """Whether ``source`` is a PIL image, without importing Pillow when nobody has."""
    module = sys.modules.get("PIL.Image")
    return module is not None and isinstance(source, module.Image)


def _pil_name(image: Image.Image) -> str | None:
    filename = getattr(image, "filename", None)
    return os.path.basename(filename) if isinstance(filename, str) and filename else None
