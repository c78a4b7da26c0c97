"""Sign-in and sign-out rules."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..auth.principal import Actor, Principal
from ..models import User, utcnow
from .keys import issue_key
from .passwords import hash_password, needs_rehash, verify_password

LOGIN_FAILED = "Invalid username or password"


def login(session: Session, pepper: bytes, username: str, password: str, ip: str) -> tuple[User, str] | None:
    """A user and a new session key, or None (failure audited) for any bad credential."""
    user = session.scalar(select(User).where(User.username == username))
    # verify_password spends the same time whether or not the user exists.
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        record(session, None, "login_failed", "user", user.id if user else None,
               new={"username": username[:100]}, ip=ip)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    key, raw = issue_key(session, pepper, "session", user_id=user.id, created_by=user.id, name="login")
    record(session, Actor(user.id, key.id, ip), "login", "user", user.id)
    return user, raw


def logout(session: Session, principal: Principal) -> None:
    """Revoke the key the caller used."""
    principal.key.revoked_at = utcnow()
    record(session, principal.actor, "logout", "user", principal.user_id)
