"""The gauge register, calibration records, characteristic gauge rules and MSA studies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

GAUGE_STATUSES = ("in_service", "out_for_calibration", "retired", "blocked")
CALIBRATION_RESULTS = ("pass", "adjusted", "fail")
STUDY_KINDS = ("grr_crossed", "type1", "linearity")


class Gauge(Base):
    """A measuring instrument of the shop; its code (the asset tag) is immutable."""

    __tablename__ = "gauges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(50))
    resolution: Mapped[float | None] = mapped_column(Float)
    range_min: Mapped[float | None] = mapped_column(Float)
    range_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(255))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id", ondelete="SET NULL"))
    calibration_interval_days: Mapped[int | None] = mapped_column(Integer)
    last_calibrated_on: Mapped[date | None] = mapped_column(Date)
    last_calibration_result: Mapped[str | None] = mapped_column(String(20))
    next_due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), default="in_service")
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    calibrations: Mapped[list[GaugeCalibration]] = relationship(
        back_populates="gauge", order_by="[GaugeCalibration.calibrated_on.desc(), GaugeCalibration.id.desc()]")


class GaugeCalibration(Base):
    """One calibration of a gauge: when, the result, the certificate and who recorded it."""

    __tablename__ = "gauge_calibrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gauge_id: Mapped[int] = mapped_column(ForeignKey("gauges.id"), index=True)
    calibrated_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(20))
    certificate_number: Mapped[str | None] = mapped_column(String(255))
    certificate_file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    performed_by: Mapped[str | None] = mapped_column(String(255))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gauge: Mapped[Gauge] = relationship(back_populates="calibrations")


class CharacteristicGaugeRule(Base):
    """Whether a characteristic must be measured with a gauge, and of which kinds."""

    __tablename__ = "characteristic_gauge_rules"

    characteristic_id: Mapped[int] = mapped_column(ForeignKey("characteristics.id"), primary_key=True)
    gauge_required: Mapped[bool] = mapped_column(Boolean, default=False)
    allowed_kinds: Mapped[list[str] | None] = mapped_column(JSON)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MsaStudy(Base):
    """A gauge study: its set-up, the readings (entered at once or one by one) and its results."""

    __tablename__ = "msa_studies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="finished")
    gauge_code: Mapped[str | None] = mapped_column(String(100), index=True)
    recipe_id: Mapped[int | None] = mapped_column(ForeignKey("recipes.id"))
    subtask_id: Mapped[int | None] = mapped_column(ForeignKey("subtasks.id"))
    tolerance: Mapped[float | None] = mapped_column(Float)
    reference: Mapped[float | None] = mapped_column(Float)
    process_variation: Mapped[float | None] = mapped_column(Float)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    readings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
