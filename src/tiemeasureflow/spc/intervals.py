"""Confidence intervals of every capability index, two-sided with the one-sided lower bound beside.

Cp and Pp: chi-square (Chou, Owen & Borrego 1990), df = n - 1. Cpm and the Ppm index: chi-square
with Boyles' (1991) degrees of freedom n (1 + d^2) / (1 + 2 d^2), d = (mean - target) / sigma.
Cpu, Cpl, Cpk and their P counterparts: Bissell's (1990) normal approximation. These are the
formulas of R's qcc 3.0 (`processCapability`), with z(1 - alpha/2) for every two-sided interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import special, stats

from .capability import Capability

CHI_SQUARE = "Chou et al. (1990): index * sqrt(chi2(p; n - 1) / (n - 1))"
BOYLES = "Boyles (1991): index * sqrt(chi2(p; v) / v), v = n(1 + d^2) / (1 + 2 d^2), d = (mean - target) / sigma"
BISSELL = "Bissell (1990): index * (1 +/- z(p) * sqrt(1 / (9 n index^2) + 1 / (2(n - 1))))"
# Below this many values an index and its interval are too uncertain to rest a decision on
# (AIAG SPC manual and Montgomery 8.3 both ask for well over 30; Bissell's approximation needs it).
MIN_N = 30
# The percentile method estimates the 0.135% and 99.865% points: ISO 22514-2 and Minitab ask for 100 or more.
MIN_N_PERCENTILE = 100
BISSELL_INDICES = ("cpu", "cpl", "cpk", "ppu", "ppl", "ppk")


@dataclass(frozen=True)
class IndexInterval:
    """A two-sided interval at `confidence` and the one-sided lower bound at the same confidence."""

    lower: float
    upper: float
    confidence: float
    method: str
    lower_one_sided: float


def chi_square(index: float | None, df: float, confidence: float, method: str = CHI_SQUARE) -> IndexInterval | None:
    """Interval of a Cp-type index whose square is a scaled chi-square with df degrees of freedom."""
    if index is None or not df > 0:
        return None
    alpha = 1.0 - confidence

    def scaled(p: float) -> float:
        return index * math.sqrt(float(stats.chi2.ppf(p, df)) / df)

    return _finite(IndexInterval(scaled(alpha / 2.0), scaled(1.0 - alpha / 2.0), confidence, method, scaled(alpha)))


def bissell(index: float | None, n: int, confidence: float) -> IndexInterval | None:
    """Bissell's approximation for a Cpk-type index estimated from n values."""
    if index is None or n < 2 or index == 0:
        return None
    spread = math.sqrt(1.0 / (9.0 * n * index * index) + 1.0 / (2.0 * (n - 1)))
    two = float(special.ndtri(0.5 + confidence / 2.0))
    one = float(special.ndtri(confidence))
    return _finite(IndexInterval(index * (1 - two * spread), index * (1 + two * spread), confidence, BISSELL,
                                 index * (1 - one * spread)))


def boyles_df(n: int, mean: float, target: float, sigma: float) -> float:
    """Boyles' effective degrees of freedom of Cpm-type indices."""
    d2 = ((mean - target) / sigma) ** 2
    return n * (1.0 + d2) / (1.0 + 2.0 * d2)


def ppm_index(cap: Capability) -> float | None:
    """The Ppm index (Taguchi's index on sigma overall): Pp / sqrt(1 + ((mean - target) / s)^2)."""
    if cap.pp is None or cap.target is None or cap.mean is None or not cap.stdev:
        return None
    return cap.pp / math.hypot(1.0, (cap.mean - cap.target) / cap.stdev)


def intervals(cap: Capability, confidence: float = 0.95) -> dict[str, IndexInterval | None]:
    """`<index>_ci` for Cp, Cpu, Cpl, Cpk, Cpm, Pp, Ppu, Ppl, Ppk and the Ppm index."""
    n = cap.n
    out: dict[str, IndexInterval | None] = {f"{name}_ci": bissell(getattr(cap, name), n, confidence)
                                           for name in BISSELL_INDICES}
    out["cp_ci"] = chi_square(cap.cp, n - 1, confidence)
    out["pp_ci"] = chi_square(cap.pp, n - 1, confidence)
    out["cpm_ci"] = out["ppm_index_ci"] = None
    sigma = cap.within.value
    if cap.cpm is not None and sigma and cap.mean is not None and cap.target is not None:
        out["cpm_ci"] = chi_square(cap.cpm, boyles_df(n, cap.mean, cap.target, sigma), confidence, BOYLES)
    ppm = ppm_index(cap)
    if ppm is not None and cap.mean is not None and cap.target is not None and cap.stdev:
        out["ppm_index_ci"] = chi_square(ppm, boyles_df(n, cap.mean, cap.target, cap.stdev), confidence, BOYLES)
    return out


def small_sample_warning(n: int, minimum: int = MIN_N) -> str | None:
    """A warning when the indices rest on fewer than `minimum` values."""
    if n >= minimum:
        return None
    return (f"only {n} values (fewer than {minimum}): the indices are uncertain, read them with their "
            "confidence intervals")


def _finite(ci: IndexInterval) -> IndexInterval | None:
    numbers = (ci.lower, ci.upper, ci.lower_one_sided)
    return ci if all(math.isfinite(v) for v in numbers) else None
