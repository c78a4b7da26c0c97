"""Database guards beyond measurements: audit rows and HardPy reports insert-only, finished verdicts fixed.

PostgreSQL also refuses TRUNCATE on these tables and on measurements and each of its partitions
(statement triggers, which partitions do not inherit); an application role that owns nothing cannot
disable or drop any of them. A finished run may be deleted only inside an archiving transaction
(`immutability.removal_gate`), which takes it into an archive file.
"""

from __future__ import annotations

import sqlalchemy as sa

from .immutability import removal_gate
from .partitions import guard_partitions, partitioned, unguard_partitions

INSERT_ONLY = ("audit_events", "hardpy_reports", "hardpy_cases", "hardpy_measurements")
NO_TRUNCATE = ("measurements", "runs", *INSERT_ONLY)
# Columns of a finished run that never change; station_id may only become NULL (station deleted).
# attempt is numbered after a batch inserts its runs, in the same transaction.
RUN_FIXED = ("id", "source", "recipe_id", "version_id", "operator_id", "part_number", "serial_number",
             "lot_number", "started_at", "finished_at", "auto_finish")
# A finished verdict changes only with a newer value of the run (a correction) as its basis.
# The one change an audit row may see on PostgreSQL: the sealer linking it into the chain once
# (seq, prev_hash and hash from NULL to a value), every other column as it was written.
AUDIT_WRITTEN = ("id", "occurred_at", "actor_id", "actor_key_id", "action", "entity_type", "entity_id",
                 "old_values::text", "new_values::text", "client_ip", "content_hash", "xid")
AUDIT_SEAL_OK = ("OLD.seq IS NULL AND OLD.hash IS NULL AND OLD.prev_hash IS NULL AND NEW.seq IS NOT NULL "
                 "AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL AND "
                 + " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in AUDIT_WRITTEN))
VERDICT_OK = ("NEW.status = OLD.status OR (NEW.verdict_basis IS NOT NULL AND "
              "NEW.verdict_basis > COALESCE(OLD.verdict_basis, 0) AND "
              "NEW.verdict_basis = (SELECT MAX(id) FROM measurements WHERE run_id = NEW.id))")


def _run_change_refused(distinct: str) -> str:
    changed = " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in RUN_FIXED)
    return (f"OLD.status <> 'in_progress' AND ({changed} OR (NEW.station_id IS NOT NULL AND "
            f"NEW.station_id {distinct} OLD.station_id) OR NOT ({VERDICT_OK}))")


def create_protection(conn: sa.Connection) -> None:
    """Install the triggers."""
    gate = removal_gate(conn)
    # A finished run stays unless it leaves with an archive.
    kept = f" AND NOT {gate}" if gate else ""
    if conn.dialect.name == "sqlite":
        for table in INSERT_ONLY:
            for op in ("UPDATE", "DELETE"):
                conn.exec_driver_sql(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} are insert-only'); END")
        conn.exec_driver_sql(
            "CREATE TRIGGER IF NOT EXISTS runs_finished_no_update BEFORE UPDATE ON runs "
            f"WHEN {_run_change_refused('IS NOT')} "
            "BEGIN SELECT RAISE(ABORT, 'finished runs are fixed'); END")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS runs_finished_no_delete")
        conn.exec_driver_sql(
            "CREATE TRIGGER runs_finished_no_delete BEFORE DELETE ON runs "
            f"WHEN OLD.status <> 'in_progress'{kept} "
            "BEGIN SELECT RAISE(ABORT, 'finished runs are fixed'); END")
        return
    conn.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION tmf_insert_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION '%% are insert-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql")
    for table in INSERT_ONLY:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        conn.exec_driver_sql(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                             "FOR EACH ROW EXECUTE FUNCTION tmf_insert_only()")
    if _has_column(conn, "audit_events", "seq"):
        # Columns resolve when the trigger runs: install the sealing exception once they exist.
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION tmf_audit_sealed_once() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP = 'UPDATE' AND {AUDIT_SEAL_OK} THEN RETURN NEW; END IF; "
            "RAISE EXCEPTION '%% are insert-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        conn.exec_driver_sql("CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
                             "FOR EACH ROW EXECUTE FUNCTION tmf_audit_sealed_once()")
    for table in NO_TRUNCATE:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        conn.exec_driver_sql(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                             "FOR EACH STATEMENT EXECUTE FUNCTION tmf_insert_only()")
    if partitioned(conn):
        guard_partitions(conn)
    conn.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION tmf_runs_finished() RETURNS trigger AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN "
        f"  IF OLD.status <> 'in_progress'{kept} THEN RAISE EXCEPTION 'finished runs are fixed'; END IF; RETURN OLD; "
        "END IF; "
        f"IF {_run_change_refused('IS DISTINCT FROM')} THEN RAISE EXCEPTION 'finished runs are fixed'; END IF; "
        "RETURN NEW; END; $$ LANGUAGE plpgsql")
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS runs_finished_fixed ON runs")
    conn.exec_driver_sql("CREATE TRIGGER runs_finished_fixed BEFORE UPDATE OR DELETE ON runs "
                         "FOR EACH ROW EXECUTE FUNCTION tmf_runs_finished()")


def _has_column(conn: sa.Connection, table: str, column: str) -> bool:
    return column in {c["name"] for c in sa.inspect(conn).get_columns(table)}


def drop_protection(conn: sa.Connection) -> None:
    """Remove the triggers (only for downgrades)."""
    if conn.dialect.name == "sqlite":
        for table in INSERT_ONLY:
            for op in ("update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        for name in ("runs_finished_no_update", "runs_finished_no_delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        return
    for table in INSERT_ONLY:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
    for table in NO_TRUNCATE:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    if partitioned(conn):
        unguard_partitions(conn)
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS runs_finished_fixed ON runs")
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS tmf_runs_finished()")
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS tmf_insert_only()")
