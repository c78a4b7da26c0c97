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
    for part, serial, total in add_attempts(session, rows):
        group = devices[(part, serial)]
        for position, run in enumerate(group, start=total - len(group) + 1):
            run.attempt = position


def add_attempts(session: Session, rows: list[dict]) -> list[tuple[str, str, int]]:
    """Add `attempt_count` attempts to each device row (one row per device); returns (part, serial, total)."""
    return session.execute(_UPSERTS[session.get_bind().dialect.name], rows).all()


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
