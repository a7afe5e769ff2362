"""The frozen values that move forward through a run: asset, target, diagnostic, fix.

Every plugin hook takes and returns these, so a third-party package needs nothing else
from the core to add a rule, a profile, a prober, a fixer or a reporter. Each group lives in
a module of its own in :mod:`sora_lint.values`; this module is the one public import path
for all.
"""

from __future__ import annotations

from sora_lint.values.asset import (
    SWAPPING_ORIENTATIONS,
    Asset,
    ImageHeader,
    ProbeResult,
    Problem,
    ProblemKind,
)
from sora_lint.values.diagnostic import Applicability, Diagnostic, Fix, Severity
from sora_lint.values.profile import DELIVERIES, NEAR_MISS_ACTIONS, Combination, Fact, Profile
from sora_lint.values.registrations import CheckContext, Fixer, Rule, Settings
from sora_lint.values.run_report import FixResult, Reporter, RunReport
from sora_lint.values.size import Size
from sora_lint.values.target import Location, Target, TargetRequest

#: Re-exported: ``sora_lint.types`` is where plugins import every value from.
__all__ = [
    "DELIVERIES",
    "NEAR_MISS_ACTIONS",
    "SWAPPING_ORIENTATIONS",
    "Applicability",
    "Asset",
    "CheckContext",
    "Combination",
    "Diagnostic",
    "Fact",
    "Fix",
    "FixResult",
    "Fixer",
    "ImageHeader",
    "Location",
    "ProbeResult",
    "Problem",
    "ProblemKind",
    "Profile",
    "Reporter",
    "Rule",
    "RunReport",
    "Settings",
    "Severity",
    "Size",
    "Target",
    "TargetRequest",
]  # fmt: skip
