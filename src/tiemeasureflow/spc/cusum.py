"""Tabular CUSUM (Montgomery ch. 9.1; NIST e-Handbook 6.3.2.3), in the data's own units.

C+_i = max(0, x_i - (target + K) + C+_(i-1)) and C-_i = max(0, (target - K) - x_i + C-_(i-1)),
K = k sigma_i and H = h sigma_i, sigma_i the sigma of the plotted value (sigma / sqrt(n_i) for a
subgroup mean). A point signals when C+ or C- exceeds H; the sums are not reset after a signal,
as in the published tables. N+ and N- count the points since the sum was last 0, for Montgomery's
estimate of the shifted mean: target + K + C+/N+ (or target - K - C-/N-).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

K_RANGE = (0.0, 3.0)
H_RANGE = (0.5, 20.0)


@dataclass(frozen=True)
class CusumChart:
    """Upper and lower sums of every point, the decision interval and the points beyond it."""

    upper: np.ndarray
    lower: np.ndarray
    upper_run: np.ndarray
    lower_run: np.ndarray
    decision: np.ndarray
    allowance: np.ndarray
    target: float
    sigma: float
    k: float
    h: float
    signals: np.ndarray


def cusum_chart(values: np.ndarray, target: float, sigma: float, k: float = 0.5, h: float = 5.0,
                sizes: np.ndarray | None = None) -> CusumChart:
    """Two one-sided CUSUMs of values (individuals, or subgroup means of `sizes` values) around target."""
    x = np.asarray(values, dtype=float)
    if not sigma > 0:
        raise ValueError("sigma must be greater than 0")
    n = np.ones(len(x)) if sizes is None else np.asarray(sizes, dtype=float)
    scale = sigma / np.sqrt(n)
    allowance, decision = k * scale, h * scale
    upper, lower = np.zeros(len(x)), np.zeros(len(x))
    up_run, low_run = np.zeros(len(x), dtype=np.int64), np.zeros(len(x), dtype=np.int64)
    c_up = c_low = 0.0
    n_up = n_low = 0
    for i, value in enumerate(x):
        c_up = max(0.0, value - (target + allowance[i]) + c_up)
        c_low = max(0.0, (target - allowance[i]) - value + c_low)
        n_up = n_up + 1 if c_up > 0 else 0
        n_low = n_low + 1 if c_low > 0 else 0
        upper[i], lower[i], up_run[i], low_run[i] = c_up, c_low, n_up, n_low
    signals = np.flatnonzero((upper > decision) | (lower > decision))
    return CusumChart(upper, lower, up_run, low_run, decision, allowance, float(target), float(sigma), k, h, signals)
