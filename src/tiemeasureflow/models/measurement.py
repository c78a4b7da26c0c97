"""Measurements: insert-only; a correction is a new row that supersedes an older one."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime, utcnow


class Measurement(Base):
    """One value of one characteristic, judged against its own version's limits."""

    __tablename__ = "measurements"
    __table_args__ = (
        # Serves SPC: one characteristic's values in time order (ties by id), their versions and
        # judgments, without touching the table.
        Index("ix_measurements_char_time", "characteristic_id", "measured_at", "id", "value", "version_id", "pass_fail"),
        # Each list filter has an index that also yields rows in time order.
        Index("ix_measurements_version_time", "version_id", "measured_at"),
        Index("ix_measurements_subtask_time", "subtask_id", "measured_at"),
        Index("ix_measurements_measured_by_time", "measured_by", "measured_at"),
        Index("ix_measurements_pass_fail_time", "pass_fail", "measured_at"),
        Index("ix_measurements_serial", "serial_number", "measured_at"),
        Index("ix_measurements_lot", "lot_number", "measured_at"),
        Index("ix_measurements_measured_at", "measured_at"),
        # A run's values per characteristic (its latest value, its history).
        Index("ix_measurements_run", "run_id", "subtask_id"),
        # A measurement is superseded at most once: history is a chain, never a fork.
        Index("ix_measurements_supersedes", "supersedes_id", unique=True),
        # One characteristic's corrections only (a few of its values): what statistics leave out as
        # superseded, read without touching the values or the other characteristics' corrections; with
        # the correction's own id, for the statistics' snapshot bound.
        Index("ix_measurements_corrections", "characteristic_id", "supersedes_id", "id",
              postgresql_where=text("supersedes_id IS NOT NULL"), sqlite_where=text("supersedes_id IS NOT NULL")),
        # Statistics and exports filtered by gauge.
        Index("ix_measurements_gauge_time", "gauge_code", "measured_at"),
        # Followers of new rows (CSV sync, alarm detection) read in commit order.
        Index("ix_measurements_xid", "xid", "id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    run_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("runs.id"))
    subtask_id: Mapped[int] = mapped_column(ForeignKey("subtasks.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("recipe_versions.id"))
    characteristic_id: Mapped[int] = mapped_column(ForeignKey("characteristics.id"))
    measured_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    value: Mapped[float] = mapped_column(Float)
    pass_fail: Mapped[str] = mapped_column(String(10))
    deviation: Mapped[float | None] = mapped_column(Float)
    lot_number: Mapped[str | None] = mapped_column(String(255))
    serial_number: Mapped[str | None] = mapped_column(String(255))
    input_method: Mapped[str] = mapped_column(String(20), default="manual")
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    supersedes_id: Mapped[int | None] = mapped_column(BigIntPK, ForeignKey("measurements.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)
    # The operator confirmed a value far outside the tolerance (the station's gross-error check).
    gross_error_confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The asset tag of the gauge the value was taken with (the register checks it at write time).
    gauge_code: Mapped[str | None] = mapped_column(String(100))
    # The writing transaction's id on PostgreSQL (0 on SQLite): followers read in (xid, id) order (kit/watermark.py).
    xid: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue(), nullable=False)


class CsvSyncCursor(Base):
    """How far the CSV sync file has got: every measurement at or before (last_xid, last_id) is in it."""

    __tablename__ = "csv_sync_cursor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
    last_xid: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
