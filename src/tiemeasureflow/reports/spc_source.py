"""The SPC report's figures, taken from the statistics service's answers (no formula lives here)."""

from __future__ import annotations

from ..spc.normality import MIN_VALUES as NORMALITY_MIN_VALUES
from ..statistics.schemas import CapabilityData, ControlChartData, HistogramData, Ppm
from .data import (
    Capability,
    CharacteristicInfo,
    CharacteristicLimits,
    ChartSeries,
    ControlChart,
    Histogram,
    Note,
    Violation,
)

INDICES = ("cp", "cpk", "cpu", "cpl", "pp", "ppk", "ppu", "ppl")
PRIMARY_KIND = {"imr": "i", "xbar_r": "xbar", "xbar_s": "xbar"}


def characteristic(cap: CapabilityData, recipe_code: str, recipe_name: str) -> CharacteristicInfo:
    """What is measured, against the limits of the newest version in the selection."""
    spec = cap.spec
    return CharacteristicInfo(
        recipe_code=recipe_code, recipe_name=recipe_name,
        versions=cap.selection.version_numbers or [spec.version_number],
        marker_number=spec.label or spec.marker_number, description=spec.description or "", unit=spec.unit,
        limits=CharacteristicLimits(nominal=spec.nominal, ltl=spec.lsl, lwl=spec.lwl, uwl=spec.uwl, utl=spec.usl),
    )


def _sides(ppm: Ppm | None) -> tuple[float | None, float | None]:
    return (ppm.below, ppm.above) if ppm is not None else (None, None)


def capability_reason(cap: CapabilityData) -> Note | None:
    """Why indices are missing, in words the report can translate."""
    if cap.cpk is not None and cap.ppk is not None:
        return None
    if cap.n < 2:
        return Note("reason_few_values", {"n": cap.n})
    if cap.spec.lsl is None and cap.spec.usl is None:
        return Note("reason_no_limits")
    if not cap.sigma_overall:
        return Note("reason_no_spread")
    if cap.sigma_within is None and cap.subgroups == 0:
        return Note("reason_subgroup_too_large", {"size": cap.subgroup_size, "n": cap.n})
    reasons = {cap.null_reasons.get(k) for k in ("cpk", "ppk")} - {None}
    return Note("; ".join(sorted(reasons))) if reasons else None


def capability(cap: CapabilityData) -> Capability:
    """Indices, their 95% intervals, sigmas, PPM and the normality test."""
    indices: dict[str, float | None] = {key: getattr(cap, key) for key in INDICES}
    if cap.spec.nominal is not None and cap.spec.lsl is not None and cap.spec.usl is not None:
        indices["cpm"] = cap.cpm
    found = {key: getattr(cap, f"{key}_ci", None) for key in (*INDICES, "cpm")}
    intervals = {key: (ci.lower, ci.upper) for key, ci in found.items() if ci}
    one_sided = {key: ci.lower_one_sided for key, ci in found.items() if ci and ci.lower_one_sided is not None}
    used = getattr(cap, "distribution", None)
    estimator = cap.sigma_estimator.replace("(n)", f"({cap.subgroup_size})")
    return Capability(
        n=cap.n, mean=cap.mean, sigma_within=cap.sigma_within, sigma_overall=cap.sigma_overall,
        sigma_estimator=estimator, indices=indices, intervals=intervals,
        ppm_expected_within=_sides(cap.ppm_expected_within), ppm_expected_overall=_sides(cap.ppm_expected_overall),
        ppm_observed=_sides(cap.ppm_observed), normality_statistic=cap.normality.statistic,
        normality_p_value=cap.normality.p_value, normality_reason=_normality_reason(cap),
        reason=capability_reason(cap), one_sided=one_sided, confidence=getattr(cap, "confidence", 0.95),
        distribution=used.distribution if used else "normal", distribution_name=used.name if used else "normal",
        anderson_darling=used.anderson_darling if used else None,
        few_values=bool(getattr(cap, "sample_warning", None)),
    )


def _normality_reason(cap: CapabilityData) -> Note | None:
    if cap.normality.statistic is not None:
        return None
    if cap.n < NORMALITY_MIN_VALUES:
        return Note("normality_too_few")
    return Note(cap.normality.reason or "–")


def control_chart(chart: ControlChartData, cap: CapabilityData, window_minutes: int | None = None) -> ControlChart:
    """The chart pair with 1-based sample numbers, and one violation per flagged point."""
    own = chart.subgroups or []
    primary = ChartSeries(
        kind=PRIMARY_KIND[chart.chart], x=[p.x + 1 for p in chart.points], y=[p.y for p in chart.points],
        center=chart.center_line, ucl=chart.ucl, lcl=chart.lcl,
        out_of_control=[i + 1 for i in chart.out_of_control_indices],
        own_limits=[(g.x + 1, g.ucl, g.lcl) for g in own],
    )
    second = chart.secondary
    secondary = ChartSeries(
        kind=second.name, x=[p.x + 1 for p in second.points], y=[p.y for p in second.points],
        center=second.center_line, ucl=second.ucl, lcl=second.lcl,
        out_of_control=[i + 1 for i in second.out_of_control_indices],
        own_limits=[(g.x + 1, g.secondary_ucl, g.secondary_lcl) for g in own],
    )
    sizes = (min(g.n for g in own), max(g.n for g in own)) if own else None
    violations = [
        Violation(point=p.x + 1, time=p.timestamp, value=p.y, rules=[str(r) for r in p.rules], serial=_serials(p))
        for p in chart.points if p.rules
    ]
    return ControlChart(
        chart=chart.chart, rules=chart.rules, subgroup_size=chart.subgroup_size, primary=primary,
        secondary=secondary, violations=violations, violations_total=chart.out_of_control_total,
        points_total=chart.points_total, notes=_chart_notes(chart, cap), subgroup_by=chart.subgroup_by,
        sizes=sizes, window_minutes=window_minutes if chart.subgroup_by == "window" else None,
    )


def _serials(point) -> str | None:
    if point.members:
        serials = [m.serial_number for m in point.members if m.serial_number]
        return f"{serials[0]} … {serials[-1]}" if len(serials) > 1 else (serials[0] if serials else None)
    return point.serial_number


def _chart_notes(chart: ControlChartData, cap: CapabilityData) -> list[Note]:
    notes = []
    sizes = {g.n for g in chart.subgroups or []}
    if len(sizes) > 1:
        notes.append(Note("note_own_limits"))
    if chart.values_left_out:
        notes.append(Note("note_left_out", {"count": chart.values_left_out, "size": chart.subgroup_size}))
    if chart.ucl is None:
        reason = capability_reason(cap) if cap.n < 2 or cap.subgroups == 0 else None
        notes.append(Note("note_no_limits", {"reason": reason}) if reason else Note("note_no_limits_plain"))
    elif not cap.sigma_overall or chart.ucl == chart.lcl:
        notes.append(Note("note_no_limits", {"reason": Note("reason_no_spread")}))
    return notes


def histogram(hist: HistogramData) -> Histogram:
    """Bin edges, counts and the normal curve (absent for fewer than 2 values or no spread)."""
    curve = hist.normal_curve
    fitted = getattr(hist, "fitted_curve", None)
    points = [(x, y) for x, y in zip(fitted.x, fitted.y, strict=False) if x is not None and y is not None] if fitted else []
    return Histogram(edges=hist.bins, counts=hist.frequencies, curve_x=curve.x if curve else [],
                     curve_y=curve.y if curve else [], fitted_x=[x for x, _ in points], fitted_y=[y for _, y in points],
                     fitted_name=fitted.distribution if fitted else None)
