"""Bulk inserts of generated history: runs, measurements and the tested-device index, in chunks.

Rows go straight to the driver (executemany on SQLite, COPY on PostgreSQL): the ORM's
per-row work would cost more than the database's own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import Measurement, TestedDut

RUN_COLUMNS = ("id", "source", "recipe_id", "version_id", "station_id", "operator_id", "part_number",
               "serial_number", "lot_number", "status", "attempt", "started_at", "finished_at", "auto_finish")
MEASUREMENT_COLUMNS = ("id", "run_id", "subtask_id", "version_id", "characteristic_id", "measured_by", "value",
                       "pass_fail", "deviation", "lot_number", "serial_number", "input_method", "measured_at",
                       "supersedes_id", "correction_reason")


def next_measurement_id(session: Session) -> int:
    """The first free measurement id (generated rows carry explicit ids so corrections can point at them)."""
    return (session.scalar(select(func.max(Measurement.id))) or 0) + 1


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_time(value: datetime) -> str:
    # The text form SQLAlchemy's SQLite DateTime stores (naive UTC).
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(frozen=True)
class Formats:
    """How the driver wants UUIDs and datetimes, so rows are built ready to insert."""

    uuid: Callable[[uuid.UUID], object]
    time: Callable[[datetime], object]


def formats_for(session: Session) -> Formats:
    """The value formats of the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return Formats(uuid=lambda u: u, time=_naive_utc)
    return Formats(uuid=lambda u: u.hex, time=_sqlite_time)


def copy_rows(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows (tuples in `columns` order, values in `formats_for` form) the fastest way the driver offers."""
    if not rows:
        return
    dbapi = session.connection().connection.driver_connection
    if session.get_bind().dialect.name == "postgresql":
        with dbapi.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    cur = dbapi.cursor()
    cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    cur.close()


def insert_history(session: Session, runs: list[tuple], measurements: list[tuple], duts: dict) -> None:
    """Insert runs, then their measurements, then fold the devices' attempts into the index."""
    copy_rows(session, "runs", RUN_COLUMNS, runs)
    copy_rows(session, "measurements", MEASUREMENT_COLUMNS, measurements)
    if duts:
        _upsert_duts(session, duts)


def _upsert_duts(session: Session, duts: dict) -> None:
    dialect = session.get_bind().dialect.name
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(TestedDut)
    newer = stmt.excluded.last_started_at >= TestedDut.last_started_at
    stmt = stmt.on_conflict_do_update(
        index_elements=["part_number", "serial_number"],
        set_={
            "attempt_count": TestedDut.attempt_count + stmt.excluded.attempt_count,
            "last_run_id": case((newer, stmt.excluded.last_run_id), else_=TestedDut.last_run_id),
            "last_started_at": case((newer, stmt.excluded.last_started_at), else_=TestedDut.last_started_at),
        },
    )
    rows = [{"part_number": part, "serial_number": serial, "last_run_id": run_id, "last_started_at": started,
             "attempt_count": count} for (part, serial), (count, run_id, started) in duts.items()]
    session.execute(stmt, rows)


def fix_sequences(session: Session) -> None:
    """After explicit ids, move PostgreSQL's sequence past them (SQLite needs nothing)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(
            "SELECT setval(pg_get_serial_sequence('measurements', 'id'), (SELECT COALESCE(MAX(id), 1) FROM measurements))"
        ))
