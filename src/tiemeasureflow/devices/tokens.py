"""Stand access and refresh tokens: random secrets, stored as HMACs, rotated on every refresh."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..auth.keys import key_digest, record_use
from ..config.server import Settings
from ..models import ApiKey, StandToken, utcnow

ACCESS_PREFIX = "tmfa_"
REFRESH_PREFIX = "tmfr_"


@dataclass(frozen=True)
class AccessCheck:
    """The stand key behind an access token, or why there is none."""

    key: ApiKey | None
    expired: bool = False


def issue_pair(session: Session, settings: Settings, key: ApiKey) -> dict:
    """New access and refresh tokens for a stand key, as the token endpoint answers them."""
    now = utcnow()
    access = ACCESS_PREFIX + secrets.token_urlsafe(32)
    refresh = REFRESH_PREFIX + secrets.token_urlsafe(32)
    ttl = settings.stand_access_token_ttl_seconds
    session.add_all([
        StandToken(key_id=key.id, kind="access", token_hash=key_digest(settings.pepper, access), created_at=now,
                   expires_at=now + timedelta(seconds=ttl)),
        StandToken(key_id=key.id, kind="refresh", token_hash=key_digest(settings.pepper, refresh), created_at=now,
                   expires_at=now + timedelta(days=settings.stand_refresh_token_ttl_days)),
    ])
    session.flush()
    return {"access_token": access, "token_type": "Bearer", "expires_in": ttl, "refresh_token": refresh}


def _live_key(key: ApiKey | None) -> bool:
    return key is not None and key.kind == "stand" and key.revoked_at is None


def check_access(session: Session, pepper: bytes, raw: str) -> AccessCheck:
    """The live stand key of an access token; `expired` tells an expired token from an unknown one."""
    row = session.scalar(select(StandToken).where(StandToken.token_hash == key_digest(pepper, raw),
                                                  StandToken.kind == "access"))
    if row is None or row.retired_at is not None or not _live_key(row.key):
        return AccessCheck(None)
    if row.expires_at <= utcnow():
        return AccessCheck(None, expired=True)
    record_use(session, row.key)
    return AccessCheck(row.key)


def rotate(session: Session, settings: Settings, raw_refresh: str) -> tuple[ApiKey, dict] | None:
    """Trade a live refresh token for a new pair; the old refresh and access tokens stop working."""
    row = session.scalar(select(StandToken).where(
        StandToken.token_hash == key_digest(settings.pepper, raw_refresh), StandToken.kind == "refresh"))
    now = utcnow()
    if row is None or row.retired_at is not None or row.expires_at <= now or not _live_key(row.key):
        return None
    key = row.key
    session.execute(update(StandToken).where(StandToken.key_id == key.id, StandToken.retired_at.is_(None))
                    .values(retired_at=now))
    record_use(session, key)
    return key, issue_pair(session, settings, key)
