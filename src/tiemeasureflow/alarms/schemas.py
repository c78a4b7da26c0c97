"""Alarm, acknowledgement and assignable-cause payloads and responses."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..kit.schemas import OrmOutput, StrictInput

CODE_PATTERN = r"^[a-z0-9_.-]+$"


class AlarmResponse(BaseModel):
    """An alarm with the names a reader needs and its acknowledgement."""

    id: int
    kind: Literal["tolerance", "rule", "capability"]
    status: Literal["open", "acknowledged"]
    rule: str | None
    message: str
    detected_at: datetime
    value: float | None
    cpk: float | None
    cpk_target: float | None
    limits: dict[str, Any] | None = Field(None, description="The control limits a rule alarm was judged on")
    measurement_id: int | None
    measurement_ids: list[int]
    recipe: dict[str, Any] | None
    version: dict[str, Any] | None
    characteristic: dict[str, Any]
    run: dict[str, Any] | None
    station: dict[str, Any] | None
    operator: dict[str, Any] | None
    acknowledgement: dict[str, Any] | None
    chart_url: str = Field(description="The statistics chart of the characteristic (API path)")


class AcknowledgeRequest(StrictInput):
    """Closing an alarm: an assignable cause code from the catalog, the action taken, a note."""

    cause: str = Field(min_length=1, max_length=50)
    action: str = Field(min_length=1, max_length=2000)
    note: str | None = Field(None, max_length=4000)


class CauseCreate(StrictInput):
    """A new assignable cause."""

    code: str = Field(min_length=1, max_length=50, pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=255)
    description: str | None = Field(None, max_length=2000)
    active: bool = True


class CauseUpdate(StrictInput):
    """Changes to a cause (its code stays)."""

    name: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = Field(None, max_length=2000)
    active: bool | None = None


class CauseResponse(OrmOutput):
    """An assignable cause."""

    id: int
    code: str
    name: str
    description: str | None
    active: bool


class StationHold(BaseModel):
    """Whether a station may start new parts of a recipe, and the alarms it must show."""

    station_code: str
    recipe_id: int
    stopped: bool = Field(description="True while a critical characteristic's alarm is open")
    alarms: list[AlarmResponse] = Field(description="Open alarms of the recipe at this station, newest first")


RunId = uuid.UUID
