"""One characteristic side by side by shift, operator and station: box-plot figures and capability per group."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import spc
from ..models import Measurement, Run, Setting, Shift, Station, User
from .convert import finite
from .queries import SpecRow
from .schemas import Selection, SpecLimits
from .scope import StatisticsFilters, measurement_conditions
from .shift_window import in_window, local_time_of_day

GROUPINGS = ("shift", "operator", "station")
NO_GROUP = "-"


class GroupStats(BaseModel):
    """One group's values as a box plot (Tukey whiskers: 1.5 IQR) and its capability."""

    key: str
    label: str
    n: int
    mean: float | None
    stdev: float | None
    min: float | None
    q1: float | None
    median: float | None
    q3: float | None
    max: float | None
    lower_whisker: float | None
    upper_whisker: float | None
    cp: float | None
    cpk: float | None
    pp: float | None
    ppk: float | None


class ComparisonData(BaseModel):
    """Groups of each grouping, largest first; `-` holds values outside every shift, or without operator/station."""

    shift: list[GroupStats]
    operator: list[GroupStats]
    station: list[GroupStats]
    timezone: str = Field(description="The plant time zone the shifts are read in")
    spec: SpecLimits
    selection: Selection
    notes: list[str]


def comparison(session: Session, filters: StatisticsFilters, subgroup_size: int = 1) -> ComparisonData:
    """The selection's values grouped three ways, each group with its box plot figures and indices."""
    from .selection import CharacteristicData

    data = CharacteristicData(session, filters)
    stmt = (select(Measurement.value, Measurement.measured_at, Measurement.measured_by, User.display_name,
                   Station.code)
            .join(Run, Run.id == Measurement.run_id).outerjoin(User, User.id == Measurement.measured_by)
            .outerjoin(Station, Station.id == Run.station_id).where(*measurement_conditions(data.scope))
            .order_by(Measurement.measured_at, Measurement.id))
    rows = session.execute(stmt).all()
    zone_row = session.get(Setting, "plant_timezone")
    zone = zone_row.value if zone_row and zone_row.value else "UTC"
    shifts = session.scalars(select(Shift).order_by(Shift.starts, Shift.id)).all()
    keys: dict[str, list[tuple[str, str]]] = {g: [] for g in GROUPINGS}
    for row in rows:
        local = local_time_of_day(row.measured_at, zone)
        shift = next((s for s in shifts if in_window(local, s.starts, s.ends)), None)
        keys["shift"].append((str(shift.id), shift.name) if shift else (NO_GROUP, NO_GROUP))
        keys["operator"].append((str(row.measured_by), row.display_name or str(row.measured_by))
                                if row.measured_by is not None else (NO_GROUP, NO_GROUP))
        keys["station"].append((row.code, row.code) if row.code else (NO_GROUP, NO_GROUP))
    values = np.array([row.value for row in rows], dtype=float)
    spec = data.spec
    grouped = {g: _groups(values, keys[g], spec, subgroup_size) for g in GROUPINGS}
    notes = [] if shifts else ["no shifts are defined: an administrator defines them under /api/shifts"]
    return ComparisonData(**grouped, timezone=zone, spec=data.spec_limits(), selection=data.selection(),
                          notes=notes)


def _groups(values: npt.NDArray[np.float64], keys: list[tuple[str, str]], spec: SpecRow, size: int) -> list[GroupStats]:
    members: dict[tuple[str, str], list[int]] = {}
    for index, key in enumerate(keys):
        members.setdefault(key, []).append(index)
    answer = [_stats(key, values[np.array(idx)], spec, size) for key, idx in members.items()]
    return sorted(answer, key=lambda g: (g.key == NO_GROUP, -g.n, g.label))


def _stats(key: tuple[str, str], x: npt.NDArray[np.float64], spec: SpecRow, size: int) -> GroupStats:
    q1, median, q3 = (float(v) for v in np.percentile(x, [25, 50, 75]))
    iqr = q3 - q1
    low = float(x[x >= q1 - 1.5 * iqr].min())
    high = float(x[x <= q3 + 1.5 * iqr].max())
    within = spc.sigma_within(x, size)
    cap = spc.capability(x, spec.ltl, spec.utl, spec.nominal, within=within)
    return GroupStats(key=key[0], label=key[1], n=len(x), mean=finite(cap.mean), stdev=finite(cap.stdev),
                      min=float(x.min()), q1=q1, median=median, q3=q3, max=float(x.max()), lower_whisker=low,
                      upper_whisker=high, cp=finite(cap.cp), cpk=finite(cap.cpk), pp=finite(cap.pp),
                      ppk=finite(cap.ppk))
