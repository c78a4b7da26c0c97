"""Judging a value against a characteristic's limits: pure functions, no database.

Rules (inclusive bounds):
- within [lwl, uwl] -> pass; within [ltl, utl] -> warning; else fail.
- a missing warning limit falls back to the tolerance limit on its side (no warning band there);
- a missing tolerance limit means no bound on its side.
- deviation = value - nominal (None without a nominal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PASS, WARNING, FAIL = "pass", "warning", "fail"
# Severity order: a run's status is its worst characteristic's judgment.
SEVERITY = {PASS: 0, WARNING: 1, FAIL: 2}


@dataclass(frozen=True)
class ToleranceLimits:
    """A characteristic's nominal and limits; any of them may be None."""

    nominal: float | None = None
    ltl: float | None = None
    lwl: float | None = None
    uwl: float | None = None
    utl: float | None = None

    @property
    def tolerance_band(self) -> tuple[float, float]:
        """[low, high] outside which a value fails (infinite where there is no limit)."""
        low = -math.inf if self.ltl is None else self.ltl
        high = math.inf if self.utl is None else self.utl
        return low, high

    @property
    def warning_band(self) -> tuple[float, float]:
        """[low, high] inside which a value passes; missing warning limits take the tolerance limit."""
        tol_low, tol_high = self.tolerance_band
        low = tol_low if self.lwl is None else self.lwl
        high = tol_high if self.uwl is None else self.uwl
        return low, high


def judge(value: float, limits: ToleranceLimits) -> str:
    """pass, warning or fail for a finite value."""
    pass_low, pass_high = limits.warning_band
    if pass_low <= value <= pass_high:
        return PASS
    tol_low, tol_high = limits.tolerance_band
    if tol_low <= value <= tol_high:
        return WARNING
    return FAIL


def deviation(value: float, nominal: float | None) -> float | None:
    """value - nominal, or None without a nominal."""
    return None if nominal is None else value - nominal


def worst(judgments) -> str:
    """The most severe of some judgments (pass for none)."""
    return max(judgments, key=SEVERITY.__getitem__, default=PASS)
