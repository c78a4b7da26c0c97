"""Integration and stand key payloads and responses."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from ..kit.schemas import OrmOutput, StrictInput
from ..kit.vocabulary import KeyKind as Kind

# The kinds an admin issues here (session keys come from signing in).
MANAGED_KEY_KINDS = (Kind.INTEGRATION.value, Kind.STAND.value)
KeyKind = Literal[MANAGED_KEY_KINDS]  # type: ignore[valid-type]


class KeyCreate(StrictInput):
    """A new key: `integration` reads the public API, `stand` uploads HardPy reports."""

    kind: KeyKind
    name: str = Field(min_length=1, max_length=255, description="What or who the key is for")


class KeyResponse(OrmOutput):
    """A key as listed: never the key itself."""

    id: int
    kind: KeyKind
    name: str
    created_at: datetime
    created_by: int | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class KeyCreated(KeyResponse):
    """A new key, with its secret shown this once."""

    api_key: str
