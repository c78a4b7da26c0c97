"""Writing audit events inside the caller's transaction, listing them, and verifying the chain."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..identity.principal import Actor
from ..models import AuditEvent, AuditHead, utcnow
from .chain import canonical, content_digest, event_digest
from .checkpoint import KEY, PENDING, SEAL, Checkpoint

# Never written to the trail, whatever the entity.
REDACTED_FIELDS = frozenset({"password", "password_hash", "key_hash", "api_key"})


def snapshot(obj: Any, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The named attributes of an object as JSON-ready values."""
    return {f: _jsonable(getattr(obj, f)) for f in fields if f not in REDACTED_FIELDS}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool, dict)) or value is None:
        return value
    return str(value)


def record(session: Session, actor: Actor | None, action: str, entity_type: str, entity_id: Any = None,
           old: dict[str, Any] | None = None, new: dict[str, Any] | None = None, ip: str | None = None) -> AuditEvent:
    """Write one event in the current transaction; it joins the chain in commit order.

    SQLite has one writer at a time, so the event is linked at once. PostgreSQL writers do not wait
    for each other: the event carries its keyed content digest, and the sealer links it after commit.
    """
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.user_id if actor else None,
        actor_key_id=actor.key_id if actor else None,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        old_values=_clean(old),
        new_values=_clean(new),
        client_ip=ip or (actor.ip if actor else None),
    )
    key = audit_key(session)
    event.content_hash = content_digest(event, key)
    if session.get_bind().dialect.name == "postgresql":
        session.add(event)
        session.flush()
        session.info[SEAL] = True
        return event
    head = session.get(AuditHead, 1)
    link(event, head, key)
    session.add(event)
    session.flush()
    head.last_event_id = event.id
    session.info[PENDING] = Checkpoint(head.event_count, event.id, event.hash)
    return event


def link(event: AuditEvent, head: AuditHead, key: bytes) -> None:
    """Append the event to the chain after the head (the caller stores the head's new event id)."""
    head.event_count = (head.event_count or 0) + 1
    event.seq, event.prev_hash = head.event_count, head.last_hash
    event.hash = head.last_hash = event_digest(event, key)


def audit_key(session: Session) -> bytes:
    """The HMAC key the session's factory was given (the configured settings' key otherwise)."""
    key = session.info.get(KEY)
    if key is None:
        from ..config.server import Settings, audit_hmac_key

        key = session.info[KEY] = audit_hmac_key(Settings())
    return key


def _clean(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    # Round-trip through canonical JSON so what is hashed is exactly what is stored.
    return json.loads(canonical({k: v for k, v in values.items() if k not in REDACTED_FIELDS}))


def list_events(session: Session, *, entity_type: str | None, entity_id: str | None, actor_id: int | None,
                action: str | None, date_from: datetime | None, date_to: datetime | None):
    """A select of events matching the filters, newest first."""
    stmt = select(AuditEvent)
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if date_from:
        stmt = stmt.where(AuditEvent.occurred_at >= date_from)
    if date_to:
        stmt = stmt.where(AuditEvent.occurred_at <= date_to)
    return stmt.order_by(AuditEvent.id.desc())
