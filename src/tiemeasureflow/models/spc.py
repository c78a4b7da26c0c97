"""SPC settings of a characteristic: frozen control limit sets and its run-rule configuration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class ControlLimitSet(Base):
    """Control limits frozen from a baseline; the newest set of a chart kind and subgroup size is the active one.

    Sets are never changed or deleted: a new set replaces the active one and the older ones are its history.
    """

    __tablename__ = "control_limit_sets"
    __table_args__ = (Index("ix_control_limit_sets_char_chart", "characteristic_id", "chart", "subgroup_size", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    characteristic_id: Mapped[int] = mapped_column(ForeignKey("characteristics.id"))
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id"))
    subtask_id: Mapped[int] = mapped_column(ForeignKey("subtasks.id"))
    chart: Mapped[str] = mapped_column(String(16))
    subgroup_size: Mapped[int] = mapped_column(Integer)
    center: Mapped[float] = mapped_column(Float)
    ucl: Mapped[float | None] = mapped_column(Float)
    lcl: Mapped[float | None] = mapped_column(Float)
    sigma: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    secondary_center: Mapped[float | None] = mapped_column(Float)
    secondary_ucl: Mapped[float | None] = mapped_column(Float)
    secondary_lcl: Mapped[float | None] = mapped_column(Float)
    constants: Mapped[str] = mapped_column(String(10), default="exact")
    baseline: Mapped[dict[str, Any]] = mapped_column(JSON)
    values_used: Mapped[int] = mapped_column(Integer)
    subgroups_used: Mapped[int] = mapped_column(Integer)
    first_measurement_id: Mapped[int | None] = mapped_column(BigInteger)
    last_measurement_id: Mapped[int | None] = mapped_column(BigInteger)
    exclusions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RuleConfig(Base):
    """The run rules a characteristic's primary chart applies: the set, the rules switched on, their K values."""

    __tablename__ = "rule_configs"

    characteristic_id: Mapped[int] = mapped_column(ForeignKey("characteristics.id"), primary_key=True)
    rule_set: Mapped[str] = mapped_column(String(10))
    enabled: Mapped[list[int]] = mapped_column(JSON)
    k_values: Mapped[dict[str, float]] = mapped_column(JSON)
    secondary_rules: Mapped[list[int]] = mapped_column(JSON)
    # An EWMA or CUSUM chart whose signals raise alarms beside the run rules (None: none).
    drift_chart: Mapped[str | None] = mapped_column(String(10))
    drift_parameters: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
