"""Payloads and answers of the stand approval API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from ..kit.schemas import StrictInput
from ..measurements.schemas import Id


class DeviceApproval(StrictInput):
    """Approve a pending sign-in: name the stand, optionally bind it to a station."""

    approve: Literal[True]
    name: str = Field(min_length=1, max_length=255, pattern=r"\S", description="The stand's name")
    station_id: Id | None = Field(None, description="The station the stand belongs to")


class DeviceDenial(StrictInput):
    """Deny a pending sign-in."""

    approve: Literal[False]


DeviceDecision = DeviceApproval | DeviceDenial


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
