"""The bulk load rebuilds the indexes it set aside, and a failed load leaves the tables as they were."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tiemeasureflow.demodata.history import Options
from tiemeasureflow.demodata.seed import seed
from tiemeasureflow.kit.db import make_engine

from ..fixtures.app import make_settings
from ..fixtures.database import USING_POSTGRES
from .support import demo_data

TABLES = ("measurements", "runs", "tested_duts")


def _indexes(database_url: str) -> dict[str, list[tuple]]:
    """Each loaded table's indexes and foreign keys (the load sets both aside on PostgreSQL)."""
    engine = make_engine(database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            found = {table: sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                   for i in inspector.get_indexes(table)) for table in TABLES}
            for table in TABLES:
                found[table] += sorted((k["name"] or "", tuple(k["constrained_columns"]), k["referred_table"])
                                       for k in inspector.get_foreign_keys(table))
            return found
    finally:
        engine.dispose()


def _count(database_url: str, table: str) -> int:
    engine = make_engine(database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text(f"SELECT COUNT(*) FROM {table}"))
    finally:
        engine.dispose()


def test_after_a_load_the_indexes_are_those_of_the_migrations(database_url, tmp_path):
    migrated = _indexes(database_url)
    # 13 indexes (the last added: ix_measurements_corrections) and the foreign keys to the run, plan and user
    assert sum(isinstance(entry[2], bool) for entry in migrated["measurements"]) == 13
    assert {entry[2] for entry in migrated["measurements"]} >= {"runs", "subtasks", "users"}
    demo_data(database_url, tmp_path, 5)
    assert _indexes(database_url) == migrated
    demo_data(database_url, tmp_path, 6)  # a second load into a table that already has rows
    assert _indexes(database_url) == migrated


class Interrupted(Exception):
    """Stands for a crash in the middle of the load."""


def test_a_load_that_fails_halfway_rolls_back_to_the_indexed_tables(database_url, tmp_path):
    migrated = _indexes(database_url)
    written = []

    def fail_after_a_chunk(count: int) -> None:
        written.append(count)
        raise Interrupted

    with pytest.raises(Interrupted):
        seed(make_settings(database_url, tmp_path), Options(days=10, seed=5, runs=6000), progress=fail_after_a_chunk)
    assert written  # rows had reached the database when it failed
    assert _indexes(database_url) == migrated
    assert _count(database_url, "measurements") == 0 and _count(database_url, "runs") == 0
    assert _count(database_url, "tested_duts") == 0
    demo_data(database_url, tmp_path, 5)  # and the database takes a complete load afterwards
    assert _count(database_url, "measurements") > 0


if USING_POSTGRES:  # SQLite keeps one table: the tests above cover its indexes
    def test_on_postgresql_history_lands_in_its_months_with_every_index_on_every_partition(database_url, tmp_path):
        demo_data(database_url, tmp_path, 5)
        engine = make_engine(database_url, poolclass=sa.NullPool)
        try:
            with engine.connect() as conn:
                months = conn.scalars(sa.text(
                    "SELECT DISTINCT tableoid::regclass::text FROM measurements")).all()
                assert months and all(m.startswith("measurements_p") for m in months), months
                partitions = conn.scalars(sa.text(
                    "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'measurements'::regclass")).all()
                per_partition = dict(conn.execute(sa.text(
                    "SELECT indrelid::regclass::text, count(*) FILTER (WHERE indisvalid) FROM pg_index "
                    "WHERE indrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'measurements'::regclass) "
                    "GROUP BY 1")).all())
                assert conn.scalar(sa.text("SELECT bool_and(indisvalid) FROM pg_index "
                                           "WHERE indrelid = 'measurements'::regclass"))
        finally:
            engine.dispose()
        assert per_partition == {p: 14 for p in partitions}  # 13 indexes and the primary key
