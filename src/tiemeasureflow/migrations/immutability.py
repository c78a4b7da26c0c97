"""Database-level guards that make the measurements table insert-only.

Any migration that rebuilds the measurements table (SQLite batch mode does) must call
`create_measurement_immutability` again afterwards: dropping a table drops its triggers.
Once the `archives` table exists, DELETE is let through inside an archiving transaction only
(`removal_gate`): `tmf archive` is the one sanctioned removal.
"""

from __future__ import annotations

import sqlalchemy as sa

SQLITE_TRIGGERS = {
    "measurements_no_update": "BEFORE UPDATE",
    "measurements_no_delete": "BEFORE DELETE",
}


def removal_gate(conn: sa.Connection) -> str | None:
    """The SQL condition true only inside an archiving transaction, or None before archives exist.

    The `removing` row is written and moved on within `tmf archive`'s transaction, so no other
    session ever sees it. On PostgreSQL only the schema owner may write `archives` (migrations/roles.py)
    and the table is named with its schema, so the application role cannot open the gate, not even
    with a temporary table of the same name.
    """
    if not sa.inspect(conn).has_table("archives"):
        return None
    if conn.dialect.name == "sqlite":
        return "EXISTS (SELECT 1 FROM archives WHERE state = 'removing')"
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    quoted = conn.dialect.identifier_preparer.quote_schema(schema)
    return f"EXISTS (SELECT 1 FROM {quoted}.archives WHERE state = 'removing')"


def create_measurement_immutability(conn: sa.Connection) -> None:
    """Install triggers that refuse UPDATE and DELETE on measurements (DELETE passes the removal gate)."""
    gate = removal_gate(conn)
    if conn.dialect.name == "sqlite":
        for name, timing in SQLITE_TRIGGERS.items():
            when = f" WHEN NOT {gate}" if gate and timing == "BEFORE DELETE" else ""
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
            conn.exec_driver_sql(
                f"CREATE TRIGGER {name} {timing} ON measurements{when} "
                "BEGIN SELECT RAISE(ABORT, 'measurements are insert-only'); END"
            )
        return
    allow = f"IF TG_OP = 'DELETE' AND {gate} THEN RETURN OLD; END IF; " if gate else ""
    conn.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION measurements_insert_only() RETURNS trigger AS $$ "
        f"BEGIN {allow}RAISE EXCEPTION 'measurements are insert-only'; END; $$ LANGUAGE plpgsql"
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
