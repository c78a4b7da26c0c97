"""Histogram of the values with the fitted normal curve scaled to the counts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_BINS = 5
MAX_BINS = 100
CURVE_POINTS = 101
# Above this magnitude sums and differences of values can overflow a double.
HUGE = 2.0**1000


@dataclass(frozen=True)
class Histogram:
    """Bin edges (n_bins + 1), counts, and the normal curve in counts per bin.

    `curve_at_centers[i]` is the expected count of bin i; `curve_x`/`curve_y` draw the same
    curve smoothly over a range that also shows the specification limits.
    """

    n: int
    n_bins: int
    edges: np.ndarray
    counts: np.ndarray
    mean: float | None
    stdev: float | None
    curve_at_centers: np.ndarray | None
    curve_x: np.ndarray | None
    curve_y: np.ndarray | None
    reason: str | None = None

    @property
    def centers(self) -> np.ndarray:
        """The middle of each bin."""
        # Halved before adding: edges near the double range would overflow their sum.
        return self.edges[:-1] / 2.0 + self.edges[1:] / 2.0

    @property
    def bin_width(self) -> float | None:
        """Width of every bin."""
        return float(self.edges[1] - self.edges[0]) if len(self.edges) > 1 else None


def histogram(values: np.ndarray, n_bins: int = 20, lsl: float | None = None, usl: float | None = None) -> Histogram:
    """Equal-width bins over the data range; the curve is n * width * pdf(x; mean, s)."""
    if not MIN_BINS <= n_bins <= MAX_BINS:
        raise ValueError(f"n_bins must be {MIN_BINS}..{MAX_BINS}")
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n == 0:
        return Histogram(0, n_bins, np.empty(0), np.zeros(0, dtype=int), None, None, None, None, None,
                         "no values selected")
    # Values near the double range (1e308) overflow differences and sums: such data is binned in a
    # space scaled by a power of two (exact), and mapped back.
    big = float(np.max(np.abs(x)))
    exponent = int(np.frexp(big)[1]) if big > HUGE else 0
    x = np.ldexp(x, -exponent)
    low, high = float(x.min()), float(x.max())
    if low == high:
        # One value repeated: centre it in the middle bin of a unit-free, visible width.
        half = max(abs(low) * 1e-3, 1e-9) * n_bins / 2.0
        low, high = low - half, high + half
    counts, edges = np.histogram(x, bins=n_bins, range=(low, high))
    mean = float(x.mean())
    stdev = float(x.std(ddof=1)) if n >= 2 else None
    back = _scaled_back(exponent, edges, mean, stdev)
    if back is None:
        with np.errstate(over="ignore"):
            edges = np.clip(np.ldexp(edges, exponent), -np.finfo(float).max, np.finfo(float).max)
        return Histogram(n, n_bins, edges, counts, None, None, None, None, None,
                         "values beyond the double range in between: no mean, spread or normal curve")
    edges_out, mean_out, stdev_out = back
    if not stdev:
        reason = "fewer than 2 values: no normal curve" if n < 2 else "zero spread: no normal curve"
        return Histogram(n, n_bins, edges_out, counts, mean_out, stdev_out, None, None, None, reason)
    width = float(edges[1] - edges[0])
    centers = (edges[:-1] + edges[1:]) / 2.0
    scale = n * width
    limits = [float(np.ldexp(v, -exponent)) for v in (lsl, usl) if v is not None]
    span = [low, high, mean - 4 * stdev, mean + 4 * stdev] + limits
    curve_x = np.linspace(min(span), max(span), CURVE_POINTS)
    with np.errstate(over="ignore"):
        curve_x_out = np.ldexp(curve_x, exponent)
    if not np.all(np.isfinite(curve_x_out)):
        return Histogram(n, n_bins, edges_out, counts, mean_out, stdev_out, None, None, None,
                         "the normal curve would reach beyond the double range")
    return Histogram(n, n_bins, edges_out, counts, mean_out, stdev_out, scale * _pdf(centers, mean, stdev),
                     curve_x_out, scale * _pdf(curve_x, mean, stdev))


def _scaled_back(exponent: int, edges: np.ndarray, mean: float,
                 stdev: float | None) -> tuple[np.ndarray, float, float | None] | None:
    """Edges, mean and spread in the values' own scale, or None when one of them is not a finite double."""
    with np.errstate(over="ignore"):
        edges_out = np.ldexp(edges, exponent)
        mean_out = float(np.ldexp(mean, exponent))
        stdev_out = None if stdev is None else float(np.ldexp(stdev, exponent))
    finite = np.all(np.isfinite(edges_out)) and np.isfinite(mean_out)
    if not finite or (stdev_out is not None and not np.isfinite(stdev_out)):
        return None
    return edges_out, mean_out, stdev_out


def _pdf(x: np.ndarray, mean: float, sd: float) -> np.ndarray:
    z = (x - mean) / sd
    density: np.ndarray = np.exp(-0.5 * z * z) / (sd * np.sqrt(2.0 * np.pi))
    return density
