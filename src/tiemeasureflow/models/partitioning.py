"""The layout of the measurements partitions on PostgreSQL, shared by migrations and the server."""

from __future__ import annotations

import re

import sqlalchemy as sa

PARENT = "measurements"
DEFAULT_PARTITION = "measurements_default"
PARTITION_NAME = re.compile(r"^measurements_(p\d{6}|default)$")
# Months created ahead of the current one by the migration, the server and `tmf maintain`.
MONTHS_AHEAD = 3


def is_partition(name: str) -> bool:
    """Whether a table name is one of the measurements partitions (not a table of the models)."""
    return bool(PARTITION_NAME.match(name))


def partitioned(conn: sa.Connection) -> bool:
    """Whether the measurements table is a partitioned parent (PostgreSQL after the conversion)."""
    if conn.dialect.name != "postgresql":
        return False
    return conn.exec_driver_sql("SELECT relkind FROM pg_class WHERE oid = 'measurements'::regclass").scalar() == "p"
