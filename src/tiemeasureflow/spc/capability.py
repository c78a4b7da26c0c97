"""Process capability: Cp/Cpk (sigma within), Pp/Ppk (sigma overall), Cpm, intervals and PPM.

Every index that cannot be computed is None, and `null_reasons` says why; no NaN or infinity
ever leaves this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from .normality import Normality, anderson_darling
from .sigma import SigmaWithin, sigma_overall, sigma_within

CI_METHOD = "Bissell (1990): index +/- z(1-alpha/2) * sqrt(1/(9n) + index^2/(2(n-1)))"
WITHIN_INDICES = ("cp", "cpu", "cpl", "cpk", "cpm")
OVERALL_INDICES = ("pp", "ppu", "ppl", "ppk")


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval."""

    lower: float
    upper: float
    confidence: float
    method: str = CI_METHOD


@dataclass(frozen=True)
class PartsPerMillion:
    """Parts per million below the lower and above the upper limit; None where there is no limit."""

    below: float | None
    above: float | None
    total: float | None


@dataclass
class Capability:
    """Capability of one characteristic's values against its specification limits."""

    n: int
    mean: float | None
    stdev: float | None
    within: SigmaWithin
    lsl: float | None
    usl: float | None
    target: float | None
    cp: float | None = None
    cpu: float | None = None
    cpl: float | None = None
    cpk: float | None = None
    cpm: float | None = None
    pp: float | None = None
    ppu: float | None = None
    ppl: float | None = None
    ppk: float | None = None
    cpk_ci: Interval | None = None
    ppk_ci: Interval | None = None
    ppm_observed: PartsPerMillion | None = None
    ppm_expected_within: PartsPerMillion | None = None
    ppm_expected_overall: PartsPerMillion | None = None
    normality: Normality | None = None
    null_reasons: dict[str, str] = field(default_factory=dict)

    @property
    def sigma_within(self) -> float | None:
        """The short-term sigma the C indices use."""
        return self.within.value


def capability(values: np.ndarray, lsl: float | None = None, usl: float | None = None,
               target: float | None = None, within: SigmaWithin | None = None,
               confidence: float = 0.95) -> Capability:
    """All indices for the values; `within` defaults to individuals (MR-bar/d2(2))."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    within = within if within is not None else sigma_within(x)
    result = Capability(n=n, mean=float(np.mean(x)) if n else None, stdev=sigma_overall(x), within=within,
                        lsl=lsl, usl=usl, target=target)
    result.normality = anderson_darling(x)
    if n < 2:
        _null_all(result, f"fewer than 2 values ({n})")
        result.ppm_observed = _observed_ppm(x, lsl, usl) if n else None
        return result
    if lsl is None and usl is None:
        _null_all(result, "no specification limits")
        return result
    _within_indices(result)
    _overall_indices(result)
    result.cpk_ci = bissell_interval(result.cpk, n, confidence)
    result.ppk_ci = bissell_interval(result.ppk, n, confidence)
    result.ppm_observed = _observed_ppm(x, lsl, usl)
    result.ppm_expected_within = expected_ppm(result.mean, result.within.value, lsl, usl)
    result.ppm_expected_overall = expected_ppm(result.mean, result.stdev, lsl, usl)
    return result


def bissell_interval(index: float | None, n: int, confidence: float = 0.95) -> Interval | None:
    """Bissell's normal approximation for a Cpk-type index estimated from n values."""
    if index is None or n < 2:
        return None
    z = float(special.ndtri(0.5 + confidence / 2.0))
    half = z * math.sqrt(1.0 / (9.0 * n) + index * index / (2.0 * (n - 1)))
    return Interval(index - half, index + half, confidence)


def expected_ppm(mean: float | None, sigma: float | None, lsl: float | None,
                 usl: float | None) -> PartsPerMillion | None:
    """Parts per million outside the limits if the values were normal(mean, sigma)."""
    if mean is None or not sigma:
        return None
    below = float(special.ndtr((lsl - mean) / sigma)) * 1e6 if lsl is not None else None
    above = float(special.ndtr((mean - usl) / sigma)) * 1e6 if usl is not None else None
    return PartsPerMillion(below, above, _total(below, above))


def _within_indices(r: Capability) -> None:
    sigma = r.within.value
    if sigma is None or sigma == 0:
        reason = r.within.reason or "zero spread within subgroups: sigma within is 0"
        for name in WITHIN_INDICES:
            r.null_reasons[name] = reason
        return
    r.cp, r.cpu, r.cpl, r.cpk = _indices(r, sigma, "cp", "cpu", "cpl", "cpk")
    if r.lsl is None or r.usl is None:
        r.null_reasons["cpm"] = "needs both specification limits"
    elif r.target is None:
        r.null_reasons["cpm"] = "no target (nominal) given"
    else:
        # As qcc: Cpm = (USL - LSL) / (6 sqrt(sigma_within^2 + (mean - target)^2)).
        assert r.mean is not None  # indices are computed only for a selection with values
        r.cpm = (r.usl - r.lsl) / (6.0 * math.hypot(sigma, r.mean - r.target))


def _overall_indices(r: Capability) -> None:
    if not r.stdev:
        for name in OVERALL_INDICES:
            r.null_reasons[name] = "zero spread: all values are equal"
        return
    r.pp, r.ppu, r.ppl, r.ppk = _indices(r, r.stdev, "pp", "ppu", "ppl", "ppk")


def _indices(r: Capability, sigma: float, both: str, upper: str, lower: str,
             worst: str) -> tuple[float | None, float | None, float | None, float | None]:
    """(two-sided, upper, lower, min of the defined sides) for one sigma; reasons for the missing ones."""
    assert r.mean is not None  # indices are computed only for a selection with values
    up = (r.usl - r.mean) / (3.0 * sigma) if r.usl is not None else None
    low = (r.mean - r.lsl) / (3.0 * sigma) if r.lsl is not None else None
    two_sided = (r.usl - r.lsl) / (6.0 * sigma) if r.usl is not None and r.lsl is not None else None
    if r.usl is None:
        r.null_reasons[upper] = "no upper specification limit"
    if r.lsl is None:
        r.null_reasons[lower] = "no lower specification limit"
    if two_sided is None:
        r.null_reasons[both] = "needs both specification limits"
    defined = [v for v in (up, low) if v is not None]
    return _finite(two_sided), _finite(up), _finite(low), _finite(min(defined))


def _observed_ppm(x: np.ndarray, lsl: float | None, usl: float | None) -> PartsPerMillion:
    n = len(x)
    below = float(np.count_nonzero(x < lsl)) / n * 1e6 if lsl is not None else None
    above = float(np.count_nonzero(x > usl)) / n * 1e6 if usl is not None else None
    return PartsPerMillion(below, above, _total(below, above))


def _null_all(r: Capability, reason: str) -> None:
    for name in WITHIN_INDICES + OVERALL_INDICES:
        r.null_reasons[name] = reason


def _total(*parts: float | None) -> float | None:
    defined = [p for p in parts if p is not None]
    return sum(defined) if defined else None


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
