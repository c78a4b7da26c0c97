"""Bulk inserts of generated history: runs, measurements and the tested-device index.

Rows go straight to the driver in the layouts of `runs.layouts` (see `tiemeasureflow.kit.bulk`): the ORM's per-row work would cost
more than the database's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, DropIndex

from ..kit.bulk import copy_rows
from ..models import Measurement, Run, TestedDut
from ..runs.dut_index import upsert_devices
from ..runs.layouts import MEASUREMENTS, RUNS

LOAD_CACHE_KIB = 128 * 1024
LOAD_SORT_MEMORY = "256MB"
# The reference check of corrections looks values up by supersedes_id while they are loaded.
KEPT_ON_POSTGRES = {"ix_measurements_supersedes"}


def next_measurement_id(session: Session) -> int:
    """The first free measurement id (generated rows carry explicit ids so corrections can point at them)."""
    return (session.scalar(select(func.max(Measurement.id))) or 0) + 1


def insert_history(session: Session, runs: list[tuple], measurements: list[tuple], devices: list[tuple]) -> None:
    """Insert runs, then their measurements, then count the devices' attempts.

    Each is a list of driver rows of its `runs.layouts` layout; `devices` in run order.
    """
    copy_rows(session, RUNS, runs)
    copy_rows(session, MEASUREMENTS, measurements)
    upsert_devices(session, devices)


@contextmanager
def history_load(session: Session, planned_measurements: float) -> Iterator[None]:
    """Load runs, measurements and devices without their secondary indexes, rebuilt at the end of the same transaction.

    Worth it when the load is at least as big as the table. DDL is transactional on SQLite and
    PostgreSQL, so a failure before the commit rolls back to the indexed tables. SQLite takes the
    definitions from the models, which the migrations match; PostgreSQL re-creates each index as
    the database states it (partitioned measurements differ from the models, see
    migrations/partitions.py), keeps the one its reference check reads, and checks the foreign
    keys once at the end instead of row by row.
    """
    existing = next_measurement_id(session) - 1
    postgres = session.get_bind().dialect.name == "postgresql"
    drops, creates = [], []
    if planned_measurements >= existing:
        for table in (Measurement.__table__, Run.__table__, TestedDut.__table__):
            present = {i["name"] for i in inspect(session.connection()).get_indexes(table.name)}
            for index in (i for i in table.indexes if i.name in present):
                if not postgres:
                    drops.append(DropIndex(index))
                    creates.append((index.name, CreateIndex(index)))
                elif index.name not in KEPT_ON_POSTGRES:
                    drops.append(text(f"DROP INDEX {index.name}"))
                    definition = session.scalar(text("SELECT pg_get_indexdef(CAST(:n AS regclass))"), {"n": index.name})
                    # A partitioned table's index is stated ON ONLY the parent; re-created on every partition.
                    creates.append((index.name, text(definition.replace(" ON ONLY ", " ON ", 1))))
    keys = _foreign_keys(session) if postgres and drops else []
    for statement in drops + [text(f"ALTER TABLE {table} DROP CONSTRAINT {name}") for table, name, _ in keys]:
        session.execute(statement)
    with _sqlite_cache(session):
        yield
        if postgres and creates:
            # Each index is one sort of the loaded rows: in memory, not in temporary files (this transaction only).
            session.execute(text(f"SET LOCAL maintenance_work_mem = '{LOAD_SORT_MEMORY}'"))
        for _, statement in sorted(creates, key=lambda c: c[0]):
            session.execute(statement)
        for table, name, definition in keys:
            session.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"))


def _foreign_keys(session: Session) -> list[tuple[str, str, str]]:
    """PostgreSQL: the loaded tables' foreign keys as (table, name, definition), to check once after the load.

    Checked row by row they cost the database more than the insert itself; added back, each is one
    join over the whole table (PostgreSQL's advice for populating a database). The partitions'
    copies of a key follow their parent's.
    """
    tables = [t.name for t in (Measurement.__table__, Run.__table__, TestedDut.__table__)]
    return [tuple(row) for row in session.execute(text(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conparentid = 0 AND conrelid::regclass::text = ANY(:tables) ORDER BY 1, 2"),
        {"tables": tables})]


@contextmanager
def _sqlite_cache(session: Session) -> Iterator[None]:
    """A bigger SQLite page cache while loading: fewer spills, faster index sorts; restored after."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    # On the driver's connection, so restoring it cannot trip over a failed SQLAlchemy transaction.
    connection = session.connection().connection.driver_connection
    before = connection.execute("PRAGMA cache_size").fetchone()[0]
    connection.execute(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA cache_size={int(before)}")


def fix_sequences(session: Session) -> None:
    """After explicit ids, move PostgreSQL's sequence past them (SQLite needs nothing)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(
            "SELECT setval(pg_get_serial_sequence('measurements', 'id'), (SELECT COALESCE(MAX(id), 1) FROM measurements))"
        ))


def analyze(session: Session) -> None:
    """PostgreSQL: fresh planner statistics for the loaded tables.

    Autovacuum never analyses a partitioned parent and reaches new partitions only later; until
    then the planner guesses, and a correction anti-join over millions of rows may fall back to a
    plan that rescans the subquery for each row. SQLite needs nothing.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE measurements, runs, tested_duts"))
