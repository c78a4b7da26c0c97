"""Rows straight to the driver: executemany on SQLite, COPY on PostgreSQL.

For the write paths where SQLAlchemy's per-row parameter work would cost more than the
database's own (request batches, generated history). Rows are tuples in column order, with
UUIDs and datetimes already in the form the driver stores (`formats_for`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

RUN_COLUMNS = ("id", "source", "recipe_id", "version_id", "station_id", "operator_id", "part_number",
               "serial_number", "lot_number", "status", "attempt", "started_at", "finished_at", "auto_finish")
MEASUREMENT_COLUMNS = ("id", "run_id", "subtask_id", "version_id", "characteristic_id", "measured_by", "value",
                       "pass_fail", "deviation", "lot_number", "serial_number", "input_method", "measured_at",
                       "supersedes_id", "correction_reason")


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_time(value: datetime) -> str:
    # The text form SQLAlchemy's SQLite DateTime stores (naive UTC, always with microseconds);
    # isoformat is several times faster than strftime, which matters at millions of rows.
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _identity(value: Any) -> Any:
    return value


def _uuid_hex(value: uuid.UUID) -> str:
    return value.hex


@dataclass(frozen=True)
class Formats:
    """How the driver wants UUIDs and datetimes, so rows are built ready to insert."""

    uuid: Callable[[uuid.UUID], object]
    time: Callable[[datetime], object]


_POSTGRES = Formats(uuid=_identity, time=_naive_utc)
_SQLITE = Formats(uuid=_uuid_hex, time=_sqlite_time)


def formats_for(session: Session) -> Formats:
    """The value formats of the session's database."""
    return _POSTGRES if session.get_bind().dialect.name == "postgresql" else _SQLITE


def copy_rows(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows (tuples in `columns` order, values in `formats_for` form) the fastest way the driver offers."""
    if not rows:
        return
    dbapi: Any = session.connection().connection.driver_connection
    if session.get_bind().dialect.name == "postgresql":
        with dbapi.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    cur = dbapi.cursor()
    cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    cur.close()


def as_tuples(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...], fmt: Formats,
              uuid_columns: tuple[str, ...] = (),
              time_columns: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Mapping rows as tuples in `columns` order, their UUIDs and datetimes in the driver's form."""
    convert = {c: fmt.uuid for c in uuid_columns} | {c: fmt.time for c in time_columns}
    return [tuple(convert[c](row[c]) if c in convert and row[c] is not None else row[c] for c in columns)
            for row in rows]
