"""Every index's interval and the non-normal (percentile) indices, added to the capability answer."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np
import numpy.typing as npt

from .. import spc
from ..spc import intervals as ci
from ..spc import nonnormal
from .capability_schemas import (
    CapabilityAnswerFields,
    Distribution,
    DistributionFit,
    DistributionUsed,
    FittedCurve,
    HistogramAnswerFields,
    Percentiles,
)
from .convert import finite, finite_list
from .schemas import CapabilityFields, ConfidenceInterval, HistogramFields, Ppm

NORMAL_METHOD = "normal theory: mean and sigma (0.135% and 99.865% points at mean -/+ 3 sigma)"
WITHIN = ("cp", "cpu", "cpl", "cpk", "cpm")
OVERALL = ("pp", "ppu", "ppl", "ppk")

# The answer model to build: a characteristic's or a HardPy measurement's.
CapabilityT = TypeVar("CapabilityT", bound=CapabilityAnswerFields[Any, Any])
HistogramT = TypeVar("HistogramT", bound=HistogramAnswerFields[Any, Any])
Values = npt.NDArray[np.float64]


@runtime_checkable
class Density(Protocol):
    """A fitted model (a frozen scipy distribution or a transformation's) that gives its density."""

    def pdf(self, x: Values) -> npt.ArrayLike:
        """The density at each x."""
        ...


def fitted(values: Values, requested: Distribution
           ) -> tuple[nonnormal.Fit, list[nonnormal.Fit], str | None, str | None]:
    """The fit used, the candidates shown and, for `auto`, why it was chosen (in words and as a code)."""
    if requested == "auto":
        fits = nonnormal.fit_all(values)
        used, why, code = nonnormal.choose(values, fits)
        return used, fits, why, code
    used = nonnormal.fit(requested, values)
    return used, [used], None, None


def describe(values: Values, requested: Distribution, cap: spc.Capability | None = None
             ) -> tuple[nonnormal.Fit, DistributionUsed, nonnormal.PercentileIndices | None]:
    """(fit used, DistributionUsed, percentile indices or None for normal theory)."""
    used, fits, why, code = fitted(values, requested)
    normal = used.distribution == "normal"
    indices = None if normal or used.model is None else nonnormal.percentile_indices(used.model, *_limits(cap))
    if normal:
        percentiles = _normal_percentiles(cap) if cap is not None else None
        method = NORMAL_METHOD
    else:
        percentiles = Percentiles(x0_135=indices.x_low if indices else None,
                                  x50=indices.x_median if indices else None,
                                  x99_865=indices.x_high if indices else None)
        method = nonnormal.METHOD
    info = DistributionUsed(requested=requested, distribution=used.distribution, name=used.name, method=method,
                            choice=why, choice_code=code, parameters=used.parameters, anderson_darling=finite(used.anderson_darling),
                            percentiles=percentiles, fits=[_fit(f) for f in fits])
    return used, info, indices


def extend(answer: CapabilityFields[Any, Any], cap: spc.Capability, values: Values, requested: Distribution,
           confidence: float, model: type[CapabilityT]) -> CapabilityT:
    """The answer with every interval, the Ppm index, the sample-size warning and the distribution used."""
    fields = answer.model_dump()
    reasons = fields["null_reasons"]
    for name, interval in ci.intervals(cap, confidence).items():
        fields[name] = _interval(interval)
        if interval is None and name[:-3] in reasons:
            reasons[name] = reasons[name[:-3]]
    fields["ppm_index"] = finite(ci.ppm_index(cap))
    if fields["ppm_index"] is None:
        reasons["ppm_index"] = reasons["ppm_index_ci"] = reasons.get("cpm") or reasons.get("pp") or "undefined"
    used, info, indices = describe(values, requested, cap)
    minimum = ci.MIN_N
    if used.distribution != "normal":
        minimum = ci.MIN_N_PERCENTILE
        _percentile_fields(fields, used, indices)
    fields.update(confidence=confidence, sample_warning=ci.small_sample_warning(cap.n, minimum), distribution=info)
    return model(**fields)


def extend_histogram(answer: HistogramFields[Any, Any], values: Values, requested: Distribution,
                     model: type[HistogramT]) -> HistogramT:
    """The histogram with the chosen distribution's density in counts per bin."""
    used, info, _ = describe(values, requested)
    curve = None
    width = answer.bin_width
    density = used.model
    if used.distribution != "normal" and isinstance(density, Density) and width and answer.normal_curve is not None:
        x = np.asarray(answer.normal_curve.x, dtype=np.float64)
        with np.errstate(all="ignore"):
            y = answer.n * width * np.asarray(density.pdf(x), dtype=np.float64)
        curve = FittedCurve(distribution=used.distribution, name=used.name, x=finite_list(x), y=finite_list(y))
    elif used.model is None and used.reason:
        answer.null_reasons["fitted_curve"] = used.reason
    return model(**answer.model_dump(), fitted_curve=curve, distribution=info)


def _percentile_fields(fields: dict[str, Any], used: nonnormal.Fit,
                       indices: nonnormal.PercentileIndices | None) -> None:
    """Pp/Ppk from the fitted percentiles; the normal-theory C indices and intervals do not apply."""
    reasons = fields["null_reasons"]
    for name in OVERALL:
        fields[name] = finite(getattr(indices, name)) if indices else None
        reasons.pop(name, None)
        if fields[name] is None:
            reasons[name] = (indices.null_reasons.get(name) if indices else None) or used.reason or "undefined"
    not_here = f"normal theory only; the {used.name} answer has the percentile P indices"
    for name in WITHIN:
        fields[name] = None
        reasons[name] = not_here
    for name in WITHIN + OVERALL + ("ppm_index",):
        fields[f"{name}_ci"] = None
        reasons[f"{name}_ci"] = f"no interval for {name} under the {used.name} percentile method"
    fields["ppm_index"] = None
    reasons["ppm_index"] = not_here
    fields["ppm_expected_within"] = None
    reasons["ppm_expected_within"] = not_here
    if indices is not None:
        below = None if indices.below is None else indices.below * 1e6
        above = None if indices.above is None else indices.above * 1e6
        parts = [p for p in (below, above) if p is not None]
        fields["ppm_expected_overall"] = Ppm(below=finite(below), above=finite(above),
                                             total=finite(sum(parts)) if parts else None)


def _normal_percentiles(cap: spc.Capability) -> Percentiles | None:
    if cap.mean is None or not cap.stdev:
        return None
    return Percentiles(x0_135=finite(cap.mean - 3 * cap.stdev), x50=finite(cap.mean),
                       x99_865=finite(cap.mean + 3 * cap.stdev))


def _limits(cap: spc.Capability | None) -> tuple[float | None, float | None]:
    return (cap.lsl, cap.usl) if cap is not None else (None, None)


def _fit(f: nonnormal.Fit) -> DistributionFit:
    return DistributionFit(distribution=f.distribution, name=f.name, parameters=f.parameters,
                           anderson_darling=finite(f.anderson_darling), reason=f.reason)


def _interval(interval: ci.IndexInterval | None) -> ConfidenceInterval | None:
    if interval is None:
        return None
    return ConfidenceInterval(lower=interval.lower, upper=interval.upper, confidence=interval.confidence,
                              method=interval.method, lower_one_sided=interval.lower_one_sided)
