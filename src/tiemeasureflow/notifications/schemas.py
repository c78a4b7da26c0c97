"""Webhook payloads and responses, and the delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ..kit.schemas import OrmOutput, StrictInput

EventType = Literal["alarm.raised", "alarm.acknowledged", "run.failed"]


def _http_url(value: str) -> str:
    # Plant and loopback addresses are allowed on purpose: receivers live on the plant network.
    from urllib.parse import urlsplit
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    return value


# Declared in OpenAPI too: http(s), optional user info in RFC 3986's characters (ASCII: what "whitespace"
# means in a class differs between regex engines, so none is named), a host name or address (no IPv6
# literal), optional port, path and query.
URL_PATTERN = r"^https?://([A-Za-z0-9._~%!$&'()*+,;=:-]*@)?[A-Za-z0-9._~%-]+(:[0-9]{1,5})?([/?#][^\x00]*)?$"
HttpUrl = Annotated[str, Field(min_length=8, max_length=2000, pattern=URL_PATTERN), AfterValidator(_http_url)]


class WebhookCreate(StrictInput):
    """A new receiver: URL, signing secret and the events it wants."""

    url: HttpUrl
    secret: str = Field(min_length=8, max_length=255)
    events: list[EventType] = Field(min_length=1, max_length=10)
    description: str | None = Field(None, max_length=2000)
    active: bool = True


class WebhookUpdate(StrictInput):
    """Changes to a webhook; fields left out stay."""

    url: HttpUrl | None = None
    secret: str | None = Field(None, min_length=8, max_length=255)
    events: list[EventType] | None = Field(None, min_length=1, max_length=10)
    description: str | None = Field(None, max_length=2000)
    active: bool | None = None


class WebhookResponse(OrmOutput):
    """A webhook; its secret is never shown again."""

    id: int
    url: str
    events: list[str]
    description: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


class DeliveryResponse(OrmOutput):
    """One event bound for the webhook: its attempts and outcome."""

    id: int
    event_id: int
    event_type: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    response_status: int | None
    error: str | None
    delivered_at: datetime | None
    created_at: datetime
