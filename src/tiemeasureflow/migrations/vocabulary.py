"""Database guards for the closed vocabularies the raw-driver bulk path writes past the ORM.

PostgreSQL gets CHECK constraints. SQLite gets triggers with the same condition: adding a CHECK
there means rebuilding `runs`, which many tables reference, and the rebuild's DROP fails with
foreign keys on (they cannot be turned off inside the migration's transaction). A migration that
rebuilds `runs` or `measurements` on SQLite calls `create_vocabulary_checks` again.
"""

from __future__ import annotations

import sqlalchemy as sa


def _in(column: str, allowed: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in allowed)})"


def create_vocabulary_checks(conn: sa.Connection, checks: dict[tuple[str, str], tuple[str, ...]]) -> None:
    """Refuse any value outside `allowed` in each (table, column) (NULL passes, as with CHECK)."""
    for (table, column), allowed in checks.items():
        name, condition = f"ck_{table}_{column}", _in(column, allowed)
        if conn.dialect.name != "sqlite":
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition})")
            continue
        message = f"{table}.{column} must be one of {', '.join(allowed)}"
        for op, event in (("insert", "INSERT"), ("update", f"UPDATE OF {column}")):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {name}_{op} BEFORE {event} ON {table} "
                f"WHEN NOT ({_in('NEW.' + column, allowed)}) "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END")


def drop_vocabulary_checks(conn: sa.Connection, columns: list[tuple[str, str]]) -> None:
    """Remove the guards (only for downgrades)."""
    for table, column in columns:
        name = f"ck_{table}_{column}"
        if conn.dialect.name != "sqlite":
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
            continue
        for op in ("insert", "update"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}_{op}")
