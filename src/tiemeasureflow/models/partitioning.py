"""The layout of the measurements partitions on PostgreSQL, shared by migrations and the server."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

PARENT = "measurements"
DEFAULT_PARTITION = "measurements_default"
PARTITION_NAME = re.compile(r"^measurements_(p\d{6}|default)$")
# Months created ahead of the current one by the migration, the server and `tmf maintain`.
MONTHS_AHEAD = 3


def partition_month(name: str) -> date | None:
    """The first day of a month partition's month (`measurements_p202601`); None for the default or another table."""
    match = re.fullmatch(r"measurements_p(\d{4})(\d{2})", name)
    return date(int(match[1]), int(match[2]), 1) if match else None


def months_between(first: date, before: date) -> int:
    """How many months from the month of `first` up to the month of `before` (not included)."""
    return (before.year - first.year) * 12 + before.month - first.month


def is_partition(name: str) -> bool:
    """Whether a table name is one of the measurements partitions (not a table of the models)."""
    return bool(PARTITION_NAME.match(name))


def partitioned(conn: sa.Connection) -> bool:
    """Whether the measurements table is a partitioned parent (PostgreSQL after the conversion)."""
    if conn.dialect.name != "postgresql":
        return False
    return conn.exec_driver_sql("SELECT relkind FROM pg_class WHERE oid = 'measurements'::regclass").scalar() == "p"
