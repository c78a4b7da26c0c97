"""Writing audit events inside the caller's transaction, listing them, and verifying the chain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.principal import Actor
from ..migrations.seed import GENESIS_HASH
from ..models import AuditEvent, AuditHead, utcnow
from .chain import canonical, event_digest

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
    """Append one event to the chain, in the current transaction."""
    # Locking the head row serialises appenders on PostgreSQL; SQLite writers are serialised already.
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
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
        prev_hash=head.last_hash,
    )
    event.hash = event_digest(event)
    session.add(event)
    session.flush()
    head.last_event_id = event.id
    head.last_hash = event.hash
    return event


def _clean(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    # Round-trip through canonical JSON so what is hashed is exactly what is stored.
    return json.loads(canonical({k: v for k, v in values.items() if k not in REDACTED_FIELDS}))


@dataclass
class VerifyResult:
    """The outcome of walking the chain."""

    checked: int
    first_bad_id: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        """Whether the whole chain is intact."""
        return self.first_bad_id is None and self.reason is None


def verify_chain(session: Session, batch: int = 5000) -> VerifyResult:
    """Recompute every hash in order; report the first row that does not match."""
    head = session.get(AuditHead, 1)
    expected_prev = GENESIS_HASH
    checked, last_id = 0, 0
    while True:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)).all()
        if not rows:
            break
        for event in rows:
            if event.prev_hash != expected_prev:
                return VerifyResult(checked, event.id, "previous-hash link broken (a row was removed or changed)")
            if event_digest(event) != event.hash:
                return VerifyResult(checked, event.id, "content does not match its hash (the row was edited)")
            expected_prev, last_id = event.hash, event.id
            checked += 1
        session.expunge_all()
    if head is not None and head.last_hash != expected_prev:
        return VerifyResult(checked, None, "the chain head does not match the last row (rows were removed at the end)")
    return VerifyResult(checked, None, None)


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
