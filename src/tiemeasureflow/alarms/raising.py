"""Alarms decided in the write transaction: values the request has just judged out of tolerance.

The rows are already in hand, so this costs one INSERT of alarms and one of events per request
that stored failed values, and nothing at all for a request whose values all passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..models import Alarm, utcnow
from ..notifications.outbox import emit_many


@dataclass(frozen=True)
class FailedValue:
    """A stored value judged fail, with the run it belongs to."""

    measurement_id: int
    subtask_id: int
    characteristic_id: int
    version_id: int
    value: float
    run_id: object
    recipe_id: int | None
    station_id: int | None
    operator_id: int | None


def _message(value: float) -> str:
    return f"Value {value:g} is out of tolerance"


def raise_tolerance_alarms(session: Session, failed: Iterable[FailedValue]) -> None:
    """One open alarm per failed value, and its alarm.raised event, in the caller's transaction."""
    items = list(failed)
    if not items:
        return
    now = utcnow()
    rows = [{
        "kind": "tolerance", "status": "open", "rule": None, "message": _message(f.value), "recipe_id": f.recipe_id,
        "version_id": f.version_id, "subtask_id": f.subtask_id, "characteristic_id": f.characteristic_id,
        "measurement_id": f.measurement_id, "measurement_ids": [f.measurement_id], "value": f.value,
        "run_id": f.run_id, "station_id": f.station_id, "operator_id": f.operator_id, "detected_at": now,
    } for f in items]
    ids = session.scalars(insert(Alarm).returning(Alarm.id, sort_by_parameter_order=True), rows).all()
    emit_many(session, "alarm.raised", [{"alarm_id": alarm_id} for alarm_id in ids])


def raise_for_rows(session: Session, run, rows: Iterable) -> None:
    """Tolerance alarms for the stored rows (ORM or plain) of one run that were judged fail."""
    raise_tolerance_alarms(session, [
        FailedValue(r.id, r.subtask_id, r.characteristic_id, r.version_id, r.value, run.id, run.recipe_id,
                    run.station_id, run.operator_id)
        for r in rows if r.pass_fail == "fail"
    ])


def note_failed_runs(session: Session, run_ids: Iterable) -> None:
    """A run.failed event for each run that just finished with status fail."""
    emit_many(session, "run.failed", [{"run_id": str(run_id)} for run_id in run_ids])
