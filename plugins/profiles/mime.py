"""Image types three ways: content formats (Pillow's names), MIME types and file extensions.

APIs name the types they take as MIME types; the probers name content formats; an upload's
declared type usually comes from its file name. One table each way, no ``mimetypes`` module
(it reads the machine's ``/etc/mime.types``, so its answers differ between machines).
"""

from __future__ import annotations

#: Content format -> the MIME type an upload of it should carry.
FORMAT_MIME: dict[str, str] = {
    "JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
    "GIF": "image/gif", "BMP": "image/bmp", "DIB": "image/bmp", "TIFF": "image/tiff",
    "HEIF": "image/heic", "AVIF": "image/avif", "JXL": "image/jxl", "JPEG2000": "image/jp2",
    "ICO": "image/vnd.microsoft.icon", "PSD": "image/vnd.adobe.photoshop", "QOI": "image/qoi",
    "TGA": "image/x-tga", "EPS": "application/postscript", "PDF": "application/pdf",
    "SVG": "image/svg+xml", "PSB": "image/vnd.adobe.photoshop", "JXR": "image/jxr",
    "EXR": "image/x-exr", "HDR": "image/vnd.radiance", "XCF": "image/x-xcf",
    "PPM": "image/x-portable-anymap", "WMF": "image/wmf", "EMF": "image/emf",
}  # fmt: skip

#: MIME types (and the names config files used before MIME types) -> content format.
FORMAT_NAMES: dict[str, str] = {
    "image/jpeg": "JPEG", "image/jpg": "JPEG", "image/png": "PNG", "image/webp": "WEBP",
    "image/gif": "GIF", "image/bmp": "BMP", "image/tiff": "TIFF", "image/heic": "HEIF",
    "image/heif": "HEIF", "image/avif": "AVIF",
    "jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF", "avif": "AVIF",
    "heic": "HEIF", "heif": "HEIF", "bmp": "BMP", "tiff": "TIFF",
}  # fmt: skip

#: File extension -> the content formats it stands for (an MPO's first image is a JPEG).
EXTENSION_FORMATS: dict[str, frozenset[str]] = {
    "jpg": frozenset({"JPEG", "MPO"}), "jpeg": frozenset({"JPEG", "MPO"}),
    "jpe": frozenset({"JPEG", "MPO"}), "jfif": frozenset({"JPEG", "MPO"}),
    "mpo": frozenset({"MPO", "JPEG"}), "png": frozenset({"PNG"}), "apng": frozenset({"PNG"}),
    "webp": frozenset({"WEBP"}), "gif": frozenset({"GIF"}), "bmp": frozenset({"BMP", "DIB"}),
    "dib": frozenset({"BMP", "DIB"}), "tif": frozenset({"TIFF"}), "tiff": frozenset({"TIFF"}),
    "heic": frozenset({"HEIF"}), "heif": frozenset({"HEIF"}), "avif": frozenset({"AVIF"}),
    "jxl": frozenset({"JXL"}), "jp2": frozenset({"JPEG2000"}), "j2k": frozenset({"JPEG2000"}),
    "ico": frozenset({"ICO"}), "psd": frozenset({"PSD"}), "psb": frozenset({"PSB"}),
    "qoi": frozenset({"QOI"}), "tga": frozenset({"TGA"}), "eps": frozenset({"EPS"}),
    "epsf": frozenset({"EPS"}), "ps": frozenset({"EPS"}), "pdf": frozenset({"PDF"}),
    "svg": frozenset({"SVG"}), "jxr": frozenset({"JXR"}), "wdp": frozenset({"JXR"}),
    "exr": frozenset({"EXR"}), "hdr": frozenset({"HDR"}), "xcf": frozenset({"XCF"}),
    "ppm": frozenset({"PPM"}), "pgm": frozenset({"PPM"}), "pbm": frozenset({"PPM"}),
    "pnm": frozenset({"PPM"}), "wmf": frozenset({"WMF"}), "emf": frozenset({"EMF"}),
}  # fmt: skip

#: The usual extension to suggest for a content format.
PREFERRED_EXTENSION: dict[str, str] = {
    "JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "BMP": "bmp",
    "DIB": "bmp", "TIFF": "tiff", "HEIF": "heic", "AVIF": "avif", "JXL": "jxl",
    "JPEG2000": "jp2", "ICO": "ico", "PSD": "psd", "PSB": "psb", "QOI": "qoi", "TGA": "tga",
    "EPS": "eps", "PDF": "pdf", "SVG": "svg", "JXR": "jxr", "EXR": "exr", "HDR": "hdr",
    "XCF": "xcf", "PPM": "ppm", "WMF": "wmf", "EMF": "emf",
}  # fmt: skip

#: What an upload whose name says nothing about its type is usually sent as.
GENERIC_MIME = "application/octet-stream"


def mime_of(fmt: str) -> str:
    """The MIME type of a content format (``application/octet-stream`` when unknown)."""
    return FORMAT_MIME.get(fmt, GENERIC_MIME)


def mime_of_extension(extension: str) -> str:
    """The MIME type an upload named ``*.extension`` carries (``.jpg``: ``image/jpeg``)."""
    formats = EXTENSION_FORMATS.get(extension.lower())
    if formats is None:
        return GENERIC_MIME
    return FORMAT_MIME[min(formats)]  # JPEG before MPO, BMP before DIB


def format_of_mime(mime: str) -> str | None:
    """The content format a declared MIME type stands for, or ``None``."""
    text = mime.strip().lower()
    found = FORMAT_NAMES.get(text)
    if found is not None or "/" not in text:
        return found
    return next((fmt for fmt, known in FORMAT_MIME.items() if known == text), None)
