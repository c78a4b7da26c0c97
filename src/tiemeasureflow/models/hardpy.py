"""Uploaded HardPy reports: the original report, its stand and DUT data, its cases and their measurements."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime, utcnow


class HardpyReport(Base):
    """One uploaded report, attached to the run it became; the original JSON is kept whole."""

    __tablename__ = "hardpy_reports"
    __table_args__ = (
        Index("ix_hardpy_reports_stand_name", "stand_name"),
        Index("ix_hardpy_reports_stand_hw_id", "stand_hw_id"),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("runs.id"), primary_key=True)
    # Derived from the report's identity, so a stand's retry finds the run it already made.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    stand_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    report_id: Mapped[str | None] = mapped_column(String(255))
    test_plan_name: Mapped[str | None] = mapped_column(String(255))
    hardpy_status: Mapped[str] = mapped_column(String(20))
    stand_name: Mapped[str | None] = mapped_column(String(255))
    stand_hw_id: Mapped[str | None] = mapped_column(String(255))
    stand_info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dut_info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    artifact: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HardpyCase(Base):
    """One test case of a report (module::case), in report order."""

    __tablename__ = "hardpy_cases"
    __table_args__ = (Index("ix_hardpy_cases_run", "run_id", "position"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    run_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("runs.id"))
    position: Mapped[int] = mapped_column(Integer)
    module_id: Mapped[str] = mapped_column(String(255))
    module_name: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    group: Mapped[str | None] = mapped_column(String(20))
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    start_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stop_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assertion_msg: Mapped[str | None] = mapped_column(Text)
    msg: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    artifact: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class HardpyMeasurement(Base):
    """One numeric or string measurement of a case; fields HardPy may add later are kept in `extra`."""

    __tablename__ = "hardpy_measurements"
    __table_args__ = (Index("ix_hardpy_measurements_case", "case_id", "position"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigIntPK, ForeignKey("hardpy_cases.id"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str | None] = mapped_column(Text)
    value_number: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(50))
    operation: Mapped[str | None] = mapped_column(String(10))
    comparison_number: Mapped[float | None] = mapped_column(Float)
    comparison_text: Mapped[str | None] = mapped_column(Text)
    lower_limit: Mapped[float | None] = mapped_column(Float)
    upper_limit: Mapped[float | None] = mapped_column(Float)
    result: Mapped[bool | None] = mapped_column(Boolean)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RunDutInfo(Base):
    """One key of a run's `dut_info` as text, so the public API can filter on any key through an index."""

    __tablename__ = "run_dut_info"
    __table_args__ = (Index("ix_run_dut_info_key_value", "key", "value", "run_id"),)

    run_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("runs.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
