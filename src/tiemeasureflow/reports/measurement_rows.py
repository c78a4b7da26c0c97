"""The rows of the measurement table: the statistics' selection, joined to what a reader needs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session, aliased

from ..models import Measurement, RecipeVersion, Run, Station, Subtask, User
from ..statistics.scope import Scope, measurement_conditions
from .data import MeasurementRow

# Past this the table stops (the summary still counts everything): the CSV export serves longer lists.
MAX_TABLE_ROWS = 10_000


def period(session: Session, scope: Scope) -> tuple[datetime | None, datetime | None]:
    """The first and last measurement time of the selection."""
    stmt = select(func.min(Measurement.measured_at), func.max(Measurement.measured_at)) \
        .where(*measurement_conditions(scope))
    first, last = session.execute(stmt).one()
    return first, last


def table_rows(session: Session, scope: Scope, limit: int | None = None) -> list[MeasurementRow]:
    """The first `limit` (MAX_TABLE_ROWS) current measurements in time order, with their labels."""
    earlier = aliased(Measurement, name="earlier")
    stmt = (
        select(Measurement.id, Measurement.measured_at, Measurement.serial_number, Measurement.lot_number,
               func.coalesce(Subtask.label, cast(Subtask.marker_number, String)).label("marker_number"),
               Subtask.description, Measurement.value, Subtask.unit, Measurement.deviation,
               Measurement.pass_fail, User.display_name, User.username, Station.code, RecipeVersion.version_number,
               Measurement.correction_reason, Measurement.supersedes_id, earlier.value.label("superseded_value"))
        .join(Subtask, Subtask.id == Measurement.subtask_id)
        .outerjoin(earlier, earlier.id == Measurement.supersedes_id)
        .join(RecipeVersion, RecipeVersion.id == Measurement.version_id)
        .join(Run, Run.id == Measurement.run_id)
        .outerjoin(User, User.id == Measurement.measured_by)
        .outerjoin(Station, Station.id == Run.station_id)
        .where(*measurement_conditions(scope))
        .order_by(Measurement.measured_at, Measurement.id)
        .limit(limit or MAX_TABLE_ROWS)
    )
    return [
        MeasurementRow(
            id=r.id, measured_at=r.measured_at, serial=r.serial_number, lot=r.lot_number,
            marker_number=r.marker_number, description=r.description, value=r.value, unit=r.unit,
            deviation=r.deviation, result=r.pass_fail, operator=r.display_name or r.username,
            station=r.code, version_number=r.version_number, corrected=r.supersedes_id is not None,
            superseded_value=r.superseded_value, correction_reason=r.correction_reason,
        )
        for r in session.execute(stmt)
    ]
