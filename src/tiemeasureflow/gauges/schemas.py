"""Gauge register payloads and responses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from ..kit.schemas import ID_MAX, OrmOutput, StrictInput

CODE_PATTERN = r"^[A-Za-z0-9._-]+$"
GaugeCode = Annotated[str, Field(min_length=1, max_length=100, pattern=CODE_PATTERN, examples=["CAL-017"])]
GaugeStatus = Literal["in_service", "out_for_calibration", "retired", "blocked"]
CalibrationResult = Literal["pass", "adjusted", "fail"]
# Lower-case words: "caliper", "micrometer", "bore gauge", "height gauge", "cmm program", ...
Kind = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9][a-z0-9 _.-]*$",
                            examples=["caliper"])]
Text255 = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[^\x00]*$")]
Notes = Annotated[str, Field(max_length=4000, pattern=r"^[^\x00]*$")]
Finite = Annotated[float, Field(allow_inf_nan=False)]


def _integral(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


Id = Annotated[int, Field(ge=1, le=ID_MAX), BeforeValidator(_integral)]
Interval = Annotated[int, Field(ge=1, le=3650), BeforeValidator(_integral)]


class _GaugeFields(StrictInput):
    name: Text255 | None = None
    kind: Kind | None = None
    resolution: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    range_min: Finite | None = None
    range_max: Finite | None = None
    unit: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[^\x00]*$")] | None = None
    location: Text255 | None = None
    station_id: Id | None = None
    calibration_interval_days: Interval | None = None
    last_calibrated_on: date | None = None
    last_calibration_result: CalibrationResult | None = None
    next_due_on: date | None = Field(None, description="Derived from the last calibration and the interval unless given")
    status: GaugeStatus | None = None
    notes: Notes | None = None


class GaugeCreate(_GaugeFields):
    """A new gauge: code, name and kind required."""

    code: GaugeCode
    name: Text255
    kind: Kind
    status: GaugeStatus = "in_service"


class GaugeUpdate(_GaugeFields):
    """Changed fields of a gauge (never its code); name, kind and status cannot be cleared."""

    name: Text255 = None
    kind: Kind = None
    status: GaugeStatus = None


class CalibrationCreate(StrictInput):
    """A calibration of the gauge: it moves the due date, and a failed one blocks the gauge."""

    calibrated_on: date
    result: CalibrationResult
    certificate_number: Text255 | None = None
    certificate_file_id: Id | None = Field(None, description="A file uploaded through /api/files")
    performed_by: Text255 | None = None
    notes: Notes | None = None


class CalibrationResponse(OrmOutput):
    """One calibration record."""

    id: int
    gauge_id: int
    calibrated_on: date
    result: str
    certificate_number: str | None
    certificate_file_id: int | None
    performed_by: str | None
    notes: str | None
    recorded_by: int | None
    recorded_at: datetime


class GaugeResponse(OrmOutput):
    """A gauge and whether values may be taken with it today."""

    id: int
    code: str
    name: str
    kind: str
    resolution: float | None
    range_min: float | None
    range_max: float | None
    unit: str | None
    location: str | None
    station_id: int | None
    calibration_interval_days: int | None
    last_calibrated_on: date | None
    last_calibration_result: str | None
    next_due_on: date | None
    status: str
    notes: str | None
    created_at: datetime
    updated_at: datetime
    state: Literal["ok", "due_soon", "overdue", "not_in_service"] = Field(
        description="ok; due_soon within the warning days; overdue past next_due_on; not_in_service otherwise")
    usable: bool = Field(description="Whether a value taken with it today is accepted")
    days_until_due: int | None
    warning: str | None


class GaugeDetail(GaugeResponse):
    """A gauge with its calibration history, newest first."""

    calibrations: list[CalibrationResponse]


class GaugeRuleUpdate(StrictInput):
    """Whether the characteristic needs a gauge, and which kinds may measure it (empty: any)."""

    gauge_required: bool = False
    allowed_kinds: list[Kind] = Field(default_factory=list, max_length=20)


class GaugeRuleResponse(BaseModel):
    """A characteristic's gauge rule (the default: none required, any kind)."""

    characteristic_id: int
    gauge_required: bool
    allowed_kinds: list[str]
