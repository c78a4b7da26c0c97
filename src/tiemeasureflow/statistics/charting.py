"""Control chart answers: limits and rules over the whole selection, details for the newest points.

Points are judged against the active frozen limit set of the chart kind and subgroup size when
there is one; otherwise each stage (stretch of equal tolerances) against limits computed from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, get_args

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from .. import spc
from ..kit.errors import Unprocessable
from ..models import ControlLimitSet
from . import limits, queries, rule_config, stages
from .convert import finite
from .rule_config import Rules
from .schemas import (
    ChartPoint,
    ConstantsSource,
    ControlChartData,
    PointMember,
    RuleSet,
    SecondaryChart,
    SecondaryKind,
    SecondaryPoint,
    ShewhartKind,
)
from .stored_words import one_of

if TYPE_CHECKING:
    from .selection import CharacteristicData

Flags = npt.NDArray[np.bool_]
SECONDARY_KINDS: tuple[SecondaryKind, ...] = get_args(SecondaryKind)


class Judged(TypedDict):
    """The limits of every stage and the rule flags of every point."""

    flags: Flags  # one row per rule, one column per point
    rules: tuple[int, ...]
    secondary_flags: Flags
    limits: list[spc.ChartLimits]
    last: spc.ChartLimits
    secondary: spc.ChartLimits
    reason: str | None


def build(session: Session, data: CharacteristicData, chart: ShewhartKind, subgroup_size: int | None,
          rules: RuleSet | None, limit: int, constants: ConstantsSource) -> ControlChartData:
    """Compute the pair, apply the rules to every point, and detail the newest `limit` points."""
    size = subgroup_size_of(chart, subgroup_size)
    pair = spc.control_chart(data.values, chart, None if chart == "imr" else size, constants)
    total = len(pair.primary_values)
    frozen = limits.active_for_characteristic(session, data.scope.characteristic_id, chart, size)
    config = rule_config.rules_for(session, data.scope.characteristic_id, rules)
    spans = stages.spans(session, data, size, total)
    judged = judge(data.values, pair, spans, frozen, config, size, constants)
    primary, secondary, flags, secondary_flags = judged["last"], judged["secondary"], judged["flags"], \
        judged["secondary_flags"]
    stage_of = np.zeros(total, dtype=np.int64)
    for k, span in enumerate(spans):
        stage_of[span.first:span.stop] = k
    estimator = "s_bar" if chart == "xbar_s" else "r_bar"
    stage_answers = [
        stages.capability_stage(k, span, data.values[span.first * size:span.stop * size], size, estimator,
                                constants, data.numbers, judged["limits"][k])
        for k, span in enumerate(spans)]
    start = max(0, total - limit)
    points = _points(session, data, pair, (judged["rules"], flags), start, size, stage_of)
    flagged = np.flatnonzero(flags.any(axis=0)) if flags.size else np.empty(0, dtype=np.int64)
    notes = [note for note in (pair.note, judged["reason"], stages.change_note(stage_answers)) if note]
    if frozen is not None:
        notes.append(f"limits frozen in set {frozen.id} ({frozen.reason})")
    if data.window is not None and len(data.values) == data.window:
        notes.append(f"the newest {data.window} values of the selection are charted ({total} points): "
                     "computed limits and the rules use them; give date_from/date_to to chart a whole range")
    if start:
        notes.append(f"{total} points in the selection: the newest {total - start} are returned, "
                     "the limits and rules use them all")
    counts = {rule: int(row.sum()) for rule, row in zip(judged["rules"], flags, strict=False)}
    return ControlChartData(
        points=points, ucl=finite(primary.ucl), lcl=finite(primary.lcl), center_line=finite(primary.center),
        out_of_control_indices=[int(i) for i in flagged[flagged >= start]], chart=chart, subgroup_size=size,
        rules=config.rule_set,
        rule_descriptions=[rule_config.rule_info(config, r, counts[r]) for r in judged["rules"]],
        out_of_control_total=len(flagged), secondary=secondary_chart(pair, secondary, secondary_flags, start),
        sigma_within=finite(frozen.sigma if frozen is not None else pair.within.value),
        sigma_estimator=pair.within.estimator_name, estimator=pair.within.estimator, constants=constants, points_total=total,
        values_used=pair.values_used, values_left_out=pair.values_left_out, limit=limit,
        spec=data.spec_limits(), selection=data.selection(), notes=notes,
        limits_source="frozen" if frozen is not None else "computed", limit_set_id=frozen.id if frozen else None,
        out_of_tolerance_indices=[p.x for p in points if p.out_of_tolerance], rules_source=config.source,
        secondary_rules=list(config.secondary), stages=stage_answers, tolerance_changed=len(spans) > 1,
    )


def judge(values: npt.NDArray[np.float64], pair: spc.ControlChart, spans: list[stages.Span],
          frozen: ControlLimitSet | None, config: Rules, size: int, constants: str) -> Judged:
    """Limits of each stage (the frozen set's for all when there is one) and the rule flags of every point."""
    total = len(pair.primary_values)
    enabled = config.enabled if config.enabled is not None else tuple(spc.DEFAULT_K[config.rule_set])
    flags = np.zeros((len(enabled), total), dtype=bool)
    secondary_flags = np.zeros(total, dtype=bool)
    stage_limits: list[spc.ChartLimits] = []
    reason: str | None = None
    last = secondary = spc.ChartLimits(None, None, None)
    for span in spans:
        if frozen is not None:
            primary = spc.ChartLimits(frozen.center, frozen.ucl, frozen.lcl)
            secondary = spc.ChartLimits(frozen.secondary_center, frozen.secondary_ucl, frozen.secondary_lcl)
        elif len(spans) == 1:
            primary, secondary = pair.primary, pair.secondary
        else:
            own = spc.control_chart(values[span.first * size:span.stop * size], pair.kind,
                                    None if size == 1 else size, constants)
            primary, secondary = own.primary, own.secondary
        part = slice(span.first, span.stop)
        try:
            fired = spc.evaluate(pair.primary_values[part], primary.center, primary.sigma, config.rule_set,
                                 enabled, config.k_values)
        except ValueError as error:
            raise Unprocessable(str(error)) from None
        flags[:, part] = fired.flags
        reason = reason or fired.reason
        secondary_flags[part] = _secondary_flags(pair.secondary_values[part], secondary, config)
        stage_limits.append(primary)
        last = primary
    return Judged(flags=flags, rules=enabled, secondary_flags=secondary_flags, limits=stage_limits, last=last,
                  secondary=secondary, reason=reason)


def _secondary_flags(values: npt.NDArray[np.float64], limits_: spc.ChartLimits, config: Rules) -> Flags:
    """Rule 1 (beyond a limit) on the MR/R/S chart, plus any other rules the characteristic switches on there."""
    hits = np.zeros(len(values), dtype=bool)
    if 1 in config.secondary:
        hits |= spc.beyond_limits(values, limits_.lcl, limits_.ucl)
    others = tuple(r for r in config.secondary if r != 1)
    defined = ~np.isnan(values)
    if others and defined.any():
        fired = spc.evaluate(values[defined], limits_.center, limits_.sigma, config.rule_set, others,
                             config.k_values)
        hits[np.flatnonzero(defined)] |= fired.flags.any(axis=0)
    return hits


def subgroup_size_of(chart: str, subgroup_size: int | None) -> int:
    """The chart's subgroup size: 1 for I-MR, the checked one for the X-bar charts."""
    if chart == "imr":
        if subgroup_size not in (None, 1):
            raise Unprocessable("subgroup_size applies to the X-bar charts (xbar_r, xbar_s); I-MR uses 1")
        return 1
    if subgroup_size is None:
        raise Unprocessable(f"chart={chart} needs subgroup_size ({spc.MIN_SUBGROUP}..{spc.MAX_SUBGROUP})")
    if not spc.MIN_SUBGROUP <= subgroup_size <= spc.MAX_SUBGROUP:
        raise Unprocessable(f"subgroup_size must be {spc.MIN_SUBGROUP}..{spc.MAX_SUBGROUP} for chart={chart}")
    return subgroup_size


def _points(session: Session, data: CharacteristicData, pair: spc.ControlChart, judged: tuple[tuple[int, ...], Flags],
            start: int, size: int, stage_of: npt.NDArray[np.int64]) -> list[ChartPoint]:
    total = len(pair.primary_values)
    details = queries.details_of(session, [int(i) for i in data.ids[start * size:total * size]], data.time_bounds)
    rule_numbers, flags = judged
    points = []
    for k, i in enumerate(range(start, total)):
        members = details[k * size:(k + 1) * size]
        y = float(pair.primary_values[i])
        fired = [int(rule) for r, rule in enumerate(rule_numbers) if flags[r, i]]
        out = any(d.pass_fail == "fail" for d in members)
        if size == 1:
            d = members[0]
            points.append(ChartPoint(
                x=i, y=y, timestamp=d.measured_at, rules=fired, measurement_id=d.id, serial_number=d.serial_number,
                lot_number=d.lot_number, operator_id=d.operator_id, operator=d.operator, station_id=d.station_id,
                station_code=d.station_code, version_id=d.version_id, version_number=d.version_number,
                pass_fail=d.pass_fail, out_of_tolerance=out, stage=int(stage_of[i]),
            ))
        else:
            points.append(ChartPoint(x=i, y=y, timestamp=members[-1].measured_at, rules=fired, subgroup=i,
                                     members=[_member(d) for d in members], out_of_tolerance=out,
                                     stage=int(stage_of[i])))
    return points


def _member(d: queries.PointDetail) -> PointMember:
    return PointMember(measurement_id=d.id, value=d.value, timestamp=d.measured_at, serial_number=d.serial_number,
                       lot_number=d.lot_number, operator_id=d.operator_id, operator=d.operator,
                       station_id=d.station_id, station_code=d.station_code, version_id=d.version_id,
                       version_number=d.version_number, pass_fail=d.pass_fail)


def secondary_chart(pair: spc.ControlChart, limits_: spc.ChartLimits, hits: Flags, start: int) -> SecondaryChart:
    """The MR, R or S chart of the points from `start` on."""
    values = pair.secondary_values
    shown = [i for i in range(start, len(values)) if not np.isnan(values[i])]
    return SecondaryChart(
        name=one_of(pair.secondary_name, SECONDARY_KINDS),
        points=[SecondaryPoint(x=i, y=float(values[i])) for i in shown],
        center_line=finite(limits_.center), ucl=finite(limits_.ucl), lcl=finite(limits_.lcl),
        out_of_control_indices=[i for i in shown if hits[i]],
    )
