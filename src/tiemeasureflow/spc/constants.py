"""Control chart constants: d2, d3 from the range distribution, c4 from the gamma function.

Every other constant follows from these three (A2, D3, D4, A3, B3, B4), so limits are not
moved by the rounding of printed tables. The ASTM E2587 table values are kept as well, for
reproducing a hand calculation or a spreadsheet that uses them (`source="table"`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import integrate, special

MIN_SUBGROUP = 2
MAX_SUBGROUP = 25
MAX_TABLE_SUBGROUP = 10  # the ASTM E2587 values kept below
SOURCES = ("exact", "table")

# Integration grid for the inner integral over the standard normal line. The integrands are
# smooth and decay like exp(-x^2/2), where the trapezoid rule converges geometrically; the
# tails beyond |x| = 12 are below 1e-30.
_X = np.linspace(-12.0, 12.0, 2401)
_PDF = np.exp(-0.5 * _X * _X) / math.sqrt(2.0 * math.pi)
_CDF = special.ndtr(_X)

# ASTM E2587 table values (n: d2, d3, c4, A2, D3, D4, A3, B3, B4).
_TABLE = {
    2: (1.128, 0.853, 0.7979, 1.880, 0.0, 3.267, 2.659, 0.0, 3.267),
    3: (1.693, 0.888, 0.8862, 1.023, 0.0, 2.574, 1.954, 0.0, 2.568),
    4: (2.059, 0.880, 0.9213, 0.729, 0.0, 2.282, 1.628, 0.0, 2.266),
    5: (2.326, 0.864, 0.9400, 0.577, 0.0, 2.114, 1.427, 0.0, 2.089),
    6: (2.534, 0.848, 0.9515, 0.483, 0.0, 2.004, 1.287, 0.030, 1.970),
    7: (2.704, 0.833, 0.9594, 0.419, 0.076, 1.924, 1.182, 0.118, 1.882),
    8: (2.847, 0.820, 0.9650, 0.373, 0.136, 1.864, 1.099, 0.185, 1.815),
    9: (2.970, 0.808, 0.9693, 0.337, 0.184, 1.816, 1.032, 0.239, 1.761),
    10: (3.078, 0.797, 0.9727, 0.308, 0.223, 1.777, 0.975, 0.284, 1.716),
}


@dataclass(frozen=True)
class ChartConstants:
    """The constants of one subgroup size, and where they came from."""

    n: int
    d2: float
    d3: float
    c4: float
    A2: float
    D3: float
    D4: float
    A3: float
    B3: float
    B4: float
    source: str


def range_cdf(r: float, n: int) -> float:
    """P(R <= r) for the range R of n standard normal values: n * int phi(x) (Phi(x+r) - Phi(x))^(n-1) dx."""
    inner = _PDF * (special.ndtr(_X + r) - _CDF) ** (n - 1)
    return float(n * np.trapezoid(inner, _X))


@cache
def _range_moments(n: int) -> tuple[float, float]:
    """Mean and standard deviation of the range of n standard normal values."""
    _check_n(n)

    def survival(r: float) -> float:
        return 1.0 - range_cdf(r, n)

    # E[R] = int_0^inf P(R > r) dr;  E[R^2] = int_0^inf 2 r P(R > r) dr.
    first = integrate.quad(survival, 0.0, np.inf, epsabs=1e-13, epsrel=1e-13, limit=200)[0]
    second = integrate.quad(lambda r: 2.0 * r * survival(r), 0.0, np.inf, epsabs=1e-13, epsrel=1e-13, limit=200)[0]
    return first, math.sqrt(second - first * first)


def d2(n: int) -> float:
    """Mean of the relative range R/sigma of n normal values (d2(2) = 2/sqrt(pi))."""
    if n == 2:
        return 2.0 / math.sqrt(math.pi)
    return _range_moments(n)[0]


def d3(n: int) -> float:
    """Standard deviation of the relative range R/sigma of n normal values."""
    return _range_moments(n)[1]


def c4(n: int) -> float:
    """Mean of s/sigma for n normal values: sqrt(2/(n-1)) * Gamma(n/2) / Gamma((n-1)/2)."""
    _check_n(n)
    return math.sqrt(2.0 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


@cache
def chart_constants(n: int, source: str = "exact") -> ChartConstants:
    """The constants for subgroup size n: computed exactly, or the ASTM E2587 table values."""
    _check_n(n)
    if source == "table":
        if n not in _TABLE:
            raise ValueError(f"no table constants for subgroup size {n}")
        return ChartConstants(n, *_TABLE[n], source="table")
    if source != "exact":
        raise ValueError(f"unknown constants source {source!r}")
    d2n, d3n, c4n = d2(n), d3(n), c4(n)
    root_n = math.sqrt(n)
    range_spread = 3.0 * d3n / d2n
    sd_spread = 3.0 * math.sqrt(1.0 - c4n * c4n) / c4n
    return ChartConstants(
        n=n, d2=d2n, d3=d3n, c4=c4n,
        A2=3.0 / (d2n * root_n), D3=max(0.0, 1.0 - range_spread), D4=1.0 + range_spread,
        A3=3.0 / (c4n * root_n), B3=max(0.0, 1.0 - sd_spread), B4=1.0 + sd_spread,
        source="exact",
    )


def _check_n(n: int) -> None:
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"subgroup size must be an integer >= 2, got {n!r}")
