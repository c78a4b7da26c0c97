"""Capability answer beyond the reference's: every interval, the Ppm index and the distribution used."""

from __future__ import annotations

from typing import Generic, Literal

from pydantic import BaseModel, Field

from .schemas import (  # noqa: F401 (forward references)
    CapabilityFields,
    ConfidenceInterval,
    HistogramFields,
    Selection,
    SelectionT,
    SpecLimits,
    SpecT,
    Stage,
)

Distribution = Literal["normal", "lognormal", "weibull", "weibull3", "gamma", "folded_normal", "rayleigh", "boxcox",
                       "johnson", "auto"]


class DistributionFit(BaseModel):
    """One candidate distribution fitted by maximum likelihood, and how well it fits."""

    distribution: str
    name: str
    parameters: dict[str, float | str]
    anderson_darling: float | None = Field(description="A2 of the values against the fitted distribution")
    reason: str | None = Field(description="Why it could not be fitted")


class Percentiles(BaseModel):
    """The fitted distribution's 0.135%, 50% and 99.865% points (normal theory: mean -/+ 3 s and the mean)."""

    x0_135: float | None
    x50: float | None
    x99_865: float | None


class DistributionUsed(BaseModel):
    """Which distribution the overall indices rest on, and why."""

    requested: Distribution
    distribution: str = Field(description="The one used (for `auto`, the one chosen)")
    name: str
    method: str = Field(description="normal theory, or the ISO 22514-2 percentile method")
    choice: str | None = Field(None, description="For `auto`: why this distribution was chosen")
    choice_code: str | None = Field(None, description=(
        "For `auto`, the reason as a code: normal_not_rejected, normal_kept (too few values to test), "
        "no_other_fit or best_fit (smallest Anderson-Darling statistic)"))
    parameters: dict[str, float | str]
    anderson_darling: float | None
    percentiles: Percentiles | None
    fits: list[DistributionFit] = Field(description="Every candidate, for `auto`; otherwise the one requested")


class CapabilityAnswerFields(CapabilityFields[SpecT, SelectionT], Generic[SpecT, SelectionT]):
    """A capability answer with every interval and the distribution used, of any limits and selection."""

    confidence: float = Field(description="Confidence of every interval (two-sided; `lower_one_sided` at the same)")
    cp_ci: ConfidenceInterval | None
    cpu_ci: ConfidenceInterval | None
    cpl_ci: ConfidenceInterval | None
    cpm_ci: ConfidenceInterval | None
    pp_ci: ConfidenceInterval | None
    ppu_ci: ConfidenceInterval | None
    ppl_ci: ConfidenceInterval | None
    ppm_index: float | None = Field(description="Taguchi's index on sigma overall: Pp / sqrt(1 + ((mean - nominal) "
                                                "/ s)^2); not parts per million")
    ppm_index_ci: ConfidenceInterval | None
    sample_warning: str | None = Field(description="Set when the indices rest on too few values")
    distribution: DistributionUsed


class FittedCurve(BaseModel):
    """The fitted distribution's density in counts per bin, for drawing over the histogram."""

    distribution: str
    name: str
    x: list[float | None]
    y: list[float | None]


class HistogramAnswerFields(HistogramFields[SpecT, SelectionT], Generic[SpecT, SelectionT]):
    """A histogram with the chosen distribution's density, of any limits and selection."""

    fitted_curve: FittedCurve | None = Field(description="Density of a non-normal distribution (null for normal: "
                                                         "`normal_curve` is it)")
    distribution: DistributionUsed


class CapabilityAnswer(CapabilityAnswerFields[SpecLimits, Selection]):
    """The capability answer with an interval for every index and the distribution behind Pp/Ppk."""


class HistogramAnswer(HistogramAnswerFields[SpecLimits, Selection]):
    """The histogram with the density of the chosen distribution."""


CapabilityAnswer.model_rebuild()
HistogramAnswer.model_rebuild()
