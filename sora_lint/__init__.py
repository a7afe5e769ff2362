"""sora-lint: lint and fix reference images for image-to-video models.

The Python API (``check``, ``prepare``, ``Prepared``, ``PrepareReport``, ``PrepareError``
and the values they use) loads on first use, so ``import sora_lint`` stays as cheap as the
command's start-up needs.
"""

#: ``typing`` costs more to import than this whole module: the command needs none of it here.
TYPE_CHECKING = False

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "Diagnostic",
    "PrepareError",
    "PrepareReport",
    "Prepared",
    "Severity",
    "Size",
    "SoraLintError",
    "UsageError",
    "__version__",
    "check",
    "prepare",
]

if TYPE_CHECKING:
    from typing import Any

    from sora_lint.api import Prepared, PrepareReport, check, prepare
    from sora_lint.errors import ConfigError, PrepareError, SoraLintError, UsageError
    from sora_lint.types import Diagnostic, Severity, Size

#: Public name -> the module that defines it.
_LAZY = {
    "check": "sora_lint.api",
    "prepare": "sora_lint.api",
    "Prepared": "sora_lint.api",
    "PrepareReport": "sora_lint.api",
    "PrepareError": "sora_lint.errors",
    "SoraLintError": "sora_lint.errors",
    "UsageError": "sora_lint.errors",
    "ConfigError": "sora_lint.errors",
    "Diagnostic": "sora_lint.types",
    "Severity": "sora_lint.types",
    "Size": "sora_lint.types",
}


def __getattr__(name: str) -> "Any":
    """Load a public name of the API when it is first asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sora_lint' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
