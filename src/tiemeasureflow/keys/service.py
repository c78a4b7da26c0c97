"""Key rules: only integration and stand keys here; revocation is final; every change audited."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..auth.keys import issue_key
from ..identity.principal import Actor
from ..kit.errors import NotFound
from ..models import ApiKey, utcnow
from .schemas import MANAGED_KEY_KINDS, KeyCreate

MANAGED_KINDS = MANAGED_KEY_KINDS


def create_key(session: Session, pepper: bytes, data: KeyCreate, actor: Actor) -> tuple[ApiKey, str]:
    """Issue a key; returns the row and the raw key (shown once)."""
    key, raw = issue_key(session, pepper, data.kind, created_by=actor.user_id, name=data.name)
    record(session, actor, "create", "api_key", key.id, new={"kind": key.kind, "name": key.name})
    return key, raw


def list_keys_query(kind: str | None, include_revoked: bool) -> Select:
    """Integration and stand keys, newest first."""
    stmt = select(ApiKey).where(ApiKey.kind.in_((kind,) if kind else MANAGED_KINDS))
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    return stmt.order_by(ApiKey.id.desc())


def revoke_key(session: Session, key_id: int, actor: Actor) -> None:
    """Revoke a key at once; revoking it again changes nothing. 404 for unknown ids and session keys."""
    key = session.get(ApiKey, key_id)
    if key is None or key.kind not in MANAGED_KINDS:
        raise NotFound("Key not found")
    revoke(session, key, actor)


def revoke(session: Session, key: ApiKey, actor: Actor) -> None:
    """Stop a key (any kind) at once, audited; a key already revoked stays as it is."""
    if key.revoked_at is not None:
        return
    key.revoked_at = utcnow()
    session.flush()
    record(session, actor, "revoke", "api_key", key.id, old={"revoked_at": None},
           new={"kind": key.kind, "name": key.name, "revoked_at": key.revoked_at.isoformat()})
