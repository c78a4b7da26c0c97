"""The hash-chained audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, FetchedValue, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime, utcnow


class AuditEvent(Base):
    """Who did what to which entity, when and from where; hashed with the previous row."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_entity", "entity_type", "entity_id"),
        Index("ix_audit_events_actor", "actor_id", "occurred_at"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
        # The sealer follows committed events in commit order; verification walks the chain by seq.
        Index("ix_audit_events_xid", "xid", "id"),
        Index("ix_audit_events_seq", "seq", unique=True),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_key_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(50))
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    old_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    client_ip: Mapped[str | None] = mapped_column(String(64))
    # Set when the event is linked into the chain: at once on SQLite (one writer), by the sealer
    # in commit order on PostgreSQL (audit/sealer.py). Until then the keyed content_hash guards the row.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    # Deferred: the upgrade that re-signs an older trail reads rows before these columns exist.
    seq: Mapped[int | None] = mapped_column(BigInteger, deferred=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), deferred=True)
    xid: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue(), deferred=True)


class AuditHead(Base):
    """A single row holding the chain's last hash, count and commit position; only the sealer moves it."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    # Events in the chain; with last_event_id and last_hash it is what checkpoints record.
    event_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The (xid, id) of the last sealed event (kit/watermark.py); deferred for the same upgrade.
    last_xid: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", deferred=True)
