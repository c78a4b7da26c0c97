"""The statistics' reads: one indexed query for the values, small ones for labels and point details.

The values query reads only the covering index `ix_measurements_char_time` (characteristic,
time, id, value, version, judgment) and goes straight from the driver's cursor into numpy,
without ORM objects or row wrappers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any, cast

import numpy as np
from sqlalchemy import Select, case, func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ..kit.vocabulary import JUDGMENTS
from ..models import Measurement, RecipeVersion, Run, Station, Subtask, Task, User
from . import places
from .scope import Scope, as_utc, measurement_conditions
from .series_cache import Ids, NewestSeries, Series, Values, cache_for


@dataclass(frozen=True)
class SpecRow:
    """The subtask whose limits a selection is judged against."""

    subtask_id: int
    characteristic_id: int
    version_id: int
    version_number: int
    marker_number: int
    description: str | None
    unit: str
    nominal: float | None
    ltl: float | None
    lwl: float | None
    uwl: float | None
    utl: float | None
    label: str | None = None


@dataclass(frozen=True)
class PointDetail:
    """What a chart point shows when hovered."""

    id: int
    value: float
    measured_at: datetime
    serial_number: str | None
    lot_number: str | None
    operator_id: int | None
    operator: str | None
    station_id: int | None
    station_code: str | None
    version_id: int
    version_number: int
    pass_fail: str


# The three aggregated arrays of one selection as psycopg returns them (None when nothing is selected).
ArrayRow = tuple[list[float] | None, list[int] | None, list[int] | None]
# The (oldest, newest) measured_at of the values read; (None, None) when none were.
TimeBounds = tuple[datetime | None, datetime | None]


def series(session: Session, scope: Scope) -> Series:
    """values_and_versions, kept for the next requests of the same selection at the same id snapshot."""
    return cache_for(session.get_bind()).get_or_load(_key(scope), lambda: values_and_versions(session, scope))


def newest_series(session: Session, scope: Scope, count: int) -> tuple[Values, Ids, Ids, TimeBounds]:
    """newest_values, kept like `series`; the fourth item is the (oldest, newest) measured_at read."""
    found = cache_for(session.get_bind()).get_or_load((*_key(scope), count),
                                                      lambda: newest_values(session, scope, count))
    oldest, newest = found[3]
    return found[0], found[1], found[2], (oldest, newest)


def _key(scope: Scope) -> tuple[object, ...]:
    f = scope.filters
    return (scope.characteristic_id, f.version_id, as_utc(f.date_from), as_utc(f.date_to), f.operator_id,
            f.lot_number, f.serial_number, scope.station_id, scope.shift_key, scope.max_id,
            scope.generation, f.gauge_code)


def newest_values(session: Session, scope: Scope, count: int) -> NewestSeries:
    """The newest `count` values of the selection as values_and_versions gives them, oldest first, and the
    (oldest, newest) measured_at among them.

    ORDER BY time DESC with a LIMIT: PostgreSQL walks the newest partitions' `ix_measurements_char_time`
    backwards and stops after `count` rows, however long the characteristic's history is.
    """
    stmt = select(Measurement.value, Measurement.version_id, Measurement.id, Measurement.measured_at) \
        .where(*measurement_conditions(scope)) \
        .order_by(Measurement.measured_at.desc(), Measurement.id.desc()).limit(count)
    result = session.connection().execute(stmt)
    try:
        rows = result.cursor.fetchall()[::-1]  # the DBAPI rows: no SQLAlchemy row objects
    finally:
        result.close()
    found: Series = (np.fromiter(map(itemgetter(0), rows), dtype=np.float64, count=len(rows)),
                     np.fromiter(map(itemgetter(1), rows), dtype=np.int64, count=len(rows)),
                     np.fromiter(map(itemgetter(2), rows), dtype=np.int64, count=len(rows)))
    # The raw rows carry the driver's time: aware datetimes from psycopg, text from SQLite (converted).
    dialect = session.get_bind().dialect
    processor = Measurement.__table__.c.measured_at.type.dialect_impl(dialect).result_processor(dialect, None)
    as_time: Callable[[Any], datetime] = _same if processor is None else cast(Callable[[Any], datetime], processor)
    if rows and isinstance(rows[0][3], datetime) and rows[0][3].tzinfo is not None:
        as_time = _same
    bounds: TimeBounds = (as_time(rows[0][3]), as_time(rows[-1][3])) if rows else (None, None)

    def times() -> dict[int, datetime]:
        return {row[2]: as_time(row[3]) for row in rows}

    ordered = places.in_place(session, scope, *found, times=times, since=bounds[0])
    return (*ordered, np.array(bounds, dtype=object))


def _same(moment: datetime) -> datetime:
    return moment


def values_and_versions(session: Session, scope: Scope) -> Series:
    """The current values of the selection, their version ids and measurement ids, in the parts' time order.

    A correction takes the place of the value it corrects (see `places`).
    """
    stmt = select(Measurement.value, Measurement.version_id, Measurement.id).where(*measurement_conditions(scope)) \
        .order_by(Measurement.measured_at, Measurement.id)
    if session.get_bind().dialect.name == "postgresql":
        ordered = stmt.subquery()
        # Three arrays in one row, transferred in binary: no per-row work in Python at all.
        values, versions, ids = _fetchone_binary(session, select(func.array_agg(ordered.c.value),
                                                                 func.array_agg(ordered.c.version_id),
                                                                 func.array_agg(ordered.c.id)))
        found: Series = (np.array(values or [], dtype=float), np.array(versions or [], dtype=np.int64),
                         np.array(ids or [], dtype=np.int64))
    else:
        result = session.connection().execute(stmt)
        try:
            rows = result.cursor.fetchall()  # the DBAPI rows: no SQLAlchemy row objects
        finally:
            result.close()
        found = (np.fromiter(map(itemgetter(0), rows), dtype=float, count=len(rows)),
                 np.fromiter(map(itemgetter(1), rows), dtype=np.int64, count=len(rows)),
                 np.fromiter(map(itemgetter(2), rows), dtype=np.int64, count=len(rows)))
    return places.in_place(session, scope, *found)


def judgment_counts(session: Session, scope: Scope) -> dict[str, int]:
    """{"pass": n, "warning": n, "fail": n} over the selection, in one pass without sorting."""
    counts = [func.coalesce(func.sum(case((Measurement.pass_fail == j, 1), else_=0)), 0) for j in JUDGMENTS]
    row = session.execute(select(*counts).where(*measurement_conditions(scope))).one()
    return dict(zip(JUDGMENTS, (int(c) for c in row), strict=True))


def _fetchone_binary(session: Session, stmt: Select[Any, Any, Any]) -> ArrayRow:
    """One row of a select on psycopg's binary protocol (SQLAlchemy still binds the parameters)."""
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect)
    params = compiled.construct_params()
    for name, value in params.items():
        processor = compiled.binds[name].type.bind_processor(connection.dialect)
        params[name] = processor(value) if processor else value
    # psycopg's own connection: the dialect is postgresql here, and the DBAPI is typed as Any.
    driver: Any = connection.connection.driver_connection
    with driver.cursor(binary=True) as cursor:
        row: ArrayRow = cursor.execute(compiled.string, params).fetchone()
        return row


def spec_for(session: Session, characteristic_id: int, version_ids: list[int] | None) -> SpecRow | None:
    """The characteristic's subtask in the newest of the versions (of all its versions when None)."""
    stmt = (
        select(Subtask.id, Subtask.characteristic_id, RecipeVersion.id, RecipeVersion.version_number,
               Subtask.marker_number, Subtask.description, Subtask.unit, Subtask.nominal, Subtask.ltl,
               Subtask.lwl, Subtask.uwl, Subtask.utl, Subtask.label)
        .join(Task, Task.id == Subtask.task_id).join(RecipeVersion, RecipeVersion.id == Task.version_id)
        .where(Subtask.characteristic_id == characteristic_id)
        .order_by(RecipeVersion.version_number.desc()).limit(1)
    )
    if version_ids is not None:
        stmt = stmt.where(RecipeVersion.id.in_(version_ids))
    row = session.execute(stmt).first()
    return SpecRow(*tuple(row)) if row else None


def version_numbers(session: Session, version_ids: list[int]) -> dict[int, int]:
    """{version_id: version_number}."""
    if not version_ids:
        return {}
    stmt = select(RecipeVersion.id, RecipeVersion.version_number).where(RecipeVersion.id.in_(version_ids))
    return dict(session.execute(stmt).all())


def details_of(session: Session, ids: list[int], between: TimeBounds | None = None) -> list[PointDetail]:
    """Details of the given measurements, in the order given.

    `between`: (oldest, newest) measured_at of the ids when known, so PostgreSQL reads those months'
    partitions only instead of probing every partition's index for each id.
    """
    found: dict[int, PointDetail] = {}
    in_time = [Measurement.measured_at.between(*between)] if between and between[0] is not None else []
    for start in range(0, len(ids), 500):
        stmt = (
            select(Measurement.id, Measurement.value, Measurement.measured_at, Measurement.serial_number,
                   Measurement.lot_number, Measurement.measured_by, User.display_name, Run.station_id, Station.code,
                   Measurement.version_id, RecipeVersion.version_number, Measurement.pass_fail)
            .join(Run, Run.id == Measurement.run_id)
            .join(RecipeVersion, RecipeVersion.id == Measurement.version_id)
            .outerjoin(User, User.id == Measurement.measured_by)
            .outerjoin(Station, Station.id == Run.station_id)
            .where(Measurement.id.in_(ids[start:start + 500]), *in_time)
        )
        found.update((row[0], PointDetail(*tuple(row))) for row in session.execute(stmt).all())
    return [found[i] for i in ids]


def subtasks_of_version(session: Session, version_id: int) -> Sequence[Row[Subtask, str, int]]:
    """Rows (subtask, task title, version id) of one version, in task and marker order."""
    stmt = (
        select(Subtask, Task.title, Task.version_id).join(Task, Task.id == Subtask.task_id)
        .where(Task.version_id == version_id).order_by(Task.order_index, Task.id, Subtask.marker_number)
    )
    return session.execute(stmt).all()


def specs_by_version(session: Session, characteristic_id: int, version_ids: list[int]) -> dict[int, SpecRow]:
    """{version_id: the characteristic's subtask in that version}."""
    if not version_ids:
        return {}
    stmt = (
        select(Subtask.id, Subtask.characteristic_id, RecipeVersion.id, RecipeVersion.version_number,
               Subtask.marker_number, Subtask.description, Subtask.unit, Subtask.nominal, Subtask.ltl,
               Subtask.lwl, Subtask.uwl, Subtask.utl)
        .join(Task, Task.id == Subtask.task_id).join(RecipeVersion, RecipeVersion.id == Task.version_id)
        .where(Subtask.characteristic_id == characteristic_id, RecipeVersion.id.in_(version_ids))
    )
    return {row[2]: SpecRow(*tuple(row)) for row in session.execute(stmt).all()}
