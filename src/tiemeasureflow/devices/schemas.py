"""Payloads and answers of the stand approval API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, model_validator

from ..schemas import ID_MAX, StrictInput


class DeviceDecision(StrictInput):
    """Approve (naming the stand, optionally binding it to a station) or deny a pending sign-in."""

    approve: bool
    name: str | None = Field(None, min_length=1, max_length=255, description="The stand's name; required to approve")
    station_id: int | None = Field(None, ge=1, le=ID_MAX, description="The station the stand belongs to")

    @model_validator(mode="after")
    def _name_when_approving(self) -> DeviceDecision:
        if self.approve and not (self.name and self.name.strip()):
            raise ValueError("name is required to approve")
        return self


class DeviceAuthorizationOut(BaseModel):
    """A sign-in as the approval page shows it."""

    user_code: str
    client_id: str
    scope: str
    status: str
    created_at: datetime
    expires_at: datetime
    stand_name: str | None
    station_id: int | None
    key_id: int | None


class ApprovedStand(BaseModel):
    """A stand approved through a sign-in: its stand key, last use and whether it is revoked."""

    key_id: int
    name: str
    client_id: str
    station_id: int | None
    approved_by: int | None
    approved_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
