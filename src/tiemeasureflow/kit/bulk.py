"""Rows straight to the driver: executemany on SQLite, COPY on PostgreSQL.

For the write paths where SQLAlchemy's per-row parameter work would cost more than the
database's own (request batches, imports, generated history). The row layout comes from the
table's SQLAlchemy definition (`Layout`), and every value reaches the driver through the bind
processor of its column's type for the session's dialect, so a bulk row is stored exactly as the
ORM stores it (SQLite's datetime and UUID text included). Statements beyond a plain insert (an
upsert) are SQLAlchemy statements compiled once per dialect (`execute_many`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from itertools import repeat
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
from sqlalchemy import Column, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

Processor = Callable[[Any], Any]
Row = tuple[Any, ...]


def _identity(value: Any) -> Any:
    return value


def _database_fills(column: Column[Any]) -> bool:
    """A column only the database writes (a server-side value and no client default), e.g. `xid`."""
    return column.default is None and column.server_default is not None


class Layout:
    """The columns a bulk write of one table fills, in row order: every column the database does not fill itself."""

    def __init__(self, table: Table, leave_out: Iterable[str] = ()):
        skipped = set(leave_out)
        self.table = table
        self.columns: tuple[Column[Any], ...] = tuple(
            c for c in table.columns if c.name not in skipped and not _database_fills(c))
        self.names = tuple(c.name for c in self.columns)
        # What the ORM inserts for an attribute never set: the column's scalar default, else NULL.
        self.defaults = tuple(getattr(c.default, "arg", None) if c.default is not None and c.default.is_scalar
                              else None for c in self.columns)
        self.insert = table.insert()

    def processors(self, dialect: Dialect) -> tuple[Processor, ...]:
        """Per column, SQLAlchemy's conversion of a Python value to what this dialect's driver stores."""
        # The dialect's own implementation of the type, as SQLAlchemy binds it (SQLite's DATETIME text).
        return tuple(c.type.dialect_impl(dialect).bind_processor(dialect) or _identity for c in self.columns)

    def rows(self, session: Session, items: Iterable[Mapping[str, Any]]) -> list[Row]:
        """Mappings (extra keys ignored, a missing column takes its default) as driver rows in layout order."""
        columns = list(zip(self.names, self.defaults, self.processors(session.get_bind().dialect), strict=True))
        return [tuple(convert(item.get(name, default)) for name, default, convert in columns) for item in items]

    def from_columns(self, session: Session, count: int, values: Mapping[str, Any]) -> list[Row]:
        """`count` driver rows from whole columns: a list or array holds one value per row, anything else
        is every row's value; a missing column takes its default. Naive-UTC datetime64 arrays are welcome."""
        dialect = session.get_bind().dialect
        columns: list[Iterable[Any]] = []
        for name, default, convert in zip(self.names, self.defaults, self.processors(dialect), strict=True):
            value = values.get(name, default)
            if isinstance(value, np.ndarray) and value.dtype.kind == "M":
                columns.append(_times(value, convert))
            elif isinstance(value, list | np.ndarray):
                given = value.tolist() if isinstance(value, np.ndarray) else value
                columns.append(given if convert is _identity else list(map(convert, given)))
            else:
                columns.append(repeat(convert(value), count))
        return list(zip(*columns, strict=True))  # a column of another length is an error


# Datetime arrays rendered by numpy at once, used only where SQLAlchemy's own processor gives the
# same for the probes below (one by one it would cost more than the insert at millions of rows).
_PROBES = np.array(["2024-01-02T03:04:05.000006", "1999-12-31T23:59:59", "2030-06-15T12:00:00.999999"],
                   dtype="datetime64[us]")


def _as_datetimes(stamps: np.ndarray) -> list[Any]:
    return list(stamps.tolist())


def _as_iso_text(stamps: np.ndarray) -> list[Any]:
    text = np.datetime_as_string(stamps, unit="us")
    if len(text):  # "T" becomes a space in numpy's own buffer (four bytes a character)
        text.view(np.uint32).reshape(len(text), -1)[:, 10] = ord(" ")
    return list(text.tolist())


def _times(stamps: np.ndarray, convert: Processor) -> list[Any]:
    """Naive-UTC datetime64 values as `convert` (SQLAlchemy's processor, which takes aware UTC) renders them."""
    stamps = stamps.astype("datetime64[us]").ravel()
    expected = [convert(t.replace(tzinfo=UTC)) for t in _PROBES.tolist()]
    for render in (_as_datetimes, _as_iso_text):
        if render(_PROBES) == expected:
            return render(stamps)
    return [convert(t.replace(tzinfo=UTC)) for t in stamps.tolist()]


@lru_cache(maxsize=64)
def _compiled(statement: Insert, dialect: Dialect, names: tuple[str, ...]) -> tuple[str, tuple[int, ...] | None]:
    """The statement's SQL for this dialect and, for positional parameters, which row position fills each."""
    compiled = statement.compile(dialect=dialect, column_keys=list(names), for_executemany=True)
    order = tuple(names.index(n) for n in compiled.positiontup or ()) if compiled.positional else None
    return compiled.string, order


def execute_many(session: Session, statement: Insert, layout: Layout, rows: list[Row]) -> None:
    """Run an insert statement (an upsert) once per driver row of `layout`, compiled once per dialect."""
    if not rows:
        return
    sql, order = _compiled(statement, session.get_bind().dialect, layout.names)
    params: list[Any] = ([tuple(row[i] for i in order) for row in rows] if order is not None
                         else [dict(zip(layout.names, row, strict=True)) for row in rows])
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, params)
    finally:
        cursor.close()


def copy_rows(session: Session, layout: Layout, rows: list[Row], into: str | None = None) -> None:
    """Insert driver rows of `layout` (from `Layout.rows` / `from_columns`) the fastest way the driver offers.

    `into` names another table with the layout's columns (PostgreSQL only: a staging table).
    """
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        if into is not None:
            raise ValueError("copying into another table is for PostgreSQL")
        execute_many(session, layout.insert, layout, rows)
        return
    dbapi: Any = session.connection().connection.driver_connection
    table = into or layout.table.name
    types = _column_types(dbapi, table)
    # Binary: the driver packs numbers and times instead of printing them (about 4x less work).
    with dbapi.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(layout.names)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([types[name] for name in layout.names])
        for row in rows:
            copy.write_row(row)


# Per driver connection, each table's column types (binary COPY needs them): read once, not per write.
_TYPES: WeakKeyDictionary[Any, dict[str, dict[str, int]]] = WeakKeyDictionary()


def _column_types(dbapi: Any, table: str) -> dict[str, int]:
    """PostgreSQL type oid of each column of `table`, as this connection sees it."""
    known = _TYPES.setdefault(dbapi, {})
    if table not in known:
        known[table] = dict(dbapi.execute(
            "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
            "AND NOT attisdropped", (table,)).fetchall())
    return known[table]


def utc_stamp(value: datetime) -> np.datetime64:
    """An aware datetime as the naive-UTC datetime64 `Layout.from_columns` takes."""
    return np.datetime64(value.astimezone(UTC).replace(tzinfo=None), "us")
