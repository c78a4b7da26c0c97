"""Following committed rows in commit order, with no lock that serialises their writers.

On PostgreSQL each followed row stores the id of the transaction that wrote it (`xid`). Every
transaction below the horizon (`pg_snapshot_xmin(pg_current_snapshot())`, see PG_HORIZON) has finished, so a row
with an xid below it is visible now or never will be. A follower that reads rows in (xid, id)
order up to the horizon and remembers the last (xid, id) it took therefore sees every committed
row exactly once, whatever order the writers committed in. SQLite has one writer at a time: its
rows keep xid 0, and (0, id) order is id order, which is commit order there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, literal, select, text, tuple_
from sqlalchemy.orm import Session

# Above any transaction id: on SQLite every committed row is behind the horizon.
OPEN_HORIZON = 2**62
START = (0, 0)

Position = tuple[int, int]


# pg_snapshot_xmin(pg_current_snapshot()), narrowed to this database: transaction ids are
# cluster-wide, and a long transaction in another database (a bulk load, a report) writes none
# of our rows, so it must not hold our followers back. A transaction whose database cannot be
# seen (another role's, one that just ended) still counts: the horizon only errs on the safe side.
PG_HORIZON = text("""
WITH snap AS (SELECT pg_current_snapshot() AS s),
elsewhere AS (
    SELECT backend_xid::text AS xid FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL
      AND datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database()))
SELECT COALESCE(
    (SELECT min(x::text::bigint) FROM snap, pg_snapshot_xip(snap.s) AS x
     WHERE (x::text::bigint % 4294967296)::text NOT IN (SELECT xid FROM elsewhere)),
    (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap))
""")


def horizon(session: Session) -> int:
    """The xid below which every transaction that can write our rows has finished (committed or rolled back)."""
    if session.get_bind().dialect.name != "postgresql":
        return OPEN_HORIZON
    return int(session.scalar(PG_HORIZON))


def after(table: Any, position: Position, limit: int) -> ColumnElement[bool]:
    """Rows past the position and behind the horizon; read them ordered by `order(table)`."""
    return and_(tuple_(table.xid, table.id) > tuple_(literal(position[0]), literal(position[1])), table.xid < limit)


def order(table: Any) -> tuple[Any, Any]:
    """The order followers read rows in."""
    return table.xid, table.id


def up_to(table: Any, position: Position) -> ColumnElement[bool]:
    """Rows at or before the position (what a follower has taken)."""
    return tuple_(table.xid, table.id) <= tuple_(literal(position[0]), literal(position[1]))


def covers(position: Position, xid: int | None, row_id: int) -> bool:
    """Whether a row with this xid and id is at or before the position; an unknown xid is not."""
    return xid is not None and (xid, row_id) <= position


def newest(session: Session, table: Any, limit: int) -> Position:
    """The position of the last row behind the horizon (where a new follower starts)."""
    row = session.execute(select(table.xid, table.id).where(table.xid < limit)
                          .order_by(table.xid.desc(), table.id.desc()).limit(1)).first()
    return (row.xid, row.id) if row else START


def position_of(session: Session, table: Any, row_id: int) -> Position:
    """The position of a stored row by its id ((0, id) when it is gone)."""
    xid = session.scalar(select(table.xid).where(table.id == row_id))
    return (xid or 0, row_id)
