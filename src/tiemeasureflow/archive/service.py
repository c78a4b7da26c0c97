"""Archive closed months of measurements to a verified file and remove them; restore such a file.

A run leaves with its values only when it is closed before the cutoff: finished (not in progress)
and every value of it, corrections and superseded values too, measured before the cutoff. So a
correction chain never straddles an archive, and a report over an archived period comes back
identical after restore. A run other tables point at (its device's latest run, a HardPy report, an
FAI) stays in the database; only its values move.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from ..audit.service import record
from ..kit.errors import BadRequest, Conflict
from ..measurements.partitions import create_ahead, existing
from ..models import Archive, ArchivedRun, Base, Measurement, Run
from ..models.archive import REMOVING
from ..models.partitioning import months_between, partition_month
from . import package

MEASUREMENTS, RUNS = Measurement.__table__, Run.__table__
KEYS = {"runs": "id", "measurements": "id"}


def month_start(day: date) -> datetime:
    """Midnight UTC of the first day of the day's month."""
    return datetime(day.year, day.month, 1, tzinfo=UTC)


def check_cutoff(before: date, today: date) -> datetime:
    """The cutoff of whole closed months before `before`; refuses the future, the open month and mid-month dates."""
    this_month = month_start(today)
    next_month = month_start(date(today.year + today.month // 12, today.month % 12 + 1, 1))
    if before > next_month.date():
        raise BadRequest(f"{before} is in the future: only closed months can be archived")
    if before > this_month.date():
        raise BadRequest(f"{before} reaches into {this_month:%Y-%m}, the current month, which is still open: "
                         f"the latest cutoff today is {this_month:%Y-%m-%d}")
    if before.day != 1:
        raise BadRequest(f"archives hold whole months: give the first day of a month "
                         f"({month_start(before):%Y-%m-%d} archives everything before {month_start(before):%Y-%m})")
    return month_start(before)


def _referencing_columns() -> list[sa.Column]:
    """Every column outside measurements that points at a run (those runs stay in the database)."""
    return [fk.parent for table in Base.metadata.tables.values() if table is not MEASUREMENTS
            for fk in table.foreign_keys if fk.column is RUNS.c.id]


def _selection(session: Session, cutoff: datetime) -> sa.Table:
    """A temporary table of the runs closed before the cutoff, each marked removable or kept."""
    chosen = sa.Table("tmf_archive_runs", sa.MetaData(), sa.Column("id", sa.Uuid, primary_key=True),
                      sa.Column("removable", sa.Boolean, nullable=False), prefixes=["TEMPORARY"])
    conn = session.connection()
    chosen.drop(conn, checkfirst=True)
    chosen.create(conn)
    later = aliased(Measurement)
    referenced = sa.or_(*(exists().where(column == Run.id) for column in _referencing_columns()))
    closed = (select(Run.id, sa.not_(referenced))
              .where(Run.status != "in_progress", func.coalesce(Run.finished_at, Run.started_at) < cutoff,
                     exists().where(Measurement.run_id == Run.id),
                     ~exists().where(later.run_id == Run.id, later.measured_at >= cutoff)))
    session.execute(insert(chosen).from_select(["id", "removable"], closed))
    return chosen


def _batches(session: Session, statement) -> list:
    result = session.execute(statement.execution_options(yield_per=package.BATCH_ROWS))
    yield from result.partitions()


@dataclass
class Written:
    """An archive file written and verified, not yet applied to the database."""

    path: Path
    sha256: str
    period_from: datetime
    runs: int
    measurements: int
    kept_runs: int
    digests: dict[str, str]


def write_archive(session: Session, cutoff: datetime, folder: Path, work: Path) -> Written | None:
    """Export the closed runs' values (and the removable runs) to a file, then re-read and verify it; None: nothing."""
    chosen = _selection(session, cutoff)
    first = session.scalar(select(func.min(Measurement.measured_at)).where(Measurement.run_id.in_(select(chosen.c.id))))
    if first is None:
        return None
    kept = session.scalar(select(func.count()).select_from(chosen).where(~chosen.c.removable))
    runs = package.write_part(work, RUNS, _batches(session, select(RUNS).where(
        RUNS.c.id.in_(select(chosen.c.id).where(chosen.c.removable))).order_by(RUNS.c.id)))
    values = package.write_part(work, MEASUREMENTS, _batches(session, select(MEASUREMENTS).where(
        MEASUREMENTS.c.run_id.in_(select(chosen.c.id))).order_by(MEASUREMENTS.c.id)))
    period_from = month_start(first.date())
    created = datetime.now(UTC)
    target = folder / f"tmf-archive-{period_from:%Y-%m}-to-{cutoff:%Y-%m}-{created:%Y%m%dT%H%M%SZ}.tar"
    revision = session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    manifest = {"created_at": created.isoformat(), "schema_revision": revision, "kept_runs": kept,
                "period": {"from": period_from.isoformat(), "before": cutoff.isoformat()}}
    sha256 = package.pack(target, [runs, values], manifest)
    expected = {"runs": runs.ids, "measurements": values.ids}
    try:
        opened = package.open_verified(target, KEYS)
        if opened.sha256 != sha256 or opened.ids != expected:
            raise package.DamagedArchive("the file read back differs from the rows written")
    except package.DamagedArchive:
        package.discard(target)  # nothing is removed; leave no file that looks like an archive
        raise
    chosen.drop(session.connection())
    return Written(target, sha256, period_from, runs.rows, values.rows, kept, expected)


def remove_archived(session: Session, cutoff: datetime, written: Written) -> Archive:
    """Delete exactly the archived rows (one transaction, through the removal gate) and record it."""
    chosen = _selection(session, cutoff)
    gate = Archive(file_name=written.path.name, sha256=written.sha256, period_from=written.period_from,
                   period_before=cutoff, measurements=written.measurements, runs=written.runs, state=REMOVING,
                   archived_at=datetime.now(UTC))
    session.add(gate)
    session.flush()
    session.execute(insert(ArchivedRun).from_select(
        ["run_id", "archive_id"], select(chosen.c.id, sa.literal(gate.id)).where(chosen.c.removable)))
    removed_values = _remove_measurements(session, chosen, cutoff)
    removed_runs = session.execute(delete(Run).where(
        Run.id.in_(select(chosen.c.id).where(chosen.c.removable)))).rowcount
    if (removed_values, removed_runs) != (written.measurements, written.runs):
        raise Conflict(f"the period changed while it was archived ({removed_values} values and {removed_runs} "
                       f"runs now, {written.measurements} and {written.runs} in the file): nothing was removed; "
                       "run the archive again")
    gate.state = "archived"
    chosen.drop(session.connection())
    record(session, None, "archive", "archive", gate.id, new=_audited(gate, written.kept_runs))
    session.flush()
    return gate


def _remove_measurements(session: Session, chosen: sa.Table, cutoff: datetime) -> int:
    """Delete the chosen runs' values; the count is checked against the file by the caller."""
    dropped = _drop_whole_months(session, chosen, cutoff)
    return dropped + session.execute(delete(Measurement).where(Measurement.run_id.in_(select(chosen.c.id)))).rowcount


def _drop_whole_months(session: Session, chosen: sa.Table, cutoff: datetime) -> int:
    """PostgreSQL: detach and drop each month partition before the cutoff whose every value is archived.

    Dropping a month takes no time whatever its size and leaves no dead rows to vacuum, where
    deleting it row by row would write every row twice more (WAL and the deletion). A month that
    also holds a value of a kept run is deleted from row by row like the SQLite table.
    """
    dropped = 0
    for partition in existing(session):
        month = partition_month(partition.name)
        if month is None or month >= cutoff.date():
            continue
        total, archived = session.execute(sa.text(
            f'SELECT count(*), count(*) FILTER (WHERE run_id IN (SELECT id FROM "{chosen.name}")) '
            f'FROM "{partition.name}"')).one()
        if total == 0 or total != archived:
            continue
        session.execute(sa.text(f'ALTER TABLE measurements DETACH PARTITION "{partition.name}"'))
        session.execute(sa.text(f'DROP TABLE "{partition.name}"'))
        dropped += total
    return dropped


def _audited(archive: Archive, kept_runs: int) -> dict:
    return {"file": archive.file_name, "sha256": archive.sha256, "period_from": archive.period_from.isoformat(),
            "period_before": archive.period_before.isoformat(), "measurements": archive.measurements,
            "runs": archive.runs, "kept_runs": kept_runs}


def restore(session: Session, path: Path) -> Archive:
    """Verify the file and bring its runs and values back with their ids, times and transaction ids."""
    try:
        opened = package.open_verified(path, KEYS)
    except package.DamagedArchive as exc:
        raise BadRequest(f"{path.name} is damaged, nothing restored: {exc}") from None
    archive = session.scalar(select(Archive).where(Archive.sha256 == opened.sha256))
    if archive is None:
        raise BadRequest(f"{path.name} does not match the checksum of any archive of this database "
                         f"(SHA-256 {opened.sha256}): it was altered, or comes from another database; nothing restored")
    if archive.state == "restored":
        raise Conflict(f"{path.name} was already restored on {archive.restored_at:%Y-%m-%d %H:%M} UTC: "
                       "its rows are in the database; nothing restored")
    tables = opened.manifest["tables"]
    for table in (RUNS, MEASUREMENTS):
        missing = {c["name"] for c in tables[table.name]["columns"]} - set(table.columns.keys())
        if missing:
            raise BadRequest(f"{path.name} has {table.name} columns this database lacks: {sorted(missing)}")
        if table is MEASUREMENTS:
            # The archived months get their partitions back (PostgreSQL), so the values do not land in the default.
            create_ahead(session, archive.period_from.date(), months_between(archive.period_from, archive.period_before))
        _insert_part(session, path, table, tables[table.name]["file"])
    session.execute(delete(ArchivedRun).where(ArchivedRun.archive_id == archive.id))
    session.execute(update(Archive).where(Archive.id == archive.id)
                    .values(state="restored", restored_at=datetime.now(UTC)))
    session.refresh(archive)
    record(session, None, "restore", "archive", archive.id,
           new=_audited(archive, opened.manifest.get("kept_runs", 0)))
    session.flush()
    return archive


def _insert_part(session: Session, path: Path, table: sa.Table, file_name: str) -> None:
    convert = {c.name: uuid.UUID for c in table.columns if isinstance(c.type, sa.Uuid)}
    for rows in package.read_rows(path, file_name, convert):
        session.execute(insert(table), rows)

