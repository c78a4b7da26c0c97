"""`tmf audit verify`: the keyed chain, its head, the checkpoint kept outside the database, and verdicts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from ..models import ArchivedRun, AuditEvent, AuditHead, Run
from .chain import GENESIS_HASH, content_digest, event_digest
from .checkpoint import read_checkpoint


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


def verify_chain(session: Session, key: bytes, checkpoint_path: Path | None = None,
                 batch: int = 5000) -> VerifyResult:
    """Recompute every HMAC in order, then hold the chain against its head, checkpoint and the runs' verdicts."""
    expected_prev = GENESIS_HASH
    checked, last_id = 0, 0
    hashes_at: dict[int, tuple[int, str]] = {}
    # Checkpoint, then head, then rows: what the server appends meanwhile is only ever newer.
    checkpoint = read_checkpoint(checkpoint_path) if checkpoint_path else None
    head = session.get(AuditHead, 1)
    if head is None:
        return VerifyResult(0, None, "the chain head is missing")
    head_id, head_hash, head_count = head.last_event_id, head.last_hash, head.event_count or 0
    verdicts: dict[str, str] = {}
    last_seq = 0
    while True:
        # In chain order (seq), which is commit order: ids may commit out of order on PostgreSQL.
        rows = session.scalars(select(AuditEvent).options(undefer(AuditEvent.seq))
                               .where(AuditEvent.seq > last_seq, AuditEvent.seq <= head_count)
                               .order_by(AuditEvent.seq).limit(batch)).all()
        if not rows:
            break
        for event in rows:
            last_seq = event.seq
            if event.prev_hash != expected_prev:
                return VerifyResult(checked, event.id, "previous-hash link broken (a row was removed or changed)")
            if event_digest(event, key) != event.hash:
                return VerifyResult(checked, event.id, "content does not match its keyed hash (the row was edited, "
                                                       "or the audit key is not the one the trail was written with)")
            expected_prev, last_id = event.hash, event.id
            checked += 1
            if checkpoint is not None and event.id == checkpoint.last_id:
                hashes_at[event.id] = (checked, event.hash)
            _note_verdict(verdicts, event)
        session.expunge_all()
    if head_hash != expected_prev or head_count != checked or (checked and last_id != head_id):
        return VerifyResult(checked, None, "the chain head does not match the rows (rows were removed at the end)")
    unsealed = _unsealed_problem(session, key, batch)
    if unsealed is not None:
        return VerifyResult(checked, unsealed, "content does not match its keyed hash (the row was edited, written "
                                               "without the audit key, or the key is not the one it was written with)")
    problem = _against_checkpoint(checkpoint, checkpoint_path, hashes_at, checked)
    if problem is None:
        problem = _against_verdicts(session, verdicts)
    return VerifyResult(checked, None, problem)


def _unsealed_problem(session: Session, key: bytes, batch: int) -> int | None:
    """The first event not linked yet whose keyed content digest fails (the sealer stops there)."""
    last_id = 0
    while True:
        rows = session.scalars(select(AuditEvent).options(undefer(AuditEvent.content_hash))
                               .where(AuditEvent.seq.is_(None), AuditEvent.id > last_id)
                               .order_by(AuditEvent.id).limit(batch)).all()
        if not rows:
            return None
        for event in rows:
            if event.content_hash != content_digest(event, key):
                return event.id
            last_id = event.id
        session.expunge_all()


def _against_checkpoint(checkpoint, path: Path | None, hashes_at: dict, checked: int) -> str | None:
    if path is None:
        return None
    if checkpoint is None:
        return None if checked == 0 else f"no checkpoint at {path}: removal of the newest rows cannot be ruled out"
    if checkpoint.count and hashes_at.get(checkpoint.last_id) != (checkpoint.count, checkpoint.hash):
        return (f"the trail does not reach its checkpoint ({checkpoint.count} events up to event "
                f"{checkpoint.last_id}): rows were removed, truncated or replaced")
    return None


def _note_verdict(verdicts: dict[str, str], event: AuditEvent) -> None:
    # The verdict each audited run was last given: at finish or abort, by a correction, in a batch.
    new = event.new_values or {}
    if event.entity_type == "run" and event.action in ("finish", "abort") and "status" in new:
        verdicts[str(event.entity_id)] = new["status"]
    elif event.action == "correct" and "run_status" in new and "run_id" in new:
        verdicts[str(new["run_id"])] = new["run_status"]
    elif event.action == "create_batch":
        for run in new.get("runs") or []:
            if isinstance(run, dict) and "id" in run and "status" in run:
                verdicts[str(run["id"])] = run["status"]


def _against_verdicts(session: Session, verdicts: dict[str, str], batch: int = 1000) -> str | None:
    ids = list(verdicts)
    for start in range(0, len(ids), batch):
        chunk = [uuid.UUID(i) for i in ids[start:start + batch]]
        for run_id, status in session.execute(select(Run.id, Run.status).where(Run.id.in_(chunk))):
            if verdicts[str(run_id)] != status:
                return f"run {run_id} says {status!r} but its audited verdict is {verdicts[str(run_id)]!r}"
        found = session.scalar(select(func.count()).select_from(Run).where(Run.id.in_(chunk)))
        # A run that left with an archive file (tmf archive) is away, not lost.
        away = session.scalar(select(func.count()).select_from(ArchivedRun).where(ArchivedRun.run_id.in_(chunk)))
        if found + away != len(chunk):
            return "a run with an audited verdict is missing"
    return None
