"""EWMA chart (Montgomery ch. 9.2; NIST e-Handbook 6.3.2.4) with exact time-varying limits.

z_i = lambda x_i + (1 - lambda) z_(i-1), z_0 = target. The limits of point i are
target +/- L sigma_i sqrt(lambda / (2 - lambda) (1 - (1 - lambda)^(2i))), where sigma_i is the
sigma of the plotted value (sigma / sqrt(n_i) for a subgroup mean of n_i values); they widen
towards the steady-state limits target +/- L sigma sqrt(lambda / (2 - lambda)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LAMBDA_RANGE = (0.01, 1.0)
L_RANGE = (0.5, 6.0)


@dataclass(frozen=True)
class EwmaChart:
    """The EWMA statistic of every point with its own limits, and the points beyond them."""

    statistic: np.ndarray
    ucl: np.ndarray
    lcl: np.ndarray
    center: float
    steady_ucl: float
    steady_lcl: float
    lam: float
    L: float
    sigma: float
    signals: np.ndarray


def ewma_chart(values: np.ndarray, target: float, sigma: float, lam: float = 0.2, L: float = 3.0,
               sizes: np.ndarray | None = None) -> EwmaChart:
    """EWMA of values (individuals, or subgroup means of `sizes` values) around target with known sigma."""
    x = np.asarray(values, dtype=float)
    if not LAMBDA_RANGE[0] <= lam <= LAMBDA_RANGE[1]:
        raise ValueError(f"lambda must be {LAMBDA_RANGE[0]}..{LAMBDA_RANGE[1]}")
    if not sigma > 0:
        raise ValueError("sigma must be greater than 0")
    n = np.ones(len(x)) if sizes is None else np.asarray(sizes, dtype=float)
    z = np.empty(len(x))
    previous = target
    for i, value in enumerate(x):
        previous = lam * value + (1.0 - lam) * previous
        z[i] = previous
    steps = np.arange(1, len(x) + 1)
    factor = np.sqrt(lam / (2.0 - lam) * (1.0 - (1.0 - lam) ** (2 * steps)))
    spread = L * sigma / np.sqrt(n) * factor
    ucl, lcl = target + spread, target - spread
    steady = L * sigma * np.sqrt(lam / (2.0 - lam)) / (np.sqrt(n[-1]) if len(n) else 1.0)
    signals = np.flatnonzero((z > ucl) | (z < lcl))
    return EwmaChart(z, ucl, lcl, float(target), float(target + steady), float(target - steady), lam, L,
                     float(sigma), signals)
