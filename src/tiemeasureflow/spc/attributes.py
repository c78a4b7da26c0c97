"""Attribute charts p, np, c and u with variable sample sizes (Montgomery ch. 7).

p: fraction nonconforming d_i / n_i, p-bar = sum d / sum n, limits p-bar +/- 3 sqrt(p-bar (1 - p-bar) / n_i).
np: d_i, centre n_i p-bar, limits n_i p-bar +/- 3 sqrt(n_i p-bar (1 - p-bar)).
c: nonconformities c_i, c-bar = mean c, limits c-bar +/- 3 sqrt(c-bar).
u: nonconformities per unit c_i / n_i, u-bar = sum c / sum n, limits u-bar +/- 3 sqrt(u-bar / n_i).
Every point has its own limits (equal when the sizes are); a lower limit below 0 is 0 and an
upper limit of a fraction above 1 is 1. A point signals strictly beyond a limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ATTRIBUTE_CHARTS = ("p", "np", "c", "u")


@dataclass(frozen=True)
class AttributeChart:
    """Plotted values, each point's centre and limits, the overall centre line, the points beyond a limit."""

    kind: str
    values: np.ndarray
    center: np.ndarray
    ucl: np.ndarray
    lcl: np.ndarray
    center_line: float | None
    signals: np.ndarray


def attribute_chart(kind: str, counts: np.ndarray, sizes: np.ndarray, L: float = 3.0) -> AttributeChart:
    """The chart of `kind` from the counts (nonconforming units or nonconformities) of subgroups of `sizes`."""
    if kind not in ATTRIBUTE_CHARTS:
        raise ValueError(f"unknown attribute chart {kind!r}")
    d = np.asarray(counts, dtype=float)
    n = np.asarray(sizes, dtype=float)
    if len(d) == 0 or n.sum() == 0:
        empty = np.empty(0)
        return AttributeChart(kind, empty, empty, empty, empty, None, np.empty(0, dtype=np.int64))
    if kind in ("p", "np"):
        p_bar = d.sum() / n.sum()
        if kind == "p":
            values, center = d / n, np.full(len(d), p_bar)
            spread = L * np.sqrt(p_bar * (1.0 - p_bar) / n)
            ucl = np.minimum(center + spread, 1.0)
        else:
            values, center = d, n * p_bar
            spread = L * np.sqrt(n * p_bar * (1.0 - p_bar))
            ucl = np.minimum(center + spread, n)
        line = float(p_bar) if kind == "p" else float(center[0]) if np.all(n == n[0]) else None
    elif kind == "c":
        c_bar = d.mean()
        values, center = d, np.full(len(d), c_bar)
        ucl = center + L * np.sqrt(c_bar)
        line = float(c_bar)
    else:
        u_bar = d.sum() / n.sum()
        values, center = d / n, np.full(len(d), u_bar)
        ucl = center + L * np.sqrt(u_bar / n)
        line = float(u_bar)
    if kind in ("p", "np"):
        lcl = np.maximum(center - spread, 0.0)
    else:
        lcl = np.maximum(center - (ucl - center), 0.0)
    signals = np.flatnonzero((values > ucl) | (values < lcl))
    return AttributeChart(kind, values, center, ucl, lcl, line, signals)
