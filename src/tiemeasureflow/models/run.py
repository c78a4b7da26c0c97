"""Runs: one part measured on one recipe version at one station, or one uploaded HardPy report."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from ..kit.vocabulary import RunStatus
from .base import Base, UTCDateTime, utcnow


class Run(Base):
    """One operator measuring one part (serial, lot), or one HardPy report."""

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_started", "started_at", "id"),
        Index("ix_runs_part_serial", "part_number", "serial_number", "started_at"),
        Index("ix_runs_recipe_serial", "recipe_id", "serial_number", "attempt"),
        Index("ix_runs_operator_open", "operator_id", "status"),
        Index("ix_runs_version_started", "version_id", "started_at"),
        Index("ix_runs_station_started", "station_id", "started_at"),
        Index("ix_runs_status_started", "status", "started_at"),
        # The public API's filters, each with its start-time order.
        Index("ix_runs_part_started", "part_number", "started_at"),
        Index("ix_runs_serial_started", "serial_number", "started_at"),
        Index("ix_runs_lot_started", "lot_number", "started_at"),
        Index("ix_runs_attempt_started", "attempt", "started_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    source: Mapped[str] = mapped_column(String(20), default="station")
    recipe_id: Mapped[int | None] = mapped_column(ForeignKey("recipes.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("recipe_versions.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id", ondelete="SET NULL"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Denormalised for the public API: recipe code (or DUT part number) and serial.
    part_number: Mapped[str] = mapped_column(String(255))
    serial_number: Mapped[str] = mapped_column(String(255))
    lot_number: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.IN_PROGRESS.value)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Opened implicitly by POST /api/measurements/: finishes itself once every characteristic has a value.
    auto_finish: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The newest measurement a finished run's re-derived verdict rests on: the database lets a
    # finished verdict change only together with a newer value (a correction) of the run.
    verdict_basis: Mapped[int | None] = mapped_column(BigInteger)


class TestedDut(Base):
    """One device (part number + serial): its latest run and how many runs it has had."""

    __tablename__ = "tested_duts"
    __table_args__ = (
        UniqueConstraint("part_number", "serial_number"),
        Index("ix_tested_duts_last_started", "last_started_at", "id"),
        Index("ix_tested_duts_attempts", "attempt_count", "last_started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    part_number: Mapped[str] = mapped_column(String(255))
    serial_number: Mapped[str] = mapped_column(String(255))
    last_run_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("runs.id"))
    last_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempt_count: Mapped[int] = mapped_column(Integer, default=1)
