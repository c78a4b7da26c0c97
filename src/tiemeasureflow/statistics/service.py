"""Statistics of one characteristic: fetch its values once, let `spc` compute, shape the answer.

These functions are also what the PDF reports call: they return plain response models.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import spc
from ..kit.errors import NotFound
from ..models import Recipe, RecipeVersion
from . import capability_methods, chart_window, charting, queries, stages
from .capability_schemas import CapabilityAnswer, Distribution, HistogramAnswer
from .convert import finite, finite_floats
from .schemas import (
    CapabilityData,
    ConfidenceInterval,
    ConstantsSource,
    ControlChartData,
    Estimator,
    HistogramData,
    NormalCurve,
    NormalityTest,
    Ppm,
    RuleSet,
    ShewhartKind,
    SubtaskItem,
    SummaryData,
)
from .scope import VERSION_NOT_FOUND, StatisticsFilters, resolve, resolve_characteristic, storable_id
from .selection import CharacteristicData


def summary(session: Session, filters: StatisticsFilters) -> SummaryData:
    """Pass/warning/fail counts and percentages of the selection (a subtask narrows it to its characteristic)."""
    totals = queries.judgment_counts(session, resolve(session, filters))
    total = sum(totals.values())

    def share(count: int) -> float:
        return round(100.0 * count / total, 2) if total else 0.0

    return SummaryData(total=total, pass_count=totals["pass"], warning_count=totals["warning"],
                       fail_count=totals["fail"], pass_percentage=share(totals["pass"]),
                       warning_percentage=share(totals["warning"]), fail_percentage=share(totals["fail"]))


def capability_data(session: Session, filters: StatisticsFilters, subgroup_size: int = 1,
                    estimator: Estimator = "r_bar", constants: ConstantsSource = "exact",
                    distribution: Distribution = "normal", confidence: float = 0.95) -> CapabilityAnswer:
    """Cp/Cpk from sigma within, Pp/Ppk from the sample sd (or the fitted percentiles), Cpm, intervals, PPM."""
    data = CharacteristicData(session, filters)
    spans = stages.spans(session, data, 1, len(data.values))
    staged = [stages.capability_stage(k, span, data.values[span.first:span.stop], subgroup_size, estimator,
                                      constants, data.numbers, chart=False) for k, span in enumerate(spans)]
    values = data.values[spans[-1].first:spans[-1].stop] if len(spans) > 1 else data.values
    within = spc.sigma_within(values, subgroup_size, estimator, constants)
    spec = data.spec
    cap = spc.capability(values, spec.ltl, spec.utl, spec.nominal, within=within)
    notes: list[str] = []
    change = stages.change_note(staged)  # a note exactly when there are several stages
    if change is not None:
        notes = [change, f"the indices above are those of the newest stage ({len(values)} values "
                 "against its own tolerances); `stages` has each stage's"]
    answer = CapabilityData(
        **capability_fields(cap, within, constants),
        spec=data.spec_limits(), selection=data.selection(),
        stages=staged, tolerance_changed=len(spans) > 1, notes=notes,
    )
    return capability_methods.extend(answer, cap, values, distribution, confidence, CapabilityAnswer)


def control_chart_data(session: Session, filters: StatisticsFilters, chart: ShewhartKind = "imr",
                       subgroup_size: int | None = None, rules: RuleSet | None = None, limit: int = 1000,
                       constants: ConstantsSource = "exact") -> ControlChartData:
    """The chart pair over the newest values it needs (see `chart_window`); the newest `limit` points in detail."""
    scope = resolve_characteristic(session, filters)
    size = charting.subgroup_size_of(chart, subgroup_size)
    newest = chart_window.values_needed(session, scope, chart, size, limit)
    data = CharacteristicData(session, filters, scope, newest)
    return charting.build(session, data, chart, subgroup_size, rules, limit, constants)


def histogram_data(session: Session, filters: StatisticsFilters, n_bins: int = 20,
                   distribution: Distribution = "normal") -> HistogramAnswer:
    """Counts in n_bins equal bins over the data, and the fitted normal curve scaled to the counts."""
    data = CharacteristicData(session, filters)
    hist = spc.histogram(data.values, n_bins, data.spec.ltl, data.spec.utl)
    curve = normal_curve(hist)
    reasons = {"normal_curve": hist.reason} if hist.reason else {}
    answer = HistogramData(
        bins=finite_floats(hist.edges), frequencies=[int(c) for c in hist.counts],
        normal_curve_y=finite_floats(hist.curve_at_centers) if hist.curve_at_centers is not None else [],
        bin_centers=finite_floats(hist.centers) if len(hist.edges) else [], bin_width=finite(hist.bin_width),
        n_bins=n_bins, n=hist.n, mean=finite(hist.mean), stdev=finite(hist.stdev), normal_curve=curve,
        spec=data.spec_limits(), selection=data.selection(), null_reasons=reasons,
    )
    return capability_methods.extend_histogram(answer, data.values, distribution, HistogramAnswer)


def normal_curve(hist: spc.Histogram) -> NormalCurve | None:
    """The fitted normal curve in counts per bin, when the histogram has one."""
    if hist.curve_x is None or hist.curve_y is None:
        return None
    return NormalCurve(x=finite_floats(hist.curve_x), y=finite_floats(hist.curve_y))


def subtasks(session: Session, recipe_id: int, version_id: int | None) -> list[SubtaskItem]:
    """The characteristics of a version (the recipe's current one by default), for the filter dropdown."""
    recipe = session.get(Recipe, recipe_id) if storable_id(recipe_id) else None
    if recipe is None:
        raise NotFound("Recipe not found")
    if version_id is not None:
        version = session.get(RecipeVersion, version_id) if storable_id(version_id) else None
        if version is None or version.recipe_id != recipe.id:
            raise NotFound(VERSION_NOT_FOUND)
    version_id = version_id if version_id is not None else recipe.current_version_id
    if version_id is None:
        return []
    return [
        SubtaskItem(id=s.id, marker_number=s.marker_number, label=s.label, description=s.description, task_title=title,
                    nominal=s.nominal, utl=s.utl, ltl=s.ltl, uwl=s.uwl, lwl=s.lwl, unit=s.unit,
                    measurement_type=s.measurement_type, characteristic_id=s.characteristic_id, version_id=vid)
        for s, title, vid in queries.subtasks_of_version(session, version_id)
    ]


def capability_fields(cap: spc.Capability, within: spc.SigmaWithin,
                      constants: ConstantsSource) -> dict[str, Any]:
    """The answer fields every capability shares (`schemas.CapabilityFields`), from the indices and sigma within."""
    normality = cap.normality
    if normality is None:  # spc.capability always tests the values; only a Capability made by hand lacks it
        raise ValueError("a capability without its normality test")
    return dict(
        n=cap.n, mean=finite(cap.mean), stdev=finite(cap.stdev),
        cp=finite(cap.cp), cpk=finite(cap.cpk), pp=finite(cap.pp), ppk=finite(cap.ppk),
        cpu=finite(cap.cpu), cpl=finite(cap.cpl), ppu=finite(cap.ppu), ppl=finite(cap.ppl), cpm=finite(cap.cpm),
        sigma_within=finite(within.value), sigma_overall=finite(cap.stdev), sigma_estimator=within.estimator_name,
        estimator=within.estimator, subgroup_size=within.subgroup_size, subgroups=within.subgroups,
        values_left_out=within.values_left_out, constants=constants,
        cpk_ci=interval_of(cap.cpk_ci), ppk_ci=interval_of(cap.ppk_ci),
        ppm_observed=ppm_of(cap.ppm_observed), ppm_expected_within=ppm_of(cap.ppm_expected_within),
        ppm_expected_overall=ppm_of(cap.ppm_expected_overall),
        normality=NormalityTest(test=normality.test, statistic=finite(normality.statistic),
                                adjusted_statistic=finite(normality.adjusted_statistic),
                                p_value=finite(normality.p_value), normal=normality.normal, alpha=normality.alpha,
                                reason=normality.reason),
        null_reasons=null_reasons_of(cap, within),
    )


def interval_of(ci: spc.Interval | None) -> ConfidenceInterval | None:
    """The interval as the answers show it."""
    if ci is None:
        return None
    return ConfidenceInterval(lower=ci.lower, upper=ci.upper, confidence=ci.confidence, method=ci.method)


def ppm_of(ppm: spc.PartsPerMillion | None) -> Ppm | None:
    """Parts per million as the answers show them."""
    if ppm is None:
        return None
    return Ppm(below=finite(ppm.below), above=finite(ppm.above), total=finite(ppm.total))


def null_reasons_of(cap: spc.Capability, within: spc.SigmaWithin) -> dict[str, str]:
    """Why each null index of a capability answer is null."""
    merged = dict(cap.null_reasons)
    if cap.n == 0:
        merged["mean"] = "no values selected"
    if cap.stdev is None:
        merged["stdev"] = merged["sigma_overall"] = f"fewer than 2 values ({cap.n})"
    if within.value is None and within.reason:
        merged["sigma_within"] = within.reason
    return merged
