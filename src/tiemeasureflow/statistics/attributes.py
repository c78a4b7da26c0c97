"""Attribute charts from the judged values: failed runs (p, np) and failed values (c, u) per subgroup of runs.

A run is one part: it is nonconforming when one of its current values in the selection failed
(with a subtask, that characteristic's value), and each failed value is one nonconformity.
Subgroups are the runs of one lot, one local day, one shift on one day, or a fixed number of
consecutive runs; they are ordered by their first value.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..kit.errors import Conflict
from ..models import Measurement, Run, Setting, Shift
from ..spc.attributes import attribute_chart
from .attribute_schemas import AttributeChartData, AttributeGrouping, AttributeKind, AttributePoint
from .scope import StatisticsFilters, measurement_conditions, resolve
from .shift_window import in_window

NO_LOT = "(no lot)"
# (time of the run's first value, lot, the run's position) -> the run's subgroup key
Keyer = Callable[[datetime, str | None, int], str]


@dataclass
class _Group:
    key: str
    first_at: datetime
    runs: set[uuid.UUID] = field(default_factory=set)
    failed_runs: set[uuid.UUID] = field(default_factory=set)
    failed_values: int = 0


def attribute_data(session: Session, filters: StatisticsFilters, chart: AttributeKind,
                   subgroup_by: AttributeGrouping, runs_per_subgroup: int) -> AttributeChartData:
    """Count runs and failed values per subgroup and build the chart with each subgroup's own limits."""
    scope = resolve(session, filters)
    rows = session.execute(
        select(Measurement.run_id, Measurement.measured_at, Measurement.pass_fail, Run.lot_number)
        .join(Run, Run.id == Measurement.run_id).where(*measurement_conditions(scope))
        .order_by(Measurement.measured_at, Measurement.id)).all()
    zone = _zone(session)
    keyer = _keyer(session, subgroup_by, zone, runs_per_subgroup)
    groups: dict[str, _Group] = {}
    run_key: dict[uuid.UUID, str] = {}
    for run_id, measured_at, judgment, lot in rows:
        key = run_key.get(run_id)
        if key is None:
            key = run_key[run_id] = keyer(measured_at, lot, len(run_key))
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, measured_at)
        group.runs.add(run_id)
        if judgment == "fail":
            group.failed_runs.add(run_id)
            group.failed_values += 1
    ordered = sorted(groups.values(), key=lambda g: g.first_at)
    sizes = np.array([len(g.runs) for g in ordered], dtype=float)
    counts = np.array([len(g.failed_runs) if chart in ("p", "np") else g.failed_values for g in ordered], dtype=float)
    result = attribute_chart(chart, counts, sizes)
    signals = {int(i) for i in result.signals}
    points = [AttributePoint(x=i, key=g.key, n=len(g.runs), count=int(counts[i]), value=float(result.values[i]),
                             center=float(result.center[i]), ucl=float(result.ucl[i]), lcl=float(result.lcl[i]),
                             first_at=g.first_at, signal=i in signals) for i, g in enumerate(ordered)]
    notes = []
    if not ordered:
        notes.append("no values selected")
    elif chart == "np" and result.center_line is None:
        notes.append("the subgroups differ in size: each point has its own centre n p-bar")
    if chart == "c" and len(set(sizes.tolist())) > 1:
        notes.append("the subgroups differ in size: the u chart (nonconformities per part) compares them fairly")
    return AttributeChartData(
        chart=chart, subgroup_by=subgroup_by, points=points, center_line=result.center_line,
        out_of_control_indices=sorted(signals), units=int(sizes.sum()),
        nonconforming=sum(len(g.failed_runs) for g in ordered),
        nonconformities=sum(g.failed_values for g in ordered), subtask_id=filters.subtask_id, notes=notes)


def _zone(session: Session) -> ZoneInfo:
    setting = session.get(Setting, "plant_timezone")
    return ZoneInfo(setting.value if setting is not None and setting.value else "UTC")


def _keyer(session: Session, subgroup_by: AttributeGrouping, zone: ZoneInfo, per_subgroup: int) -> Keyer:
    """A function (time of the run's first value, lot, run's position) -> the run's subgroup key."""
    if subgroup_by == "lot":
        return lambda at, lot, _: lot if lot else NO_LOT
    if subgroup_by == "day":
        return lambda at, lot, _: at.astimezone(zone).date().isoformat()
    if subgroup_by == "run_count":
        def by_count(at: datetime, lot: str | None, position: int) -> str:
            first = position // per_subgroup * per_subgroup + 1
            return f"{first}-{first + per_subgroup - 1}"
        return by_count
    shifts = session.execute(select(Shift.name, Shift.starts, Shift.ends).order_by(Shift.starts)).all()
    if not shifts:
        raise Conflict("subgroup_by=shift needs the plant's shifts: none are defined (see /api/shifts)")

    def by_shift(at: datetime, lot: str | None, _: int) -> str:
        local = at.astimezone(zone)
        time_of_day = local.strftime("%H:%M:%S")
        for name, starts, ends in shifts:
            if in_window(time_of_day, starts, ends):
                # A shift that crosses midnight belongs to the day it started.
                day = local.date() - timedelta(days=1) if ends < starts and time_of_day < ends + ":00" else local.date()
                return f"{day.isoformat()} {name}"
        return f"{local.date().isoformat()} (no shift)"
    return by_shift
