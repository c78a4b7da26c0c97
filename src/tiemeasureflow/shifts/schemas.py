"""Shift payloads and responses."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ..kit.schemas import StrictInput

LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class ShiftCreate(StrictInput):
    """A shift by local time of day in the plant time zone."""

    name: str = Field(min_length=1, max_length=64)
    starts: str = Field(pattern=LOCAL_TIME, description="Local start, HH:MM (inclusive)")
    ends: str = Field(pattern=LOCAL_TIME, description="Local end, HH:MM (exclusive); before `starts` crosses midnight")


class ShiftUpdate(StrictInput):
    """Fields to change."""

    name: str | None = Field(None, min_length=1, max_length=64)
    starts: str | None = Field(None, pattern=LOCAL_TIME)
    ends: str | None = Field(None, pattern=LOCAL_TIME)


class ShiftResponse(BaseModel):
    """A shift with the plant time zone its times are in."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    starts: str
    ends: str
    timezone: str = Field(description="The plant time zone (setting plant_timezone)")
    created_at: datetime
