"""Subgroups of unequal size: sigma within, X-bar/R and X-bar/S with limits of their own per subgroup.

Estimators of sigma within from subgroups of sizes n_i (each reduces to the usual one when the
sizes are equal):
- r_bar: qcc's UWAVE-R, sum(f_i R_i / d2(n_i)) / sum(f_i) with f_i = d2(n_i)^2 / d3(n_i)^2;
- s_bar: Montgomery (6.3.2), s-bar = sqrt(sum((n_i - 1) s_i^2) / sum(n_i - 1)) with the limits of
  subgroup i from A3(n_i), B3(n_i), B4(n_i) (with equal sizes s-bar is the mean of the s_i and
  sigma = s-bar/c4(n), as for consecutive subgroups); sigma within is s-bar/c4 of the mean size;
- pooled: Minitab's pooled standard deviation, s_p / c4(d + 1) with d = sum(n_i - 1).
A subgroup of one value has no spread: it is charted but adds nothing to the estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .constants import MAX_SUBGROUP, c4, chart_constants, d2, d3

UNEQUAL_ESTIMATORS = ("r_bar", "s_bar", "pooled")
UNEQUAL_NAMES = {"r_bar": "UWAVE-R: weighted R_i/d2(n_i)", "s_bar": "S-bar/c4(n), s-bar pooled over n_i - 1",
                 "pooled": "pooled standard deviation s_p/c4(d+1)"}


@dataclass(frozen=True)
class UnequalChart:
    """X-bar and R (or S) of subgroups of sizes n_i, each point with its own centre and limits."""

    kind: str
    sizes: np.ndarray
    means: np.ndarray
    spreads: np.ndarray
    center: float
    ucl: np.ndarray
    lcl: np.ndarray
    secondary_center: np.ndarray
    secondary_ucl: np.ndarray
    secondary_lcl: np.ndarray
    sigma: float | None
    sigma_of_mean: np.ndarray
    estimator: str

    @property
    def standardized(self) -> np.ndarray:
        """(mean_i - centre) / (sigma / sqrt(n_i)): the points on one scale, for the run rules."""
        with np.errstate(divide="ignore", invalid="ignore"):
            standardized: np.ndarray = (self.means - self.center) / self.sigma_of_mean
        return standardized


def split(values: np.ndarray, keys: list[object]) -> list[np.ndarray]:
    """Values (in time order) grouped by key, groups in the order of their first value."""
    order: dict[object, list[int]] = {}
    for i, key in enumerate(keys):
        order.setdefault(key, []).append(i)
    x = np.asarray(values, dtype=float)
    return [x[indices] for indices in order.values()]


def pooled_sd(groups: list[np.ndarray]) -> tuple[float | None, int]:
    """sqrt(sum((n_i - 1) s_i^2) / sum(n_i - 1)) and the degrees of freedom d = sum(n_i - 1)."""
    dof = sum(len(g) - 1 for g in groups)
    if dof <= 0:
        return None, 0
    squares = sum(float(np.sum((g - g.mean()) ** 2)) for g in groups)
    return math.sqrt(squares / dof), dof


def sigma_unequal(groups: list[np.ndarray], estimator: str = "r_bar") -> float | None:
    """Sigma within of subgroups of any sizes (see the module docstring); None without spread to measure."""
    if estimator not in UNEQUAL_ESTIMATORS:
        raise ValueError(f"unknown estimator {estimator!r}")
    spread = [g for g in groups if len(g) >= 2]
    if not spread:
        return None
    if estimator == "pooled":
        sp, dof = pooled_sd(spread)
        assert sp is not None  # every group has two values or more
        return sp / c4(dof + 1)
    if estimator == "s_bar":
        s_bar, n_bar = _s_bar(spread)
        return s_bar / c4(n_bar)
    weights = np.array([d2(len(g)) ** 2 / d3(len(g)) ** 2 for g in spread])
    ratios = np.array([np.ptp(g) / d2(len(g)) for g in spread])
    return float(np.sum(weights * ratios) / np.sum(weights))


def unequal_chart(groups: list[np.ndarray], kind: str = "xbar_s", estimator: str | None = None) -> UnequalChart:
    """X-bar/R or X-bar/S of the groups (sizes 1..25), grand mean weighted by n_i."""
    if kind not in ("xbar_r", "xbar_s"):
        raise ValueError(f"unknown chart {kind!r}")
    estimator = estimator or ("r_bar" if kind == "xbar_r" else "s_bar")
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    if len(sizes) and (sizes.min() < 1 or sizes.max() > MAX_SUBGROUP):
        raise ValueError(f"subgroup sizes must be 1..{MAX_SUBGROUP}")
    means = np.array([g.mean() for g in groups]) if groups else np.empty(0)
    spreads = np.array([np.ptp(g) if kind == "xbar_r" else (np.std(g, ddof=1) if len(g) > 1 else np.nan)
                        for g in groups]) if groups else np.empty(0)
    center = float(np.sum(sizes * means) / np.sum(sizes)) if len(sizes) else math.nan
    sigma = sigma_unequal(groups, estimator) if groups else None
    nan = np.full(len(sizes), np.nan)
    if sigma is None:
        return UnequalChart(kind, sizes, means, spreads, center, nan, nan, nan, nan, nan, None, nan, estimator)
    root = np.sqrt(sizes.astype(float))
    if estimator == "s_bar" and kind == "xbar_s":
        # Montgomery: limits from s-bar with the constants of each subgroup's own size.
        s_bar, _ = _s_bar([g for g in groups if len(g) >= 2])
        per_point = np.array([s_bar / c4(int(n)) if n >= 2 else sigma for n in sizes])
    else:
        per_point = np.full(len(sizes), sigma)
    sigma_of_mean = per_point / root
    centers, highs, lows = _secondary(kind, sizes, per_point)
    return UnequalChart(kind, sizes, means, spreads, center, center + 3 * sigma_of_mean, center - 3 * sigma_of_mean,
                        centers, highs, lows, sigma, sigma_of_mean, estimator)


def _s_bar(groups: list[np.ndarray]) -> tuple[float, int]:
    """Montgomery's s-bar and the size whose c4 turns it into sigma (the mean of s_i for equal sizes)."""
    sizes = {len(g) for g in groups}
    if len(sizes) == 1:
        return float(np.mean([np.std(g, ddof=1) for g in groups])), sizes.pop()
    sp, _ = pooled_sd(groups)
    assert sp is not None  # every group has two values or more
    return sp, int(round(np.mean([len(g) for g in groups])))


def _secondary(kind: str, sizes: np.ndarray, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre and limits of R (d2 sigma +/- 3 d3 sigma) or S (c4 sigma +/- 3 sqrt(1 - c4^2) sigma) per subgroup."""
    centers, highs, lows = [], [], []
    for n, s in zip(sizes, sigma, strict=False):
        if n < 2:
            centers.append(np.nan)
            highs.append(np.nan)
            lows.append(np.nan)
            continue
        k = chart_constants(int(n))
        if kind == "xbar_r":
            centers.append(k.d2 * s)
            highs.append(k.D4 * k.d2 * s)
            lows.append(k.D3 * k.d2 * s)
        else:
            centers.append(k.c4 * s)
            highs.append(k.B4 * k.c4 * s)
            lows.append(k.B3 * k.c4 * s)
    return np.array(centers), np.array(highs), np.array(lows)
