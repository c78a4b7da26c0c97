"""PostgreSQL: measurements partitioned by month of `measured_at`, and the guards that go with it.

A partitioned table's unique keys must contain the partition key, so the primary key is
(id, measured_at) and `supersedes_id` cannot be a foreign key: a trigger refuses a reference to a
measurement that does not exist, or to one that is already superseded (history is a chain).
Partitions are made by `tmf_measurement_partitions`, a function owned by the schema owner, so the
application role (which owns nothing) can create months ahead without any right to alter tables.
SQLite keeps one plain table with its foreign key and unique index.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..models.partitioning import DEFAULT_PARTITION, MONTHS_AHEAD, PARENT, is_partition, partitioned

__all__ = ["DEFAULT_PARTITION", "MONTHS_AHEAD", "PARENT", "is_partition", "partitioned"]

# Advisory class of the lock the reference check takes (two-key form).
SUPERSEDES_LOCK_CLASS = 0x746D6672
# The check locks one of this many keys per referenced value. A lock per value would be held per
# correction until commit, and a bulk load of millions of values (tens of thousands of corrections
# in one transaction) would run PostgreSQL's shared lock table out of room. Two corrections that
# share a key merely take turns.
SUPERSEDES_LOCK_KEYS = 1024
SUPERSEDES_LOCK_KEY = f"hashint8(NEW.supersedes_id) & {SUPERSEDES_LOCK_KEYS - 1}"

# Makes the missing months among `months` months from `first_month` and returns their names. A
# month whose values already landed in the default partition takes them along (the default is
# detached for the move, so its constraint never refuses the new range); the move deletes
# from the detached table only, whose row guard went with the detach.
PARTITIONS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION tmf_measurement_partitions(first_month date, months integer)
RETURNS SETOF text LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  m date; upto date; part text;
BEGIN
  FOR i IN 0 .. months - 1 LOOP
    m := (date_trunc('month', first_month) + make_interval(months => i))::date;
    upto := (m + interval '1 month')::date;
    part := 'measurements_p' || to_char(m, 'YYYYMM');
    CONTINUE WHEN to_regclass(part) IS NOT NULL;
    PERFORM 1 FROM {DEFAULT_PARTITION} WHERE measured_at >= m AND measured_at < upto LIMIT 1;
    IF FOUND THEN
      ALTER TABLE measurements DETACH PARTITION {DEFAULT_PARTITION};
      EXECUTE format('CREATE TABLE %I PARTITION OF measurements FOR VALUES FROM (%L) TO (%L)', part, m, upto);
      EXECUTE format('INSERT INTO %I SELECT * FROM {DEFAULT_PARTITION} WHERE measured_at >= %L AND measured_at < %L',
                     part, m, upto);
      ALTER TABLE {DEFAULT_PARTITION} DISABLE TRIGGER USER;
      DELETE FROM {DEFAULT_PARTITION} WHERE measured_at >= m AND measured_at < upto;
      ALTER TABLE {DEFAULT_PARTITION} ENABLE TRIGGER USER;
      ALTER TABLE measurements ATTACH PARTITION {DEFAULT_PARTITION} DEFAULT;
    ELSE
      EXECUTE format('CREATE TABLE %I PARTITION OF measurements FOR VALUES FROM (%L) TO (%L)', part, m, upto);
    END IF;
    -- TRUNCATE guards are statement triggers, which partitions do not inherit.
    EXECUTE format('CREATE TRIGGER measurements_no_truncate BEFORE TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION tmf_insert_only()', part);
    RETURN NEXT part;
  END LOOP;
END $$
"""

# Runs after each inserted row that supersedes another (AFTER, so COPY keeps its multi-row
# inserts); the reference's lock makes two writers of the same correction take turns, and the
# second sees the first's committed row.
SUPERSEDES_FUNCTION = """
CREATE OR REPLACE FUNCTION tmf_measurement_supersedes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({lock_class}, {lock_key});
  IF NOT EXISTS (SELECT 1 FROM measurements WHERE id = NEW.supersedes_id) THEN
    RAISE EXCEPTION 'measurement % supersedes measurement %, which does not exist', NEW.id, NEW.supersedes_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM measurements WHERE supersedes_id = NEW.supersedes_id AND id <> NEW.id) THEN
    RAISE EXCEPTION 'measurement % is already superseded', NEW.supersedes_id USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NULL;
END $$
"""


def create_partition_maker(conn: sa.Connection) -> None:
    """Install `tmf_measurement_partitions` (the driver reads % as a placeholder: doubled)."""
    conn.exec_driver_sql(PARTITIONS_FUNCTION.replace("%", "%%"))


def create_partition_functions(conn: sa.Connection) -> None:
    """Install the partition maker and the reference check with its trigger."""
    create_partition_maker(conn)
    create_supersedes_check(conn)
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS measurements_supersedes_ref ON measurements")
    conn.exec_driver_sql("CREATE TRIGGER measurements_supersedes_ref AFTER INSERT ON measurements FOR EACH ROW "
                         "WHEN (NEW.supersedes_id IS NOT NULL) EXECUTE FUNCTION tmf_measurement_supersedes()")


def create_supersedes_check(conn: sa.Connection, lock_key: str = SUPERSEDES_LOCK_KEY) -> None:
    """Install (or replace) the reference check's function, locking `lock_key` (SQL of NEW.supersedes_id)."""
    function = SUPERSEDES_FUNCTION.format(lock_class=SUPERSEDES_LOCK_CLASS, lock_key=lock_key)
    conn.exec_driver_sql(function.replace("%", "%%"))


def drop_partition_functions(conn: sa.Connection) -> None:
    """Remove them (only for downgrades)."""
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS measurements_supersedes_ref ON measurements")
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS tmf_measurement_supersedes()")
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS tmf_measurement_partitions(date, integer)")


def partition_names(conn: sa.Connection) -> list[str]:
    """The partitions of measurements (PostgreSQL), by name."""
    return list(conn.exec_driver_sql(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'measurements'::regclass ORDER BY c.relname").scalars())


def guard_partitions(conn: sa.Connection) -> None:
    """Refuse TRUNCATE on every existing partition (statement triggers are not inherited)."""
    for name in partition_names(conn):
        conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS measurements_no_truncate ON "{name}"')
        conn.exec_driver_sql(f'CREATE TRIGGER measurements_no_truncate BEFORE TRUNCATE ON "{name}" '
                             "FOR EACH STATEMENT EXECUTE FUNCTION tmf_insert_only()")


def unguard_partitions(conn: sa.Connection) -> None:
    """Remove the partitions' TRUNCATE guards (only for downgrades, before their function goes)."""
    for name in partition_names(conn):
        conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS measurements_no_truncate ON "{name}"')
