"""Database-level guards that make the measurements table insert-only.

Any migration that rebuilds the measurements table (SQLite batch mode does) must call
`create_measurement_immutability` again afterwards: dropping a table drops its triggers.
"""

from __future__ import annotations

import sqlalchemy as sa

SQLITE_TRIGGERS = {
    "measurements_no_update": "BEFORE UPDATE",
    "measurements_no_delete": "BEFORE DELETE",
}


def create_measurement_immutability(conn: sa.Connection) -> None:
    """Install triggers that refuse UPDATE and DELETE on measurements."""
    if conn.dialect.name == "sqlite":
        for name, timing in SQLITE_TRIGGERS.items():
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {name} {timing} ON measurements "
                "BEGIN SELECT RAISE(ABORT, 'measurements are insert-only'); END"
            )
        return
    conn.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION measurements_insert_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'measurements are insert-only'; END; $$ LANGUAGE plpgsql"
    )
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS measurements_no_change ON measurements")
    conn.exec_driver_sql(
        "CREATE TRIGGER measurements_no_change BEFORE UPDATE OR DELETE ON measurements "
        "FOR EACH ROW EXECUTE FUNCTION measurements_insert_only()"
    )


def drop_measurement_immutability(conn: sa.Connection) -> None:
    """Remove the triggers (only for downgrades)."""
    if conn.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        return
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS measurements_no_change ON measurements")
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS measurements_insert_only()")
