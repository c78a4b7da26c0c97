"""Responses of the unit history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class FailedItem(BaseModel):
    """A characteristic whose current value failed, or a failed HardPy test case."""

    balloon: str | None = Field(description="The characteristic's balloon label (station runs)")
    name: str
    value: float | None = None
    unit: str | None = None
    ltl: float | None = None
    utl: float | None = None
    message: str | None = Field(None, description="A HardPy case's assertion message")


class CorrectionItem(BaseModel):
    """A value replaced in the run."""

    balloon: str
    superseded_value: float
    value: float
    corrected_by: str | None
    corrected_at: datetime
    reason: str | None


class AlarmItem(BaseModel):
    """An alarm raised by one of the run's values."""

    id: int
    kind: str
    status: str
    rule: str | None
    message: str
    detected_at: datetime


class UnitRun(BaseModel):
    """One run of the device."""

    id: uuid.UUID
    source: str = Field(description="station, hardpy, or the importer that created it")
    attempt: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    recipe_id: int | None
    recipe_code: str | None
    version_number: int | None
    test_plan_name: str | None
    station: str | None = Field(description="Station code, or the HardPy stand's name")
    operator: str | None
    lot_number: str | None
    failed: list[FailedItem]
    corrections: list[CorrectionItem]
    alarms: list[AlarmItem]
    report_url: str = Field(description="The run's inspection report (PDF)")


class UnitHistory(BaseModel):
    """Every run of one device in time order, with its FAIs."""

    part_number: str
    serial_number: str
    attempt_count: int = Field(description="Runs in all: the public API's tested_dut attempt_count")
    last_status: str
    runs: list[UnitRun]
    fais: list[dict[str, Any]] = Field(description="First article inspections of this serial on the recipes its "
                                                   "runs measured (id, report_number, status, report_url ...)")


class UnitItem(BaseModel):
    """A device found by its serial."""

    part_number: str
    serial_number: str
    attempt_count: int
    last_status: str
    last_started_at: datetime
