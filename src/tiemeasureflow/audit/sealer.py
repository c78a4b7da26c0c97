"""Linking committed audit events into the chain, in commit order, without a lock held by writers.

Writers only insert events (with their keyed content digest). The sealer, one at a time per
deployment (a PostgreSQL advisory lock it tries, never waits for), takes the events committed
after the head in (xid, id) order behind the watermark (`watermark`), checks each one's content
digest, links it (seq, prev_hash, hash) and moves the head, all in one transaction. It runs
after every commit that wrote events and in each background pass, so an event left behind by
a busy moment is sealed by the next pass. An event whose content digest fails stops the sealer
there: it was written without the key or changed, and `tmf audit verify` names it.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker, undefer

from ..kit import watermark
from ..kit.db import unit_of_work
from ..models import AuditEvent, AuditHead
from .chain import content_digest
from .checkpoint import PENDING, Checkpoint
from .service import audit_key, link

log = logging.getLogger("tiemeasureflow.audit")
SEAL_LOCK = 0x746D6673  # PostgreSQL advisory key: one sealer at a time per deployment
BATCH = 1000


def seal_pending(factory: sessionmaker[Session]) -> int:
    """Link the committed events not in the chain yet; returns how many were linked."""
    sealed = 0
    while True:
        done = _seal_batch(factory)
        sealed += done
        if done < BATCH:
            return sealed


def _seal_batch(factory: sessionmaker[Session]) -> int:
    with unit_of_work(factory) as session:
        if session.get_bind().dialect.name != "postgresql":
            return 0  # SQLite links each event as it is written
        if not session.scalar(select(func.pg_try_advisory_xact_lock(SEAL_LOCK))):
            return 0  # another sealer is at work; its next pass takes these events too
        head = session.scalars(select(AuditHead).where(AuditHead.id == 1).options(undefer(AuditHead.last_xid))).one()
        limit = watermark.horizon(session)
        events = session.scalars(
            select(AuditEvent).options(undefer(AuditEvent.xid), undefer(AuditEvent.content_hash))
            .where(watermark.after(AuditEvent, (head.last_xid, head.last_event_id), limit))
            .order_by(*watermark.order(AuditEvent)).limit(BATCH)).all()
        key = audit_key(session)
        sealed = 0
        for event in events:
            if event.content_hash != content_digest(event, key):
                log.error("audit event %s does not match its keyed content digest: it is not sealed, "
                          "and the chain stops there until it is investigated", event.id)
                break
            link(event, head, key)
            head.last_xid, head.last_event_id = event.xid, event.id
            sealed += 1
        if sealed:
            session.info[PENDING] = Checkpoint(head.event_count, head.last_event_id, head.last_hash)
        return sealed
