"""part: on PostgreSQL measurements become a table partitioned by month of measured_at

The rows move into monthly partitions (one per month that holds values, the current month and
the next ones) plus a default partition that takes any other time. The primary key becomes
(id, measured_at) and `supersedes_id` is checked by a trigger instead of a foreign key (see
migrations/partitions.py). SQLite keeps its plain table: nothing changes there.

Revision ID: 0016_part
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

from tiemeasureflow.migrations.immutability import create_measurement_immutability, drop_measurement_immutability
from tiemeasureflow.migrations.partitions import (
    DEFAULT_PARTITION,
    MONTHS_AHEAD,
    create_partition_functions,
    create_partition_maker,
    drop_partition_functions,
)
from tiemeasureflow.migrations.protection import create_protection

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

FOREIGN_KEYS = {
    "fk_measurements_characteristic_id_characteristics": ("characteristic_id", "characteristics"),
    "fk_measurements_measured_by_users": ("measured_by", "users"),
    "fk_measurements_run_id_runs": ("run_id", "runs"),
    "fk_measurements_subtask_id_subtasks": ("subtask_id", "subtasks"),
    "fk_measurements_version_id_recipe_versions": ("version_id", "recipe_versions"),
}
SUPERSEDES_FK = "fk_measurements_supersedes_id_measurements"
# Index name -> columns; on the partitioned table each is partition-local (one per partition).
INDEXES = {
    "ix_measurements_char_time": "characteristic_id, measured_at, id, value, version_id, pass_fail",
    "ix_measurements_version_time": "version_id, measured_at",
    "ix_measurements_subtask_time": "subtask_id, measured_at",
    "ix_measurements_measured_by_time": "measured_by, measured_at",
    "ix_measurements_pass_fail_time": "pass_fail, measured_at",
    "ix_measurements_serial": "serial_number, measured_at",
    "ix_measurements_lot": "lot_number, measured_at",
    "ix_measurements_measured_at": "measured_at",
    "ix_measurements_run": "run_id, subtask_id",
    "ix_measurements_supersedes": "supersedes_id",
    "ix_measurements_gauge_time": "gauge_code, measured_at",
    "ix_measurements_xid": "xid, id",
}


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    old = _set_aside(conn, "measurements_unpartitioned")
    conn.exec_driver_sql(f"CREATE TABLE measurements (LIKE {old} INCLUDING DEFAULTS) PARTITION BY RANGE (measured_at)")
    _own_sequence(conn, old)
    create_partition_maker(conn)
    conn.exec_driver_sql(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF measurements DEFAULT")
    months = conn.exec_driver_sql(f"SELECT DISTINCT date_trunc('month', measured_at)::date FROM {old}").scalars()
    for month in list(months):
        conn.execute(sa.text("SELECT count(*) FROM tmf_measurement_partitions(:m, 1)"), {"m": month})
    conn.execute(sa.text("SELECT count(*) FROM tmf_measurement_partitions("
                         "date_trunc('month', now() AT TIME ZONE 'UTC')::date, :n)"), {"n": MONTHS_AHEAD + 1})
    conn.exec_driver_sql(f"INSERT INTO measurements SELECT * FROM {old}")
    conn.exec_driver_sql(f"DROP TABLE {old}")
    conn.exec_driver_sql("ALTER TABLE measurements ADD CONSTRAINT pk_measurements PRIMARY KEY (id, measured_at)")
    _keys_and_indexes(conn, supersedes_fk=False)
    create_partition_functions(conn)
    create_measurement_immutability(conn)
    create_protection(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS measurements_supersedes_ref ON measurements")
    old = _set_aside(conn, "measurements_partitioned")
    conn.exec_driver_sql(f"CREATE TABLE measurements (LIKE {old} INCLUDING DEFAULTS)")
    _own_sequence(conn, old)
    conn.exec_driver_sql(f"INSERT INTO measurements SELECT * FROM {old}")
    conn.exec_driver_sql(f"DROP TABLE {old}")
    drop_partition_functions(conn)
    conn.exec_driver_sql("ALTER TABLE measurements ADD CONSTRAINT pk_measurements PRIMARY KEY (id)")
    _keys_and_indexes(conn, supersedes_fk=True)
    create_measurement_immutability(conn)
    create_protection(conn)


def _set_aside(conn: sa.Connection, name: str) -> str:
    """Rename the current table and free the names its keys and indexes hold; returns the new name."""
    drop_measurement_immutability(conn)
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS measurements_no_truncate ON measurements")
    conn.exec_driver_sql(f"ALTER TABLE measurements DROP CONSTRAINT IF EXISTS {SUPERSEDES_FK}")
    for index in INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")
    conn.exec_driver_sql("ALTER TABLE measurements DROP CONSTRAINT pk_measurements")
    conn.exec_driver_sql(f"ALTER TABLE measurements RENAME TO {name}")
    return name


def _own_sequence(conn: sa.Connection, old: str) -> None:
    """The id sequence moves to the new table (dropping the old one would drop it otherwise)."""
    sequence = conn.exec_driver_sql(f"SELECT pg_get_serial_sequence('{old}', 'id')").scalar()
    conn.exec_driver_sql(f"ALTER SEQUENCE {sequence} OWNED BY measurements.id")


def _keys_and_indexes(conn: sa.Connection, supersedes_fk: bool) -> None:
    for name, (column, target) in FOREIGN_KEYS.items():
        conn.exec_driver_sql(f"ALTER TABLE measurements ADD CONSTRAINT {name} FOREIGN KEY ({column}) "
                             f"REFERENCES {target} (id)")
    if supersedes_fk:
        conn.exec_driver_sql(f"ALTER TABLE measurements ADD CONSTRAINT {SUPERSEDES_FK} FOREIGN KEY (supersedes_id) "
                             "REFERENCES measurements (id)")
    for name, columns in INDEXES.items():
        unique = "UNIQUE " if supersedes_fk and name == "ix_measurements_supersedes" else ""
        conn.exec_driver_sql(f"CREATE {unique}INDEX {name} ON measurements ({columns})")
