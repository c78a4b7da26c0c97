"""The tested-device index: every new run counts an attempt for its (part number, serial)."""

from __future__ import annotations

from sqlalchemy import case, column, select, table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..kit.bulk import copy_rows, execute_many
from ..models import Run, TestedDut
from .layouts import DEVICES


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


def _upsert(stmt):
    """The device upsert of one dialect's insert: a device's attempts add up, its latest run stays the newest one."""
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
    )


# Built once per dialect: executed with many rows it stays one cached statement. Bulk loads on
# SQLite run the same statement through the driver (`kit.bulk.execute_many`), the ORM's with the
# new counts returned.
_BULK_UPSERTS = {"postgresql": _upsert(pg_insert(TestedDut.__table__)),
                 "sqlite": _upsert(sqlite_insert(TestedDut.__table__))}
_UPSERTS = {name: stmt.returning(TestedDut.__table__.c.part_number, TestedDut.__table__.c.serial_number,
                                 TestedDut.__table__.c.attempt_count)
            for name, stmt in _BULK_UPSERTS.items()}
# PostgreSQL's bulk loads copy the rows into a staging table and upsert them in one statement: one
# round trip and one plan instead of one per device.
STAGING = "tmf_device_load"
_STAGED = table(STAGING, *(column(name) for name in DEVICES.names))
_STAGED_UPSERT = _upsert(pg_insert(TestedDut.__table__).from_select(list(DEVICES.names), select(*_STAGED.c)))


def upsert_devices(session: Session, devices: list[tuple]) -> None:
    """Fold bulk-loaded runs (driver rows of `layouts.DEVICES`, in run order) into the index."""
    part, serial = DEVICES.names.index("part_number"), DEVICES.names.index("serial_number")
    latest = list({(row[part], row[serial]): row for row in devices}.values())  # a retest replaces its first run
    if session.get_bind().dialect.name != "postgresql":
        execute_many(session, _BULK_UPSERTS[session.get_bind().dialect.name], DEVICES, latest)
        return
    if not latest:
        return
    session.execute(text(f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} ON COMMIT DROP AS "
                         f"SELECT {', '.join(DEVICES.names)} FROM tested_duts WITH NO DATA"))
    copy_rows(session, DEVICES, latest, into=STAGING)
    session.execute(_STAGED_UPSERT)
    session.execute(text(f"DELETE FROM {STAGING}"))  # emptied for the next chunk of the same load
