"""Run payloads and responses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from ..kit.schemas import StrictInput
from ..kit.vocabulary import RUN_STATUSES
from ..measurements.schemas import (
    MAX_BATCH_ITEMS,
    GaugeCode,
    Id,
    InputMethod,
    LotNumber,
    MeasurementResponse,
    Reason,
    SerialNumber,
    Value,
)

RunStatus = Literal[RUN_STATUSES]  # type: ignore[valid-type]


class RunStart(StrictInput):
    """Start measuring one part: a recipe (its current version) or that version, the part, the station."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [{"required": ["recipe_id"]}, {"required": ["version_id"]}]})

    recipe_id: Id | SkipJsonSchema[None] = None
    version_id: Id | SkipJsonSchema[None] = None
    serial_number: SerialNumber
    lot_number: LotNumber | None = None
    station_code: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]+$")

    @model_validator(mode="after")
    def _recipe_or_version(self) -> RunStart:
        for name in ("recipe_id", "version_id"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} must be an integer when given")
        if self.recipe_id is None and self.version_id is None:
            raise ValueError("give recipe_id or version_id")
        return self


class RunValue(StrictInput):
    """One value for one characteristic of the run's version."""

    subtask_id: Id
    value: Value
    input_method: InputMethod = "manual"
    reason: Reason | SkipJsonSchema[None] = Field(None, description=(
        "Why the value replaces the characteristic's earlier value in this run (1-2000 characters); required "
        "for a second value of a characteristic (422 without it), ignored on a first value"))
    gross_error_confirmed: bool = Field(False, description=(
        "The operator confirmed a value far outside the tolerance (stored and returned as given)"))
    gauge_code: GaugeCode | None = None


class RunValues(StrictInput):
    """Several values, stored all together or not at all."""

    measurements: list[RunValue] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


class RunFinish(StrictInput):
    """Finishing options."""

    allow_incomplete: bool = Field(False, description="Finish even though some characteristics have no value")


class RunAbort(StrictInput):
    """Why a run is abandoned (optional; kept in the audit trail)."""

    reason: Reason | None = None


class RunResponse(BaseModel):
    """A run: one part measured on one recipe version at one station (or one HardPy report)."""

    id: uuid.UUID
    source: str
    recipe_id: int | None
    version_id: int | None
    version_number: int | None
    part_number: str
    serial_number: str
    lot_number: str | None
    station_id: int | None
    station_code: str | None
    operator_id: int | None
    status: RunStatus
    attempt: int
    auto_finish: bool
    started_at: datetime
    finished_at: datetime | None


class RunDetail(RunResponse):
    """A run with its latest value per characteristic, what is missing, and optionally the history."""

    measurements: list[MeasurementResponse] = Field(description="The latest value of each measured characteristic")
    missing_subtask_ids: list[int] = Field(description="Characteristics of the version without a value yet")
    history: list[MeasurementResponse] | None = Field(
        None, description="Every value in the order taken, superseded ones included (with include_history=true)"
    )


@dataclass(frozen=True)
class RunFilters:
    """Filters of the run list; naive datetimes are UTC; the time range applies to started_at."""

    recipe_id: int | None = None
    version_id: int | None = None
    station_id: int | None = None
    station_code: str | None = None
    operator_id: int | None = None
    serial_number: str | None = None
    lot_number: str | None = None
    status: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    source: str | None = None
