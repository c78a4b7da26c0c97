"""API keys: `tmf_<id>_<secret>`; only an HMAC-SHA256 of the whole key is stored."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..kit.db import WRITE_INTENT, is_writer
from ..kit.schemas import ID_MAX
from ..models import ApiKey, utcnow

log = logging.getLogger("tiemeasureflow")

KEY_PREFIX = "tmf_"
# last_used_at is refreshed at most this often, so reads do not write on every request.
TOUCH_INTERVAL = timedelta(seconds=60)


def key_digest(pepper: bytes, raw_key: str) -> str:
    """HMAC-SHA256 of the key under the server's pepper."""
    return hmac.new(pepper, raw_key.encode(), hashlib.sha256).hexdigest()


def parse_key_id(raw_key: str) -> int | None:
    """The row id inside a well-formed key, else None."""
    if not raw_key.startswith(KEY_PREFIX):
        return None
    key_id, sep, secret = raw_key[len(KEY_PREFIX):].partition("_")
    # Ids past the column's 32 bits are refused here, like every other bad key, on every database.
    if not sep or not secret or not key_id.isascii() or not key_id.isdigit() or len(key_id) > 10:
        return None
    return int(key_id) if int(key_id) <= ID_MAX else None


def issue_key(session: Session, pepper: bytes, kind: str, *, user_id: int | None = None,
              created_by: int | None = None, name: str = "") -> tuple[ApiKey, str]:
    """Create a key row and return it with the raw key (shown once, never stored)."""
    row = ApiKey(kind=kind, name=name, user_id=user_id, created_by=created_by, key_hash="")
    session.add(row)
    session.flush()
    raw = f"{KEY_PREFIX}{row.id}_{secrets.token_urlsafe(32)}"
    row.key_hash = key_digest(pepper, raw)
    return row, raw


def find_valid_key(session: Session, pepper: bytes, raw_key: str, idle: timedelta) -> ApiKey | None:
    """The live key row for a raw key, or None if unknown, revoked, expired or its user inactive."""
    key_id = parse_key_id(raw_key)
    if key_id is None:
        return None
    # The key's user in the same query: every authenticated request needs both.
    row = session.get(ApiKey, key_id, options=[joinedload(ApiKey.user)])
    if row is None or not hmac.compare_digest(row.key_hash, key_digest(pepper, raw_key)):
        return None
    if row.revoked_at is not None:
        return None
    now = utcnow()
    if row.kind == "session" and (row.last_used_at or row.created_at) + idle < now:
        return None
    if row.user_id is not None and (row.user is None or not row.user.active):
        return None
    record_use(session, row, now)
    return row


def record_use(session: Session, row: ApiKey, now: datetime | None = None) -> None:
    """Refresh the key's last use, at most once per TOUCH_INTERVAL."""
    now = now or utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_INTERVAL:
        _touch(session, row, now)


def _touch(session: Session, row: ApiKey, now: datetime) -> None:
    """Record that the key was used; a reading request does it in its own short write transaction."""
    if is_writer(session):
        row.last_used_at = now
        return
    # Writing inside a read transaction would make SQLite upgrade its lock mid-way ("database is locked").
    try:
        with session.get_bind().connect() as conn:
            conn.execution_options(**{WRITE_INTENT: True})
            with conn.begin():
                conn.execute(update(ApiKey).where(ApiKey.id == row.id).values(last_used_at=now))
    except Exception as exc:  # bookkeeping only: the request itself is valid
        log.warning("could not record use of key %s: %s", row.id, exc)
        return
    set_committed_value(row, "last_used_at", now)


def revoke_user_keys(session: Session, user_id: int, kinds: tuple[str, ...] = ("session",)) -> int:
    """Revoke every live key of a user; returns how many."""
    result = session.execute(
        update(ApiKey)
        .where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None), ApiKey.kind.in_(kinds))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0
