"""The tested-device index: every new run counts an attempt for its (part number, serial)."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import Run, TestedDut


def note_run(session: Session, run: Run) -> int:
    """Count the run as its device's next attempt; sets and returns `run.attempt`."""
    note_runs(session, [run])
    return run.attempt


def note_runs(session: Session, runs: list) -> None:
    """Count each run (ORM or plain row) as its device's next attempt, in list order; sets `attempt`.

    One atomic upsert for all of them, so concurrent first runs of the same serial cannot both be
    attempt 1. Call it right after the run rows are inserted (the index points at them).
    """
    devices: dict[tuple, list[Run]] = {}
    for run in runs:
        devices.setdefault((run.part_number, run.serial_number), []).append(run)
    # A device appears once per statement (PostgreSQL refuses to update a row twice in one
    # upsert): its runs in this call are added together and numbered below.
    rows = [{"part_number": part, "serial_number": serial, "last_run_id": group[-1].id,
             "last_started_at": group[-1].started_at, "attempt_count": len(group)}
            for (part, serial), group in devices.items()]
    for part, serial, total in session.execute(_UPSERTS[session.get_bind().dialect.name], rows):
        group = devices[(part, serial)]
        for position, run in enumerate(group, start=total - len(group) + 1):
            run.attempt = position


def _upsert(insert):
    """The device upsert of one dialect, built once: executed with many rows it stays one cached statement."""
    stmt = insert(TestedDut.__table__)
    excluded = stmt.excluded
    table = TestedDut.__table__.c
    newer = excluded.last_started_at >= table.last_started_at
    return stmt.on_conflict_do_update(
        index_elements=["part_number", "serial_number"],
        set_={
            "attempt_count": table.attempt_count + excluded.attempt_count,
            # An upload that arrives late (a stand was offline) does not displace a newer run.
            "last_run_id": case((newer, excluded.last_run_id), else_=table.last_run_id),
            "last_started_at": case((newer, excluded.last_started_at), else_=table.last_started_at),
        },
    ).returning(table.part_number, table.serial_number, table.attempt_count)


_UPSERTS = {"postgresql": _upsert(pg_insert), "sqlite": _upsert(sqlite_insert)}

# The same rule as plain SQL for bulk loads, run by the driver's executemany (no RETURNING needed;
# the text works on SQLite and PostgreSQL). Kept beside `_upsert` so a change reaches both.
_DEVICE_UPSERT = (
    "INSERT INTO tested_duts (part_number, serial_number, last_run_id, last_started_at, attempt_count) "
    "VALUES ({marks}) ON CONFLICT (part_number, serial_number) DO UPDATE SET "
    "attempt_count = tested_duts.attempt_count + excluded.attempt_count, "
    "last_run_id = CASE WHEN excluded.last_started_at >= tested_duts.last_started_at "
    "THEN excluded.last_run_id ELSE tested_duts.last_run_id END, "
    "last_started_at = CASE WHEN excluded.last_started_at >= tested_duts.last_started_at "
    "THEN excluded.last_started_at ELSE tested_duts.last_started_at END"
)


def upsert_devices(session: Session, devices: list[tuple]) -> None:
    """Fold bulk-loaded runs (part, serial, run id, started at, attempts; driver forms) into the index."""
    if not devices:
        return
    latest: dict[tuple, tuple] = {}
    for part, serial, run_id, started, attempts in devices:  # a retest replaces its first run
        latest[(part, serial)] = (part, serial, run_id, started, attempts)
    postgres = session.get_bind().dialect.name == "postgresql"
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.executemany(_DEVICE_UPSERT.format(marks=", ".join(["%s" if postgres else "?"] * 5)),
                           list(latest.values()))
    finally:
        cursor.close()
