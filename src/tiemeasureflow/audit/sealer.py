"""Linking committed audit events into the chain, in commit order, without a lock held by writers.

Writers only insert events (with their keyed content digest). The sealer, one at a time per
deployment (a PostgreSQL advisory lock it tries, never waits for), takes the events committed
after the head in (xid, id) order behind the watermark (`watermark`), checks each one's content
digest, links it (seq, prev_hash, hash) and moves the head, all in one transaction. In the
server it runs once a request that wrote events has sent its answer (`SealAfterResponse`), in
commands right after their commit, and in each background pass, so an event left behind by a
busy moment is sealed by the next pass. An event whose content digest fails stops the sealer
there: it was written without the key or changed, and `tmf audit verify` names it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import anyio
from sqlalchemy import event as orm_event
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker, undefer
from starlette.types import ASGIApp, Receive, Scope, Send

from ..config.server import Settings, audit_checkpoint, audit_hmac_key
from ..kit import watermark
from ..kit.db import make_engine, make_sessionmaker, unit_of_work
from ..models import AuditEvent, AuditHead
from .chain import content_digest
from .checkpoint import KEY, PATH, PENDING, SEAL, Checkpoint, write_checkpoint
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


DUE = "audit_seal_due"


class _Due:
    """Whether events were committed that no seal has taken yet (one per session factory)."""

    pending = False


class SealAfterResponse:
    """ASGI middleware of the server: events committed by a request are sealed once its answer is sent.

    Sealing is a transaction of its own (on PostgreSQL); run inside the request it would add its
    round trips to every audited write's answer. Commits only mark the factory; the first request to
    finish afterwards seals everything committed behind the watermark, in a worker thread.
    """

    def __init__(self, app: ASGIApp, factory: sessionmaker[Session]):
        self.app, self.factory = app, factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        due: _Due = self.factory.kw["info"][DUE]
        if due.pending:
            due.pending = False
            await anyio.to_thread.run_sync(_seal, self.factory)


def install(factory: sessionmaker[Session], path: Path, key: bytes, after_response: bool = False) -> None:
    """Give the factory's sessions the audit key; after each commit that wrote events, seal them and write a checkpoint.

    With `after_response` the sealing waits for `SealAfterResponse` (the server); otherwise it follows the commit.
    """
    due = _Due()
    factory.kw.setdefault("info", {}).update({PATH: path, KEY: key, DUE: due})

    @orm_event.listens_for(factory, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.info.pop(SEAL, None):
            if after_response:
                due.pending = True
            else:
                _seal(factory)
        checkpoint = session.info.pop(PENDING, None)
        if checkpoint is None:
            return
        # Also in the log, which is shipped and kept apart from both the database and the data folder.
        log.info("audit checkpoint count=%s last_id=%s hash=%s", checkpoint.count, checkpoint.last_id, checkpoint.hash)
        try:
            write_checkpoint(session.info[PATH], checkpoint)
        except OSError as exc:  # the events are committed; the next commit writes a newer checkpoint
            log.error("could not write the audit checkpoint %s: %s", session.info[PATH], exc)

    @orm_event.listens_for(factory, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(PENDING, None)
        session.info.pop(SEAL, None)


def _seal(factory: sessionmaker[Session]) -> None:
    """Link the events just committed (PostgreSQL); a failure leaves them to the next background pass."""
    try:
        seal_pending(factory)
    except Exception:  # the events are committed and guarded by their content digest
        log.exception("sealing audit events after commit failed")


def audited_sessions(settings: Settings) -> sessionmaker[Session]:
    """Sessions on the configured database whose commits seal and checkpoint the audit trail (for commands)."""
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    install(factory, audit_checkpoint(settings), audit_hmac_key(settings))
    return factory
