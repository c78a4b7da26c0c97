"""Moving an existing unkeyed (plain SHA-256) audit trail to the keyed chain, during the upgrade."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import AuditEvent, AuditHead
from .chain import GENESIS_HASH, event_digest, plain_digest


def resign_trail(conn: sa.Connection, key: bytes) -> None:
    """Check the plain chain, then re-link every row under the key; refuse a trail already broken."""
    session = Session(bind=conn)
    prev_plain, prev_keyed = GENESIS_HASH, GENESIS_HASH
    last = None
    for event in session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != prev_plain or plain_digest(event) != event.hash:
            raise RuntimeError(f"The audit trail is broken at event {event.id}: it is not re-signed; "
                               "investigate with the previous version's `tmf audit verify`.")
        prev_plain = event.hash
        event.prev_hash = prev_keyed
        event.hash = prev_keyed = event_digest(event, key)
        last = event
    if last is not None:
        head = session.get(AuditHead, 1)
        head.last_event_id, head.last_hash = last.id, last.hash
    session.flush()
