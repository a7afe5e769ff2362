"""Text from the repository made safe to write into a report.

File names and messages can hold anything a file system allows; a text output must never
carry a character that breaks its format.
"""

from __future__ import annotations

import re

# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, U+FFFE/U+FFFF) and lone surrogates
# (undecodable bytes in a POSIX file name): they would make an XML/HTML/Markdown output invalid
# or make writing the stream fail, so text outputs replace them.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def safe_text(text: str) -> str:
    """``text`` with control characters and lone surrogates replaced by U+FFFD."""
    return _UNSAFE_TEXT.sub("\ufffd", text)
