"""Control chart answers: limits and rules over the whole selection, details for the newest points."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy.orm import Session

from .. import spc
from ..errors import Unprocessable
from . import queries
from .convert import finite
from .schemas import ChartPoint, ControlChartData, PointMember, RuleInfo, SecondaryChart, SecondaryPoint

if TYPE_CHECKING:
    from .service import CharacteristicData


def build(session: Session, data: CharacteristicData, chart: str, subgroup_size: int | None, rules: str,
          limit: int, constants: str) -> ControlChartData:
    """Compute the pair, apply the rules to every point, and detail the newest `limit` points."""
    size = _subgroup_size(chart, subgroup_size)
    pair = spc.control_chart(data.values, chart, None if chart == "imr" else size, constants)
    flags = spc.evaluate(pair.primary_values, pair.primary.center, pair.primary.sigma, rules)
    total = len(pair.primary_values)
    start = max(0, total - limit)
    points = _points(session, data, pair, flags, start, size)
    flagged = flags.out_of_control()
    notes = [note for note in (pair.note, flags.reason) if note]
    if start:
        notes.append(f"{total} points in the selection: the newest {total - start} are returned, "
                     "the limits and rules use them all")
    counts = flags.counts()
    return ControlChartData(
        points=points, ucl=finite(pair.primary.ucl), lcl=finite(pair.primary.lcl),
        center_line=finite(pair.primary.center),
        out_of_control_indices=[int(i) for i in flagged[flagged >= start]], chart=chart, subgroup_size=size,
        rules=rules,
        rule_descriptions=[RuleInfo(rule=r, description=d, count=counts[r])
                           for r, d in spc.RULE_DESCRIPTIONS[rules].items()],
        out_of_control_total=len(flagged), secondary=_secondary(pair, start), sigma_within=finite(pair.within.value),
        sigma_estimator=pair.within.estimator_name, constants=constants, points_total=total,
        values_used=pair.values_used, values_left_out=pair.values_left_out, limit=limit,
        spec=data.spec_limits(), selection=data.selection(), notes=notes,
    )


def _subgroup_size(chart: str, subgroup_size: int | None) -> int:
    if chart == "imr":
        if subgroup_size not in (None, 1):
            raise Unprocessable("subgroup_size applies to the X-bar charts (xbar_r, xbar_s); I-MR uses 1")
        return 1
    if subgroup_size is None:
        raise Unprocessable(f"chart={chart} needs subgroup_size ({spc.MIN_SUBGROUP}..{spc.MAX_SUBGROUP})")
    if not spc.MIN_SUBGROUP <= subgroup_size <= spc.MAX_SUBGROUP:
        raise Unprocessable(f"subgroup_size must be {spc.MIN_SUBGROUP}..{spc.MAX_SUBGROUP} for chart={chart}")
    return subgroup_size


def _points(session: Session, data: CharacteristicData, pair: spc.ControlChart, flags: spc.RuleFlags,
            start: int, size: int) -> list[ChartPoint]:
    total = len(pair.primary_values)
    shown = range(start, total)
    details = queries.latest_details(session, data.scope, (total - start) * size, skip=pair.values_left_out)
    points = []
    for k, i in enumerate(shown):
        members = details[k * size:(k + 1) * size]
        y, fired = float(pair.primary_values[i]), flags.fired_at(i)
        if size == 1:
            d = members[0]
            points.append(ChartPoint(
                x=i, y=y, timestamp=d.measured_at, rules=fired, measurement_id=d.id, serial_number=d.serial_number,
                lot_number=d.lot_number, operator_id=d.operator_id, operator=d.operator, station_id=d.station_id,
                station_code=d.station_code, version_id=d.version_id, version_number=d.version_number,
            ))
        else:
            points.append(ChartPoint(x=i, y=y, timestamp=members[-1].measured_at, rules=fired, subgroup=i,
                                     members=[_member(d) for d in members]))
    return points


def _member(d: queries.PointDetail) -> PointMember:
    return PointMember(measurement_id=d.id, value=d.value, timestamp=d.measured_at, serial_number=d.serial_number,
                       lot_number=d.lot_number, operator_id=d.operator_id, operator=d.operator,
                       station_id=d.station_id, station_code=d.station_code, version_id=d.version_id,
                       version_number=d.version_number)


def _secondary(pair: spc.ControlChart, start: int) -> SecondaryChart:
    values = pair.secondary_values
    beyond = spc.beyond_limits(values, pair.secondary.lcl, pair.secondary.ucl)
    shown = [i for i in range(start, len(values)) if not np.isnan(values[i])]
    return SecondaryChart(
        name=pair.secondary_name, points=[SecondaryPoint(x=i, y=float(values[i])) for i in shown],
        center_line=finite(pair.secondary.center), ucl=finite(pair.secondary.ucl), lcl=finite(pair.secondary.lcl),
        out_of_control_indices=[i for i in shown if beyond[i]],
    )
