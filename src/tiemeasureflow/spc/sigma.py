"""Estimators of sigma within (short-term) and sigma overall (long-term)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .constants import chart_constants
from .subgroups import sigma_unequal

ESTIMATORS = ("r_bar", "s_bar", "pooled")
ESTIMATOR_NAMES = {
    "mr_bar": "MR-bar/d2(2)",
    "r_bar": "R-bar/d2(n)",
    "s_bar": "S-bar/c4(n)",
    "pooled": "pooled standard deviation s_p/c4(d+1)",
}


@dataclass(frozen=True)
class SigmaWithin:
    """Sigma within and how it was estimated; `value` is None with a `reason` when it cannot be."""

    value: float | None
    estimator: str
    subgroup_size: int
    subgroups: int
    values_used: int
    values_left_out: int
    constants: str
    reason: str | None = None

    @property
    def estimator_name(self) -> str:
        """A readable formula, e.g. `R-bar/d2(n)`."""
        return ESTIMATOR_NAMES[self.estimator]


def complete_subgroups(values: np.ndarray, size: int) -> np.ndarray:
    """Consecutive values as rows of `size`; an incomplete last subgroup is left out."""
    whole = (len(values) // size) * size
    return np.asarray(values[:whole], dtype=float).reshape(-1, size)


def moving_ranges(values: np.ndarray) -> np.ndarray:
    """|x_i - x_(i-1)| for i >= 1."""
    return np.abs(np.diff(np.asarray(values, dtype=float)))


def sigma_within(values: np.ndarray, subgroup_size: int = 1, estimator: str = "r_bar",
                 source: str = "exact") -> SigmaWithin:
    """Individuals: MR-bar/d2(2). Subgroups of n: R-bar/d2(n), S-bar/c4(n) ("s_bar") or pooled s_p/c4(d+1)."""
    x = np.asarray(values, dtype=float)
    if subgroup_size == 1:
        return _from_moving_ranges(x, source)
    if estimator not in ESTIMATORS:
        raise ValueError(f"unknown estimator {estimator!r}")
    constants = chart_constants(subgroup_size, source)
    groups = complete_subgroups(x, subgroup_size)
    left_out = len(x) - groups.size
    common: dict[str, Any] = dict(estimator=estimator, subgroup_size=subgroup_size, subgroups=len(groups),
                                  values_used=int(groups.size), values_left_out=left_out, constants=source)
    if len(groups) == 0:
        reason = f"subgroup size {subgroup_size} is larger than the {len(x)} values selected"
        return SigmaWithin(None, reason=reason, **common)
    value: float | None
    if estimator == "r_bar":
        spread = float(np.mean(np.ptp(groups, axis=1)))
        value = spread / constants.d2
    elif estimator == "pooled":
        value = sigma_unequal(list(groups), "pooled")
    else:
        spread = float(np.mean(np.std(groups, axis=1, ddof=1)))
        value = spread / constants.c4
    return SigmaWithin(value, **common)


def _from_moving_ranges(x: np.ndarray, source: str) -> SigmaWithin:
    common: dict[str, Any] = dict(estimator="mr_bar", subgroup_size=1, subgroups=len(x), values_used=len(x),
                                  values_left_out=0, constants=source)
    if len(x) < 2:
        return SigmaWithin(None, reason="fewer than 2 values: no moving range", **common)
    mr_bar = float(np.mean(moving_ranges(x)))
    return SigmaWithin(mr_bar / chart_constants(2, source).d2, **common)


def sigma_overall(values: np.ndarray) -> float | None:
    """The sample standard deviation (n - 1); None for fewer than 2 values."""
    x = np.asarray(values, dtype=float)
    if len(x) < 2:
        return None
    return float(np.std(x, ddof=1))
