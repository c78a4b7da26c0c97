"""Bulk inserts of generated history: runs, measurements and the tested-device index, in chunks.

Rows go straight to the driver (see `tiemeasureflow.bulk`): the ORM's per-row work would cost
more than the database's own.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..bulk import MEASUREMENT_COLUMNS, RUN_COLUMNS, copy_rows
from ..models import Measurement
from ..runs.dut_index import add_attempts

def next_measurement_id(session: Session) -> int:
    """The first free measurement id (generated rows carry explicit ids so corrections can point at them)."""
    return (session.scalar(select(func.max(Measurement.id))) or 0) + 1


def insert_history(session: Session, runs: list[tuple], measurements: list[tuple], duts: dict) -> None:
    """Insert runs, then their measurements, then fold the devices' attempts into the index."""
    copy_rows(session, "runs", RUN_COLUMNS, runs)
    copy_rows(session, "measurements", MEASUREMENT_COLUMNS, measurements)
    if duts:
        add_attempts(session, [
            {"part_number": part, "serial_number": serial, "last_run_id": run_id, "last_started_at": started,
             "attempt_count": count} for (part, serial), (count, run_id, started) in duts.items()])


def fix_sequences(session: Session) -> None:
    """After explicit ids, move PostgreSQL's sequence past them (SQLite needs nothing)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(
            "SELECT setval(pg_get_serial_sequence('measurements', 'id'), (SELECT COALESCE(MAX(id), 1) FROM measurements))"
        ))
