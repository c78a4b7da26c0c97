"""Alarms raised on characteristics, the assignable-cause catalog, and each alarm's acknowledgement."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime, utcnow

ALARM_KINDS = ("tolerance", "rule", "capability")
ALARM_STATUSES = ("open", "acknowledged")
CHARACTERISTIC_CLASSES = ("critical", "major", "minor")


class Alarm(Base):
    """One detected problem on a characteristic, open until someone acknowledges it with a cause."""

    __tablename__ = "alarms"
    __table_args__ = (
        Index("ix_alarms_status_detected", "status", "detected_at"),
        Index("ix_alarms_char_status", "characteristic_id", "kind", "status"),
        Index("ix_alarms_station_recipe_status", "station_id", "recipe_id", "status"),
        Index("ix_alarms_detected", "detected_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open")
    rule: Mapped[str | None] = mapped_column(String(50))
    message: Mapped[str] = mapped_column(Text, default="")
    recipe_id: Mapped[int | None] = mapped_column(ForeignKey("recipes.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("recipe_versions.id"))
    subtask_id: Mapped[int | None] = mapped_column(ForeignKey("subtasks.id"))
    characteristic_id: Mapped[int] = mapped_column(ForeignKey("characteristics.id"))
    measurement_id: Mapped[int | None] = mapped_column(BigIntPK)
    measurement_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    value: Mapped[float | None] = mapped_column(Float)
    run_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id", ondelete="SET NULL"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cpk: Mapped[float | None] = mapped_column(Float)
    cpk_target: Mapped[float | None] = mapped_column(Float)
    limits: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cause_code: Mapped[str | None] = mapped_column(String(50))
    action: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class AssignableCause(Base):
    """A reason an alarm may be closed with; the admin maintains the catalog."""

    __tablename__ = "assignable_causes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
