"""Storing judged values in a run through the ORM (one value, a run's values, a correction).

`runs/` owns the API's writes of measurements: this module, and `batch.py` for whole requests
through the driver. Imports and generated demo history also bulk-insert, with ids from
`allocate_measurement_ids` and verdicts from `measurements.judging`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, aliased

from ..alarms.raising import raise_for_rows
from ..kit.errors import Unprocessable
from ..measurements.judging import ToleranceLimits, deviation, judge, worst
from ..models import Measurement, Run, Subtask, Task, utcnow


@dataclass(frozen=True)
class Characteristic:
    """A subtask of a version as the judge needs it."""

    subtask_id: int
    characteristic_id: int
    marker_number: int
    limits: ToleranceLimits


@dataclass(frozen=True)
class NewValue:
    """A value to store for one subtask."""

    subtask_id: int
    value: float
    input_method: str
    reason: str | None = None
    gross_error_confirmed: bool = False
    gauge_code: str | None = None


def version_characteristics(session: Session, version_id: int) -> dict[int, Characteristic]:
    """The version's subtasks by id, in task and balloon order."""
    rows = session.execute(
        select(Subtask.id, Subtask.characteristic_id, Subtask.marker_number, Subtask.nominal,
               Subtask.ltl, Subtask.lwl, Subtask.uwl, Subtask.utl)
        .join(Task, Task.id == Subtask.task_id)
        .where(Task.version_id == version_id)
        .order_by(Task.order_index, Task.id, Subtask.marker_number)
    )
    return {
        r.id: Characteristic(r.id, r.characteristic_id, r.marker_number, ToleranceLimits(r.nominal, r.ltl, r.lwl, r.uwl, r.utl))
        for r in rows
    }


def lock_part(session: Session, *key: object) -> None:
    """Serialise the writers of one part (operator, version, serial, lot) on PostgreSQL until commit.

    Two values for a part with no open run must not open two runs; writers of other parts go on
    in parallel. SQLite writers are serialised already.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext("\x1f".join(map(str, key))))))


def allocate_measurement_ids(session: Session, count: int) -> list[int]:
    """`count` new measurement ids in ascending order, for rows inserted with explicit ids.

    Bulk inserts name their ids up front, so one statement can insert a whole batch, including
    values that supersede others in the same batch. On PostgreSQL the ids come from the table's
    own sequence (they may commit out of order: followers use `watermark`); on SQLite the writer holds the
    database lock, so the ids after the highest one are free (a concurrent writer that slipped in
    would make the insert fail on the primary key, never overwrite a row).
    """
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        ids = session.scalars(text("SELECT nextval(pg_get_serial_sequence('measurements', 'id')) "
                                   "FROM generate_series(1, :count)"), {"count": count}).all()
        return sorted(ids)
    highest = session.scalar(select(func.max(Measurement.id))) or 0
    return list(range(highest + 1, highest + count + 1))


# One alias for every call, so the statement compiles once and stays in the statement cache.
_SUPERSEDING = aliased(Measurement)


def current_values(session: Session, run_id: uuid.UUID) -> dict[int, tuple[int, str]]:
    """The run's latest value per subtask: subtask_id -> (measurement id, judgment)."""
    later = _SUPERSEDING
    rows = session.execute(
        select(Measurement.subtask_id, Measurement.id, Measurement.pass_fail)
        .outerjoin(later, later.supersedes_id == Measurement.id)
        .where(Measurement.run_id == run_id, later.id.is_(None))
    )
    return {r.subtask_id: (r.id, r.pass_fail) for r in rows}


def insert_value(session: Session, run: Run, spec: Characteristic, value: float, input_method: str,
                 measured_by: int | None, supersedes_id: int | None = None, reason: str | None = None,
                 gross_error_confirmed: bool = False, gauge_code: str | None = None) -> Measurement:
    """Judge and insert one measurement of the run."""
    value = value + 0.0  # -0.0 is stored as 0.0 (SQLite cannot keep the sign; both are the same reading)
    row = Measurement(
        run_id=run.id, subtask_id=spec.subtask_id, version_id=run.version_id,
        characteristic_id=spec.characteristic_id, measured_by=measured_by, value=value,
        pass_fail=judge(value, spec.limits), deviation=deviation(value, spec.limits.nominal),
        lot_number=run.lot_number, serial_number=run.serial_number, input_method=input_method,
        measured_at=utcnow(), supersedes_id=supersedes_id, correction_reason=reason,
        gross_error_confirmed=gross_error_confirmed, gauge_code=gauge_code,
    )
    session.add(row)
    session.flush()
    if row.pass_fail == "fail":
        raise_for_rows(session, run, [row])
    return row


def record_values(session: Session, run: Run, specs: dict[int, Characteristic], values: Iterable[NewValue],
                  measured_by: int | None, reason_required: bool = False, numbered: bool = False) -> list[Measurement]:
    """Store values in order; a value for an already-measured subtask supersedes its latest value.

    With reason_required, such a value must carry a reason (422 naming the item otherwise).
    """
    current = {sid: mid for sid, (mid, _) in current_values(session, run.id).items()}
    stored = []
    for index, item in enumerate(values):
        earlier = current.get(item.subtask_id)
        if reason_required and earlier is not None and item.reason is None:
            prefix = f"Item {index}: " if numbered else ""
            raise Unprocessable(f"{prefix}subtask {item.subtask_id} already has a value in this run "
                                f"(measurement {earlier}); give a reason to replace it")
        row = insert_value(session, run, specs[item.subtask_id], item.value, item.input_method, measured_by,
                           supersedes_id=earlier, reason=item.reason if earlier is not None else None,
                           gross_error_confirmed=item.gross_error_confirmed, gauge_code=item.gauge_code)
        current[item.subtask_id] = row.id
        stored.append(row)
    return stored


def derive_status(session: Session, run: Run, specs: dict[int, Characteristic]) -> tuple[str | None, list[int]]:
    """(status from the latest values, missing subtask ids); status None when nothing was measured."""
    current = current_values(session, run.id)
    missing = [sid for sid in specs if sid not in current]
    judgments = [judgment for sid, (_, judgment) in current.items() if sid in specs]
    return (worst(judgments) if judgments else None), missing
