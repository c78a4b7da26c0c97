"""PostgreSQL: the application role gets data access only; the schema owner keeps everything else.

A role that owns no table cannot TRUNCATE (not granted), disable or drop triggers, or alter tables,
so the insert-only guards hold against the server's own credentials.
"""

from __future__ import annotations

import sqlalchemy as sa


def grant_application_role(conn: sa.Connection, role: str) -> None:
    """Grant `role` reads and writes on every table (the triggers refuse what is not allowed)."""
    quoted = conn.dialect.identifier_preparer.quote(role)
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {quoted}")
    conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
    # The schema version is the owner's: the server only checks it.
    conn.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {quoted}")
    # Archives are the owner's too: a `removing` row is what lets the guards delete (tmf archive).
    if sa.inspect(conn).has_table("archives"):
        conn.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE ON archives, archived_runs FROM {quoted}")
