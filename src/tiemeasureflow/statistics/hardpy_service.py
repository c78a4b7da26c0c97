"""SPC of a HardPy measurement: the station characteristics' computations over a part number's HardPy values.

Limits come from HardPy's lower_limit and upper_limit; where they change between runs the
selection is split into stages, each judged against its own, as a recipe's versions are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from .. import spc
from . import capability_methods, charting, rule_config, stages
from .capability_schemas import Distribution
from .convert import finite, finite_floats
from .hardpy_schemas import (
    HardpyCapability,
    HardpyCapabilityData,
    HardpyChartPoint,
    HardpyControlChart,
    HardpyHistogram,
    HardpyHistogramData,
    HardpySelection,
    HardpySpec,
)
from .hardpy_series import Filters, Key, Series, Value
from .rule_config import Rules
from .schemas import ConstantsSource, Estimator, RuleSet
from .service import capability_fields, normal_curve
from .stages import ToleranceKey


@dataclass(frozen=True)
class Tolerance:
    """A stage's limits, in the form `stages` reads them."""

    ltl: float | None
    utl: float | None
    nominal: float | None


def _nominal(v: Value) -> float | None:
    return v.comparison if v.operation == "eq" else None


def _spec(series: Series) -> HardpySpec:
    v, key = series.newest, series.key
    module_name, case_name = series.names
    described = " / ".join(part for part in (module_name, case_name) if part) or None
    return HardpySpec(part_number=series.filters.part_number, key=key.text(), module_id=key.module_id,
                      module_name=module_name, case_id=key.case_id, case_name=case_name, name=key.name,
                      unit=v.unit or "", nominal=_nominal(v), lsl=v.lsl, usl=v.usl, label=key.name or key.text(),
                      description=described)


def _selection(series: Series) -> HardpySelection:
    return HardpySelection(part_number=series.filters.part_number, key=series.key.text(), n=len(series.values),
                           runs=series.runs)


def _spans(series: Series) -> list[stages.Span]:
    """Stretches of values with equal limits."""
    details = series.details
    if not details:
        v = series.newest
        return [stages.Span(0, 0, Tolerance(v.lsl, v.usl, _nominal(v)), ())]
    found: list[stages.Span] = []
    first = 0
    for i in range(1, len(details) + 1):
        if i == len(details) or _limits(details[i]) != _limits(details[first]):
            found.append(stages.Span(first, i, Tolerance(*_limits(details[first])), ()))
            first = i
    return found


def _limits(v: Value) -> ToleranceKey:
    return v.lsl, v.usl, _nominal(v)


def _change_note(spans: list[stages.Span]) -> str | None:
    if len(spans) < 2:
        return None
    parts = [f"{_fmt(s.spec.ltl if s.spec else None)}..{_fmt(s.spec.utl if s.spec else None)}" for s in spans]
    return "the limits change inside the selection (" + " -> ".join(parts) + "); each stage is judged against its own"


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _out_of_tolerance(v: Value) -> bool:
    beyond = (v.lsl is not None and v.value < v.lsl) or (v.usl is not None and v.value > v.usl)
    return beyond or v.result is False


def control_chart(session: Session, filters: Filters, key: Key, rules: RuleSet | None = None, limit: int = 1000,
                  constants: ConstantsSource = "exact") -> HardpyControlChart:
    """I-MR chart of the values in time order, with the run rules, as a station characteristic's."""
    series = Series(session, filters, key)
    values = series.values
    pair = spc.control_chart(values, "imr", None, constants)
    total = len(pair.primary_values)
    config = Rules(rules, source="query") if rules else Rules()
    spans = _spans(series)
    judged = charting.judge(values, pair, spans, None, config, 1, constants)
    flags = judged["flags"]
    stage_of = np.zeros(total, dtype=np.int64)
    for k, span in enumerate(spans):
        stage_of[span.first:span.stop] = k
    stage_answers = [stages.capability_stage(k, span, values[span.first:span.stop], 1, "r_bar", constants, {},
                                             judged["limits"][k]) for k, span in enumerate(spans)]
    start = max(0, total - limit)
    points = []
    for i in range(start, total):
        v = series.details[i]
        fired = [int(rule) for r, rule in enumerate(judged["rules"]) if flags[r, i]]
        judgment = "pass" if v.result else "fail" if v.result is False else ("fail" if _out_of_tolerance(v) else "pass")
        points.append(HardpyChartPoint(
            x=i, y=float(pair.primary_values[i]), timestamp=v.at, rules=fired, measurement_id=v.id,
            serial_number=v.serial_number, lot_number=v.lot_number, pass_fail=judgment,
            out_of_tolerance=_out_of_tolerance(v), stage=int(stage_of[i]), run_id=v.run_id, stand_name=v.stand_name,
            result=v.result))
    flagged = np.flatnonzero(flags.any(axis=0)) if flags.size else np.empty(0, dtype=np.int64)
    notes = [note for note in (pair.note, judged["reason"], _change_note(spans)) if note]
    if start:
        notes.append(f"{total} points in the selection: the newest {total - start} are returned, "
                     "the limits and rules use them all")
    counts = {rule: int(row.sum()) for rule, row in zip(judged["rules"], flags, strict=False)}
    primary = judged["last"]
    return HardpyControlChart(
        points=points, ucl=finite(primary.ucl), lcl=finite(primary.lcl), center_line=finite(primary.center),
        out_of_control_indices=[int(i) for i in flagged[flagged >= start]], chart="imr", subgroup_size=1,
        rules=config.rule_set,
        rule_descriptions=[rule_config.rule_info(config, r, counts[r]) for r in judged["rules"]],
        out_of_control_total=len(flagged),
        secondary=charting.secondary_chart(pair, judged["secondary"], judged["secondary_flags"], start),
        sigma_within=finite(pair.within.value), sigma_estimator=pair.within.estimator_name, estimator=pair.within.estimator, constants=constants,
        points_total=total, values_used=pair.values_used, values_left_out=pair.values_left_out, limit=limit,
        spec=_spec(series), selection=_selection(series), notes=notes, limits_source="computed",
        out_of_tolerance_indices=[p.x for p in points if p.out_of_tolerance], rules_source=config.source,
        secondary_rules=list(config.secondary), stages=stage_answers, tolerance_changed=len(spans) > 1,
    )


def capability(session: Session, filters: Filters, key: Key, subgroup_size: int = 1, estimator: Estimator = "r_bar",
               constants: ConstantsSource = "exact", distribution: Distribution = "normal",
               confidence: float = 0.95) -> HardpyCapability:
    """Cp/Cpk, Pp/Ppk, Cpm with intervals, PPM and normality, against the newest stage's limits."""
    series = Series(session, filters, key)
    spans = _spans(series)
    staged = [stages.capability_stage(k, span, series.values[span.first:span.stop], subgroup_size, estimator,
                                      constants, {}, chart=False) for k, span in enumerate(spans)]
    newest = spans[-1]
    values = series.values[newest.first:newest.stop] if len(spans) > 1 else series.values
    within = spc.sigma_within(values, subgroup_size, estimator, constants)
    limits = newest.spec or Tolerance(None, None, None)  # every HardPy span has its limits
    cap = spc.capability(values, limits.ltl, limits.utl, limits.nominal, within=within)
    notes: list[str] = []
    change = _change_note(spans)  # a note exactly when there are several stages
    if change is not None:
        notes = [change, f"the indices above are those of the newest stage ({len(values)} values "
                 "against its own limits); `stages` has each stage's"]
    answer = HardpyCapabilityData(
        **capability_fields(cap, within, constants),
        spec=_spec(series), selection=_selection(series),
        stages=staged, tolerance_changed=len(spans) > 1, notes=notes,
    )
    return capability_methods.extend(answer, cap, values, distribution, confidence, HardpyCapability)


def histogram(session: Session, filters: Filters, key: Key, n_bins: int = 20,
              distribution: Distribution = "normal") -> HardpyHistogram:
    """Counts in n_bins equal bins with the fitted normal curve, and the newest limits."""
    series = Series(session, filters, key)
    spec = _spec(series)
    hist = spc.histogram(series.values, n_bins, spec.lsl, spec.usl)
    curve = normal_curve(hist)
    answer = HardpyHistogramData(
        bins=finite_floats(hist.edges), frequencies=[int(c) for c in hist.counts],
        normal_curve_y=finite_floats(hist.curve_at_centers) if hist.curve_at_centers is not None else [],
        bin_centers=finite_floats(hist.centers) if len(hist.edges) else [], bin_width=finite(hist.bin_width),
        n_bins=n_bins, n=hist.n, mean=finite(hist.mean), stdev=finite(hist.stdev), normal_curve=curve,
        spec=spec, selection=_selection(series), null_reasons={"normal_curve": hist.reason} if hist.reason else {},
    )
    return capability_methods.extend_histogram(answer, series.values, distribution, HardpyHistogram)
