"""Text from the repository made safe to write into a report.

File names, job fields, config values and messages can hold anything a file system or a
TOML file allows. In a CI log a raw newline in a file name starts a new line that GitHub
reads as a workflow command (``::add-mask::``, ``::warning file=…``), a carriage return
overwrites the line shown, an escape sequence recolours or hides it, and a bidirectional
override makes ``gnp.exe`` read as ``exe.png``. So every text output shows such characters as
visible escapes (``\\n``, ``\\x1b``, ``\\u202e``, and ``\\xff`` for a byte of a file name that is
not UTF-8): what a line says is what the repository holds, and one finding is one line.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls (some terminals read U+009B as CSI), line and paragraph
# separators, bidirectional marks, overrides and isolates, noncharacters U+FFFE/U+FFFF, and
# lone surrogates (undecodable bytes of a POSIX file name).
_CONTROLS = "\x00-\x1f\x7f-\x9f"
_LAYOUT = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
_SURROGATES = "\ud800-\udfff"
_VISIBLE = re.compile(f"[{_CONTROLS}{_LAYOUT}{_SURROGATES}]")
#: The same, keeping tab, LF and CR: formats that escape those themselves (XML, HTML).
_UNSAFE_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_LAYOUT}{_SURROGATES}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (``surrogateescape``)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible_text(text: str) -> str:
    """``text`` on one line with every control, layout and undecodable character shown as
    an escape; the text output and every message on stderr go through this."""
    if text.isprintable() and text.isascii():
        return text  # the usual case, without the regular expression
    return _VISIBLE.sub(_escape, text)


def safe_text(text: str) -> str:
    """``text`` for a format that escapes line breaks itself (XML, HTML, Markdown cells,
    GitHub's ``%0A``): the same escapes as :func:`visible_text`, tab and line breaks kept."""
    if text.isprintable() and text.isascii():
        return text
    return _UNSAFE_TEXT.sub(_escape, text)
