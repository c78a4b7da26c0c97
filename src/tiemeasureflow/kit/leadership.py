"""One process of a deployment at a time: a PostgreSQL session advisory lock tried, never waited for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, func, select

# Advisory keys of the deployment-wide background duties ("tmf" + a letter).
CSV_SYNC_LOCK = 0x746D6663
PARTITIONS_LOCK = 0x746D6670


@contextmanager
def leading(engine: Engine, key: int) -> Iterator[bool]:
    """Yield whether this process holds the duty for the block; SQLite deployments are one host, always True.

    The lock lives on its own connection for the whole block: a process that dies loses it with
    its connection, and another takes over at its next pass.
    """
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        got = bool(conn.scalar(select(func.pg_try_advisory_lock(key))))
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.scalar(select(func.pg_advisory_unlock(key)))
                conn.commit()
