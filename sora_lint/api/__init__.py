"""The Python API: check an image, or prepare one a model accepts, in-process.

``check`` reports what ``sora-lint check`` would; ``prepare`` returns the bytes to send,
made by ``--fix``'s code. Both take a path, bytes, a binary file object or a PIL image,
and neither writes anything. Imported lazily by ``import sora_lint`` (see
``sora_lint/__init__.py``), so the command's start-up never pays for it.
"""

from __future__ import annotations

from sora_lint.api.checking import check
from sora_lint.api.prepared import Prepared, PrepareReport
from sora_lint.api.preparing import prepare

__all__ = ["PrepareReport", "Prepared", "check", "prepare"]
