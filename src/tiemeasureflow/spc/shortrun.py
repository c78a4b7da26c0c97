"""Short-run charts: several characteristics (a family) made in small lots, watched on one chart.

Deviation from nominal (DNOM, Montgomery 9.2 "SPC for short production runs"): each value minus its
own characteristic's nominal, on an individuals and moving-range chart, which assumes the members
share one sigma. Z-MR (Minitab's Z-MR chart, sigma by part): each value minus its nominal, divided by
its own characteristic's sigma within (MR-bar/d2(2) of that characteristic's values), so members with
different spreads share the limits 0 +/- 3 and the MR chart d2(2) (UCL D4(2) d2(2)).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .charts import ChartLimits
from .constants import chart_constants
from .sigma import moving_ranges

SHORT_RUN_KINDS = ("dnom", "zmr")


@dataclass
class ShortRunChart:
    """The plotted series (deviations or z), its moving ranges (NaN first) and both charts' limits."""

    kind: str
    values: np.ndarray
    moving_ranges: np.ndarray
    primary: ChartLimits
    secondary: ChartLimits
    sigma: float | None
    sigmas: dict[int, float | None] = field(default_factory=dict)
    left_out: dict[int, str] = field(default_factory=dict)


def short_run_chart(kind: str, values: np.ndarray, nominals: np.ndarray, members: np.ndarray,
                    source: str = "exact") -> ShortRunChart:
    """DNOM or Z-MR for values in time order; `members[i]` says whose nominal and sigma value i takes."""
    x = np.asarray(values, dtype=float) - np.asarray(nominals, dtype=float)
    members = np.asarray(members)
    if kind == "dnom":
        return _individuals(kind, x, source)
    if kind != "zmr":
        raise ValueError(f"unknown short-run chart {kind!r}")
    constants = chart_constants(2, source)
    sigmas, left_out = {}, {}
    keep = np.ones(len(x), dtype=bool)
    z = np.full(len(x), np.nan)
    for member in dict.fromkeys(members.tolist()):
        own = members == member
        sigma = member_sigma(x[own], source)
        sigmas[member] = sigma
        if sigma is None:
            keep &= ~own
            left_out[member] = ("fewer than 2 values" if own.sum() < 2 else "zero spread") + ": no sigma of its own"
        else:
            z[own] = x[own] / sigma
    chart = _individuals(kind, z[keep], source)
    center = constants.d2
    chart.primary = ChartLimits(0.0, 3.0, -3.0)
    chart.secondary = ChartLimits(center, center + 3.0 * constants.d3, max(0.0, center - 3.0 * constants.d3))
    chart.sigma, chart.sigmas, chart.left_out = 1.0, sigmas, left_out
    return chart


def member_sigma(deviations: np.ndarray, source: str = "exact") -> float | None:
    """MR-bar/d2(2) of one member's own values in time order; None when it has no spread."""
    if len(deviations) < 2:
        return None
    sigma = float(np.mean(moving_ranges(deviations))) / chart_constants(2, source).d2
    return sigma if sigma > 0 else None


def _individuals(kind: str, x: np.ndarray, source: str) -> ShortRunChart:
    constants = chart_constants(2, source)
    mr = np.concatenate([[np.nan], moving_ranges(x)]) if len(x) else np.empty(0)
    if len(x) < 2:
        none = ChartLimits(None, None, None)
        return ShortRunChart(kind, x, mr, ChartLimits(float(x[0]) if len(x) else None, None, None), none, None)
    mr_bar = float(np.nanmean(mr))
    sigma = mr_bar / constants.d2
    center = float(np.mean(x))
    primary = ChartLimits(center, center + 3.0 * sigma, center - 3.0 * sigma)
    spread = 3.0 * constants.d3 / constants.d2
    secondary = ChartLimits(mr_bar, mr_bar * (1.0 + spread), max(0.0, mr_bar * (1.0 - spread)))
    return ShortRunChart(kind, x, mr, primary, secondary, sigma)
