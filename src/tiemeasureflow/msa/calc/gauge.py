"""Type-1 gauge study (VDA 5 / Bosch booklet 10) and bias and linearity (AIAG MSA 4th ed.)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

# Cg and Cgk must reach this (VDA 5, Bosch booklet 10).
CG_LIMIT = 1.33
# The share of the tolerance a type-1 study judges against (20 %) and its half-width band (10 %).
TYPE1_SHARE = 0.2
TYPE1_MIN, TYPE1_MAX = 25, 50


class GaugeStudyError(ValueError):
    """The readings cannot make this study."""


def type1_study(readings: Sequence[float], reference: float, tolerance: float, alpha: float = 0.05) -> dict:
    """Cg, Cgk, bias and its t-test for repeated readings of one reference part."""
    x = np.asarray(readings, dtype=float)
    n = x.size
    if not TYPE1_MIN <= n <= TYPE1_MAX:
        raise GaugeStudyError(f"a type-1 study needs {TYPE1_MIN}-{TYPE1_MAX} readings")
    if not tolerance > 0:
        raise GaugeStudyError("the tolerance must be positive")
    mean, sd = float(x.mean()), float(x.std(ddof=1))
    bias = mean - reference
    if sd == 0:
        raise GaugeStudyError("the readings do not vary: the gauge's resolution is too coarse for this study")
    t = bias / (sd / math.sqrt(n))
    p = float(2 * stats.t.sf(abs(t), n - 1))
    cg = TYPE1_SHARE * tolerance / (6 * sd)
    cgk = (TYPE1_SHARE / 2 * tolerance - abs(bias)) / (3 * sd)
    half = TYPE1_SHARE / 2 * tolerance
    return {"n": n, "reference": reference, "tolerance": tolerance, "mean": mean, "sd": sd, "bias": bias,
            "t": t, "df": n - 1, "p": p, "bias_significant": p < alpha, "cg": cg, "cgk": cgk,
            "limit": CG_LIMIT, "capable": cg >= CG_LIMIT and cgk >= CG_LIMIT,
            "percent_var_repeatability": 100 * 6 * sd / tolerance,
            "percent_var_repeatability_bias": 100 * (6 * sd + abs(bias)) / tolerance if tolerance else None,
            "band": {"lower": reference - half, "upper": reference + half}, "readings": x.tolist(),
            "min": float(x.min()), "max": float(x.max())}


def linearity_study(readings: Sequence[tuple[float, float]], process_variation: float | None = None,
                    alpha: float = 0.05) -> dict:
    """Bias per reference and the regression of bias on reference, from (reference, reading) pairs."""
    ref = np.array([r for r, _ in readings], dtype=float)
    bias = np.array([v for _, v in readings], dtype=float) - ref
    levels = sorted(set(ref.tolist()))
    n = ref.size
    if len(levels) < 2 or n < 3:
        raise GaugeStudyError("a linearity study needs readings of at least two reference values")
    x_bar = float(ref.mean())
    sxx = float(((ref - x_bar) ** 2).sum())
    slope = float(((ref - x_bar) * (bias - bias.mean())).sum() / sxx)
    intercept = float(bias.mean() - slope * x_bar)
    residual = bias - (intercept + slope * ref)
    df = n - 2
    s = math.sqrt(float((residual ** 2).sum()) / df) if df > 0 else 0.0
    ss_total = float(((bias - bias.mean()) ** 2).sum())
    r2 = 1 - float((residual ** 2).sum()) / ss_total if ss_total > 0 else 1.0
    se_slope = s / math.sqrt(sxx)
    se_intercept = s * math.sqrt(1 / n + x_bar ** 2 / sxx)
    t_crit = float(stats.t.ppf(1 - alpha / 2, df)) if df > 0 else math.inf

    def test(coef: float, se: float) -> dict:
        t = coef / se if se > 0 else (math.inf if coef else 0.0)
        p = float(2 * stats.t.sf(abs(t), df)) if se > 0 else (0.0 if coef else 1.0)
        return {"coef": coef, "se": se, "t": t, "p": p, "significant": p < alpha}

    per_reference = []
    for level in levels:
        b = bias[ref == level]
        m = b.size
        sd = float(b.std(ddof=1)) if m > 1 else None
        t = float(b.mean() / (sd / math.sqrt(m))) if sd else None
        per_reference.append({"reference": level, "n": m, "bias": float(b.mean()), "sd": sd, "t": t,
                              "p": float(2 * stats.t.sf(abs(t), m - 1)) if t is not None else None})
    grid = np.linspace(levels[0], levels[-1], 21)
    half = t_crit * s * np.sqrt(1 / n + (grid - x_bar) ** 2 / sxx)
    fit = intercept + slope * grid
    average_bias = float(bias.mean())
    return {"n": n, "slope": test(slope, se_slope), "intercept": test(intercept, se_intercept), "s": s,
            "r_squared": r2, "df": df, "average_bias": average_bias, "percent_linearity": 100 * abs(slope),
            "linearity": abs(slope) * process_variation if process_variation else None,
            "percent_bias": 100 * abs(average_bias) / process_variation if process_variation else None,
            "process_variation": process_variation, "per_reference": per_reference,
            "linear": not test(slope, se_slope)["significant"],
            "band": {"reference": grid.tolist(), "fit": fit.tolist(), "lower": (fit - half).tolist(),
                     "upper": (fit + half).tolist()},
            "points": {"reference": ref.tolist(), "bias": bias.tolist()}}
