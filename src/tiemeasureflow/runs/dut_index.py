"""The tested-device index: every new run counts an attempt for its (part number, serial)."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import Run, TestedDut


def note_run(session: Session, run: Run) -> int:
    """Count the run as its device's next attempt; sets and returns `run.attempt`.

    One atomic upsert, so concurrent first runs of the same serial cannot both be attempt 1.
    Call it once per run, right after the run row is flushed.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(TestedDut).values(
        part_number=run.part_number, serial_number=run.serial_number, last_run_id=run.id,
        last_started_at=run.started_at, attempt_count=1,
    )
    excluded = stmt.excluded
    newer = excluded.last_started_at >= TestedDut.last_started_at
    stmt = stmt.on_conflict_do_update(
        index_elements=["part_number", "serial_number"],
        set_={
            "attempt_count": TestedDut.attempt_count + 1,
            # An upload that arrives late (a stand was offline) does not displace a newer run.
            "last_run_id": case((newer, excluded.last_run_id), else_=TestedDut.last_run_id),
            "last_started_at": case((newer, excluded.last_started_at), else_=TestedDut.last_started_at),
        },
    ).returning(TestedDut.attempt_count)
    run.attempt = session.execute(stmt).scalar_one()
    return run.attempt
