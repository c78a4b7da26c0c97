"""Writing events into the outbox inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..models import Event, utcnow


def emit(session: Session, event_type: str, payload: dict[str, Any]) -> None:
    """Queue one event; it leaves the server only if the transaction commits."""
    emit_many(session, event_type, [payload])


def emit_many(session: Session, event_type: str, payloads: list[dict[str, Any]]) -> None:
    """Queue several events of one type with one statement."""
    if payloads:
        now = utcnow()
        session.execute(insert(Event), [{"type": event_type, "payload": p, "created_at": now} for p in payloads])
