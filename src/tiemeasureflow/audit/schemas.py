"""Audit event responses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from ..kit.schemas import OrmOutput


class AuditEventResponse(OrmOutput):
    """One audit event."""

    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_key_id: int | None
    action: str
    entity_type: str
    entity_id: str | None
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None
    client_ip: str | None
    hash: str | None = Field(description="The keyed chain hash; null for a moment, until the event is linked into the chain")
