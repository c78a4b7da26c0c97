"""Monthly partitions of measurements on PostgreSQL, made ahead by the server and by `tmf maintain`.

The partitions themselves are made by the database function `tmf_measurement_partitions`
(migrations/partitions.py), which moves values already caught by the default partition into
their new month. SQLite has one plain table: everything here is a no-op there.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from ..kit.db import unit_of_work
from ..kit.leadership import PARTITIONS_LOCK, leading
from ..kit.periodic import PeriodicThread, running
from ..models.partitioning import DEFAULT_PARTITION, MONTHS_AHEAD, partitioned

# How often the server checks that the coming months have their partitions.
CHECK_INTERVAL_S = 3600
# The server gives up a pass rather than queue writers behind its table lock (it retries next pass).
SERVER_LOCK_TIMEOUT = "2s"


@dataclass(frozen=True)
class Partition:
    """One partition: its name, its range as PostgreSQL states it, and its rows."""

    name: str
    bounds: str
    rows: int
    exact: bool


def current_month() -> date:
    """The first day of the current UTC month."""
    return datetime.now(UTC).date().replace(day=1)


def create_ahead(session: Session, first_month: date, months: int) -> list[str]:
    """Create the missing monthly partitions of `months` months from `first_month`; returns the new ones."""
    if not partitioned(session.connection()):
        return []
    return list(session.scalars(text("SELECT tmf_measurement_partitions(:first, :months)"),
                                {"first": first_month, "months": months}))


def existing(session: Session) -> list[Partition]:
    """The partitions in range order, the default last; rows estimated (exact for the default)."""
    if not partitioned(session.connection()):
        return []
    rows = session.execute(text(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'measurements'::regclass ORDER BY c.relname"))
    found = []
    for name, bounds, estimate in rows:
        if name == DEFAULT_PARTITION:
            caught = session.scalar(text(f"SELECT count(*) FROM {DEFAULT_PARTITION}"))
            found.append(Partition(name, bounds, caught, True))
        else:
            found.append(Partition(name, bounds, max(estimate, 0), False))
    return sorted(found, key=lambda p: p.name == DEFAULT_PARTITION)


def keep_ahead(factory: sessionmaker[Session]) -> list[str]:
    """The server's pass: the current month and the next ones get their partitions, once per deployment."""
    engine = factory.kw["bind"]
    if engine.dialect.name != "postgresql":
        return []
    with leading(engine, PARTITIONS_LOCK) as leader:
        if not leader:
            return []
        with unit_of_work(factory) as session:
            session.execute(text(f"SET LOCAL lock_timeout = '{SERVER_LOCK_TIMEOUT}'"))
            return create_ahead(session, current_month(), MONTHS_AHEAD + 1)


@asynccontextmanager
async def partitions_lifespan(app):
    """Keep partitions ahead for the server's lifetime: at start, then every hour."""
    keeper = None
    if app.state.engine.dialect.name == "postgresql":
        keeper = PeriodicThread("partitions", CHECK_INTERVAL_S, partial(keep_ahead, app.state.sessionmaker))
    async with running(keeper):
        yield
