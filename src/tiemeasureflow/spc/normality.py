"""Anderson-Darling normality test with the p-value Minitab and R's nortest report."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_VALUES = 8  # as nortest::ad.test: below this the p-value approximation is not valid
ALPHA = 0.05


@dataclass(frozen=True)
class Normality:
    """A2 (scipy), A2* = A2 (1 + 0.75/n + 2.25/n^2) and its p-value; None with a reason when undefined."""

    test: str
    statistic: float | None
    adjusted_statistic: float | None
    p_value: float | None
    normal: bool | None
    alpha: float
    reason: str | None = None


def anderson_darling(values: np.ndarray) -> Normality:
    """Test the values against a normal distribution with estimated mean and sigma."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < MIN_VALUES:
        return _undefined(f"needs at least {MIN_VALUES} values, got {n}")
    if np.ptp(x) == 0:
        return _undefined("zero spread: all values are equal")
    a2 = float(stats.anderson(x, "norm", method="interpolate").statistic)
    adjusted = a2 * (1.0 + 0.75 / n + 2.25 / (n * n))
    p = ad_p_value(adjusted)
    return Normality("Anderson-Darling", a2, adjusted, p, p >= ALPHA, ALPHA)


def ad_p_value(adjusted: float) -> float:
    """D'Agostino & Stephens (1986), Table 4.9: the p-value of the adjusted statistic A2*."""
    # The upper branch turns upwards past its minimum at 153.5; clamp to stay monotone (p ~ 1e-190).
    a = min(adjusted, 153.0)
    if a >= 0.6:
        p = math.exp(1.2937 - 5.709 * a + 0.0186 * a * a)
    elif a >= 0.34:
        p = math.exp(0.9177 - 4.279 * a - 1.38 * a * a)
    elif a >= 0.2:
        p = 1.0 - math.exp(-8.318 + 42.796 * a - 59.938 * a * a)
    else:
        p = 1.0 - math.exp(-13.436 + 101.14 * a - 223.73 * a * a)
    return min(1.0, max(0.0, p))


def _undefined(reason: str) -> Normality:
    return Normality("Anderson-Darling", None, None, None, None, ALPHA, reason)
