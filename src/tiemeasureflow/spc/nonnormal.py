"""Non-normal capability, ISO 22514-2:2017 percentile method, on a distribution fitted by maximum likelihood.

Pp = (USL - LSL) / (X99.865 - X0.135), Ppu = (USL - X50) / (X99.865 - X50),
Ppl = (X50 - LSL) / (X50 - X0.135), Ppk = the smaller of the defined sides, with the
percentiles X_p of the fitted distribution. Fits are scipy's own maximum-likelihood `fit`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import special, stats

from .normality import ALPHA, anderson_darling

P_LOW, P_MEDIAN, P_HIGH = float(special.ndtr(-3.0)), 0.5, float(special.ndtr(3.0))
DISTRIBUTIONS = ("normal", "lognormal", "weibull", "weibull3", "gamma", "folded_normal", "rayleigh", "boxcox",
                 "johnson")
NAMES = {"normal": "normal", "lognormal": "lognormal", "weibull": "Weibull (2-parameter)",
         "weibull3": "Weibull (3-parameter)", "gamma": "gamma", "folded_normal": "folded normal",
         "rayleigh": "Rayleigh", "boxcox": "Box-Cox transformation", "johnson": "Johnson transformation"}
# Auto choice: the distributions, not the transformations (a 4-parameter Johnson curve fits almost
# anything, and its bounded SB family can promise no values beyond the data).
AUTO_CANDIDATES = ("lognormal", "weibull", "weibull3", "gamma", "folded_normal", "rayleigh", "boxcox")
POSITIVE = {"lognormal", "weibull", "gamma", "rayleigh", "boxcox"}
NON_NEGATIVE = {"folded_normal"}
METHOD = "ISO 22514-2 percentile method: X0.135, X50, X99.865 of the fitted distribution"


class BoxCox:
    """Values whose Box-Cox transform (lambda by maximum likelihood) is normal(mean, sd)."""

    def __init__(self, lmbda: float, mean: float, sd: float):
        self.lmbda, self.mean, self.sd = lmbda, mean, sd

    def _z(self, x: Any) -> Any:
        return (special.boxcox(np.asarray(x, dtype=float), self.lmbda) - self.mean) / self.sd

    def ppf(self, p: Any) -> Any:
        return special.inv_boxcox(self.mean + self.sd * special.ndtri(p), self.lmbda)

    def logcdf(self, x: Any) -> Any:
        return special.log_ndtr(self._z(x))

    def logsf(self, x: Any) -> Any:
        return special.log_ndtr(-self._z(x))

    def cdf(self, x: Any) -> Any:
        return special.ndtr(self._z(x))

    def pdf(self, x: Any) -> Any:
        x = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            density = stats.norm.pdf(self._z(x)) / self.sd * np.power(x, self.lmbda - 1.0)
        return np.where(x > 0, density, 0.0)


class FoldedNormal:
    """|Y| for Y normal(mu, sigma): scipy's foldnorm, with its distribution function in closed form."""

    def __init__(self, c: float, scale: float):
        self.frozen = stats.foldnorm(c, 0, scale)
        self.mu, self.sigma = c * scale, scale

    def ppf(self, p: Any) -> Any:
        return self.frozen.ppf(p)

    def pdf(self, x: Any) -> Any:
        return self.frozen.pdf(x)

    def cdf(self, x: Any) -> Any:
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return special.ndtr((x - self.mu) / self.sigma) - special.ndtr((-x - self.mu) / self.sigma)

    def sf(self, x: Any) -> Any:
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return special.ndtr((self.mu - x) / self.sigma) + special.ndtr((-x - self.mu) / self.sigma)

    def logcdf(self, x: Any) -> Any:
        return np.log(self.cdf(x))

    def logsf(self, x: Any) -> Any:
        return np.log(self.sf(x))


@dataclass
class Fit:
    """A fitted distribution, its parameters and its Anderson-Darling statistic; `reason` when it could not be."""

    distribution: str
    parameters: dict[str, float | str] = field(default_factory=dict)
    anderson_darling: float | None = None
    model: object | None = None
    reason: str | None = None

    @property
    def name(self) -> str:
        """A readable name, e.g. `Weibull (3-parameter)`."""
        return NAMES[self.distribution]


@dataclass
class PercentileIndices:
    """Indices from the fitted percentiles; None with a reason in `null_reasons` where undefined."""

    x_low: float | None = None
    x_median: float | None = None
    x_high: float | None = None
    pp: float | None = None
    ppu: float | None = None
    ppl: float | None = None
    ppk: float | None = None
    below: float | None = None
    above: float | None = None
    null_reasons: dict[str, str] = field(default_factory=dict)


def fit(distribution: str, values: np.ndarray) -> Fit:
    """Fit one distribution to the values by maximum likelihood."""
    x = np.asarray(values, dtype=float)
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"unknown distribution {distribution!r}")
    reason = _unfit_reason(distribution, x)
    if reason:
        return Fit(distribution, reason=reason)
    try:
        with np.errstate(all="ignore"):
            model, parameters = _FITTERS[distribution](x)
    except (ValueError, RuntimeError, FloatingPointError) as error:
        return Fit(distribution, reason=f"the fit did not converge: {error}")
    if not all(math.isfinite(v) for v in parameters.values() if not isinstance(v, str)):
        return Fit(distribution, reason="the fit did not converge")
    return Fit(distribution, parameters, anderson_darling_statistic(model, x), model)


def anderson_darling_statistic(model: Any, values: np.ndarray) -> float | None:
    """A2 = -n - (1/n) sum (2i - 1)(ln F(x_(i)) + ln(1 - F(x_(n+1-i)))) against the fitted model."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    with np.errstate(all="ignore"):
        log_f = np.asarray(model.logcdf(x), dtype=float)
        log_s = np.asarray(model.logsf(x), dtype=float)[::-1]
    i = np.arange(1, n + 1)
    a2 = -n - float(np.sum((2 * i - 1) * (log_f + log_s))) / n
    return a2 if math.isfinite(a2) else None


def fit_all(values: np.ndarray) -> list[Fit]:
    """Every distribution fitted to the values, in the order of DISTRIBUTIONS."""
    return [fit(name, values) for name in DISTRIBUTIONS]


def choose(values: np.ndarray, fits: list[Fit]) -> tuple[Fit, str, str]:
    """Normal when Anderson-Darling does not reject it; else the candidate with the smallest A2.

    With the reason in words and as a stable code (normal_not_rejected, normal_kept, no_other_fit, best_fit).
    """
    normality = anderson_darling(values)
    by_name = {f.distribution: f for f in fits}
    if normality.normal is None or normality.normal:
        if normality.normal:
            why = f"normality not rejected (Anderson-Darling p = {normality.p_value:.4g} >= {ALPHA})"
            return by_name["normal"], why, "normal_not_rejected"
        return by_name["normal"], f"normal kept: {normality.reason}", "normal_kept"
    fitted = [f for f in fits if f.anderson_darling is not None and f.distribution in AUTO_CANDIDATES]
    if not fitted:
        return by_name["normal"], "normality rejected, but no other distribution could be fitted", "no_other_fit"
    best = min(fitted, key=lambda f: f.anderson_darling or 0.0)  # all are set: filtered above
    return best, (f"normality rejected (Anderson-Darling p = {normality.p_value:.3g}); {best.name} has the "
                  f"smallest Anderson-Darling statistic ({best.anderson_darling:.4g})"), "best_fit"


def percentile_indices(model: Any, lsl: float | None, usl: float | None) -> PercentileIndices:
    """Pp, Ppu, Ppl, Ppk from the model's percentiles, and the expected fractions beyond the limits."""
    with np.errstate(all="ignore"):
        low, median, high = (float(model.ppf(p)) for p in (P_LOW, P_MEDIAN, P_HIGH))
    r = PercentileIndices(_finite(low), _finite(median), _finite(high))
    if r.x_low is None or r.x_median is None or r.x_high is None or not r.x_low < r.x_median < r.x_high:
        for name in ("pp", "ppu", "ppl", "ppk"):
            r.null_reasons[name] = "the fitted distribution has no finite spread"
        return r
    if usl is not None:
        r.ppu = _finite((usl - median) / (high - median))
        r.above = _finite(1.0 - float(model.cdf(usl)))
    else:
        r.null_reasons["ppu"] = "no upper specification limit"
    if lsl is not None:
        r.ppl = _finite((median - lsl) / (median - low))
        r.below = _finite(float(model.cdf(lsl)))
    else:
        r.null_reasons["ppl"] = "no lower specification limit"
    if lsl is not None and usl is not None:
        r.pp = _finite((usl - lsl) / (high - low))
    else:
        r.null_reasons["pp"] = "needs both specification limits"
    sides = [v for v in (r.ppu, r.ppl) if v is not None]
    r.ppk = min(sides) if sides else None
    if not sides:
        r.null_reasons["ppk"] = "no specification limits"
    return r


def _unfit_reason(distribution: str, x: np.ndarray) -> str | None:
    if len(x) < 3:
        return f"fewer than 3 values ({len(x)})"
    if np.ptp(x) == 0:
        return "zero spread: all values are equal"
    if distribution in POSITIVE and np.min(x) <= 0:
        return f"{NAMES[distribution]} needs values above 0"
    if distribution in NON_NEGATIVE and np.min(x) < 0:
        return f"{NAMES[distribution]} needs values of 0 or more"
    return None


def _normal(x: np.ndarray) -> tuple[Any, dict[str, Any]]:
    loc, scale = float(np.mean(x)), float(np.std(x, ddof=1))
    return stats.norm(loc, scale), {"mean": loc, "sd": scale}


def _lognormal(x: np.ndarray) -> tuple[Any, dict[str, Any]]:
    s, _, scale = stats.lognorm.fit(x, floc=0)
    return stats.lognorm(s, 0, scale), {"meanlog": math.log(scale), "sdlog": float(s)}


def _weibull(x: np.ndarray) -> tuple[Any, dict[str, Any]]:
    c, _, scale = stats.weibull_min.fit(x, floc=0)
    return stats.weibull_min(c, 0, scale), {"shape": float(c), "scale": float(scale)}


def _weibull3(x: np.ndarray) -> tuple[Any, dict[str, Any]]:
    c, loc, scale = stats.weibull_min.fit(x)
    return stats.weibull_min(c, loc, scale), {"shape": float(c), "scale": float(scale), "threshold": float(loc)}


def _gamma(x: np.ndarray) -> tuple[Any, dict[str, Any]]:
    a, _, scale = stats.gamma.fit(x, floc=0)
    return stats.gamma(a, 0, scale), {"shape": float(a), "scale": float(scale)}


def _folded_normal(x: np.ndarray) -> tuple[Any, dict[str, Any]]:
    c, _, scale = stats.foldnorm.fit(x, floc=0)
    # Folded from normal(mu, sigma): scipy's shape c is mu / sigma.
    return FoldedNormal(float(c), float(scale)), {"mu": float(c * scale), "sigma": float(scale)}


def _rayleigh(x: np.ndarray) -> tuple[Any, dict[str, Any]]:
    _, scale = stats.rayleigh.fit(x, floc=0)
    return stats.rayleigh(0, scale), {"scale": float(scale)}


def _boxcox(x: np.ndarray) -> tuple[Any, dict[str, Any]]:
    transformed, lmbda = stats.boxcox(x)
    mean, sd = float(np.mean(transformed)), float(np.std(transformed, ddof=1))
    return BoxCox(float(lmbda), mean, sd), {"lambda": float(lmbda), "mean": mean, "sd": sd}


def _johnson(x: np.ndarray) -> tuple[Any, dict[str, Any]]:
    """The better (by Anderson-Darling) of Johnson's unbounded SU and bounded SB families."""
    best = None
    for family, name in ((stats.johnsonsu, "SU"), (stats.johnsonsb, "SB")):
        try:
            a, b, loc, scale = family.fit(x)
        except (ValueError, RuntimeError):
            continue
        model = family(a, b, loc, scale)
        a2 = anderson_darling_statistic(model, x)
        if a2 is not None and (best is None or a2 < best[0]):
            best = (a2, model, {"family": name, "gamma": float(a), "delta": float(b),
                                "xi": float(loc), "lambda": float(scale)})
    if best is None:
        raise ValueError("neither Johnson SU nor SB could be fitted")
    return best[1], best[2]


_FITTERS = {"normal": _normal, "lognormal": _lognormal, "weibull": _weibull, "weibull3": _weibull3,
            "gamma": _gamma, "folded_normal": _folded_normal, "rayleigh": _rayleigh, "boxcox": _boxcox,
            "johnson": _johnson}


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
