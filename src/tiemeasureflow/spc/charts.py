"""Control chart pairs: I-MR, X-bar/R and X-bar/S, with centre lines and 3-sigma limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .constants import MAX_SUBGROUP, MAX_TABLE_SUBGROUP, MIN_SUBGROUP, chart_constants
from .sigma import SigmaWithin, complete_subgroups, moving_ranges, sigma_within

CHART_KINDS = ("imr", "xbar_r", "xbar_s")
SECONDARY_NAMES = {"imr": "mr", "xbar_r": "r", "xbar_s": "s"}


@dataclass(frozen=True)
class ChartLimits:
    """Centre line and control limits of one chart; None (with the pair's note) when undefined."""

    center: float | None
    ucl: float | None
    lcl: float | None

    @property
    def sigma(self) -> float | None:
        """One sigma of the plotted statistic: (UCL - CL) / 3."""
        if self.center is None or self.ucl is None:
            return None
        return (self.ucl - self.center) / 3.0


@dataclass(frozen=True)
class ControlChart:
    """A primary chart (individuals or subgroup means) and its dispersion chart (MR, R or S).

    `secondary_values[i]` belongs to primary point i; for I-MR the first is NaN (no moving range).
    """

    kind: str
    subgroup_size: int
    primary_values: np.ndarray
    primary: ChartLimits
    secondary_name: str
    secondary_values: np.ndarray
    secondary: ChartLimits
    within: SigmaWithin
    values_used: int
    values_left_out: int
    note: str | None = None


def control_chart(values: np.ndarray, kind: str = "imr", subgroup_size: int | None = None,
                  source: str = "exact") -> ControlChart:
    """Build the chart pair for values in time order."""
    x = np.asarray(values, dtype=float)
    if kind == "imr":
        return _individuals(x, source)
    if kind not in CHART_KINDS:
        raise ValueError(f"unknown chart {kind!r}")
    if subgroup_size is None or not MIN_SUBGROUP <= subgroup_size <= MAX_SUBGROUP:
        raise ValueError(f"subgroup size must be {MIN_SUBGROUP}..{MAX_SUBGROUP}")
    if kind == "xbar_r" and subgroup_size > MAX_TABLE_SUBGROUP:
        raise ValueError(f"X-bar/R takes subgroups up to {MAX_TABLE_SUBGROUP}: X-bar/S is the chart for larger ones")
    return _subgroups(x, kind, subgroup_size, source)


def _individuals(x: np.ndarray, source: str) -> ControlChart:
    within = sigma_within(x, 1, source=source)
    mr = np.concatenate(([np.nan], moving_ranges(x))) if len(x) else np.empty(0)
    empty = ChartLimits(None, None, None)
    common: dict[str, Any] = dict(kind="imr", subgroup_size=1, primary_values=x, secondary_name="mr",
                                  secondary_values=mr, within=within, values_used=len(x), values_left_out=0)
    if len(x) == 0:
        return ControlChart(primary=empty, secondary=empty, note="no values selected", **common)
    center = float(np.mean(x))
    if within.value is None:
        return ControlChart(primary=ChartLimits(center, None, None), secondary=empty, note=within.reason, **common)
    constants = chart_constants(2, source)
    mr_bar = float(np.nanmean(mr))
    spread = 3.0 * mr_bar / constants.d2
    primary = ChartLimits(center, center + spread, center - spread)
    secondary = ChartLimits(mr_bar, constants.D4 * mr_bar, constants.D3 * mr_bar)
    return ControlChart(primary=primary, secondary=secondary, **common)


def _subgroups(x: np.ndarray, kind: str, size: int, source: str) -> ControlChart:
    estimator = "r_bar" if kind == "xbar_r" else "s_bar"
    within = sigma_within(x, size, estimator, source)
    groups = complete_subgroups(x, size)
    means = groups.mean(axis=1)
    spreads = np.ptp(groups, axis=1) if kind == "xbar_r" else groups.std(axis=1, ddof=1)
    common: dict[str, Any] = dict(kind=kind, subgroup_size=size, primary_values=means,
                                  secondary_name=SECONDARY_NAMES[kind], secondary_values=spreads, within=within,
                                  values_used=within.values_used, values_left_out=within.values_left_out)
    if len(groups) == 0:
        empty = ChartLimits(None, None, None)
        return ControlChart(primary=empty, secondary=empty, note=within.reason, **common)
    constants = chart_constants(size, source)
    grand_mean = float(means.mean())
    spread_bar = float(spreads.mean())
    if kind == "xbar_r":
        width, low, high = constants.A2, constants.D3, constants.D4
    else:
        width, low, high = constants.A3, constants.B3, constants.B4
    primary = ChartLimits(grand_mean, grand_mean + width * spread_bar, grand_mean - width * spread_bar)
    secondary = ChartLimits(spread_bar, high * spread_bar, low * spread_bar)
    note = None
    if within.values_left_out:
        note = f"the last {within.values_left_out} value(s) do not fill a subgroup of {size} and are left out"
    return ControlChart(primary=primary, secondary=secondary, note=note, **common)
