"""User rules: unique usernames, key revocation on deactivation and password change, audit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.service import record, snapshot
from ..auth.keys import issue_key, revoke_user_keys
from ..auth.passwords import hash_password
from ..identity.principal import Actor
from ..kit.db import get_or_404
from ..kit.errors import BadRequest, Conflict
from ..models import User
from .schemas import UserCreate, UserUpdate

AUDITED_FIELDS = ("username", "display_name", "email", "roles", "is_admin", "active", "language_pref", "theme_pref")


def list_users(session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def get_user(session: Session, user_id: int) -> User:
    """One user or 404."""
    user = get_or_404(session, User, user_id, "User not found")
    return user


def create_user(session: Session, data: UserCreate, actor: Actor | None) -> User:
    """Create a user; 409 when the username is taken."""
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict("Username already exists")
    user = User(
        username=data.username,
        password_hash=hash_password(data.password),
        display_name=data.display_name,
        email=data.email,
        roles=list(data.roles),
        is_admin=data.is_admin,
        active=True,
        language_pref=data.language_pref,
        theme_pref=data.theme_pref,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        # Another request created the same username between the check and the insert.
        raise Conflict("Username already exists") from None
    record(session, actor, "create", "user", user.id, new=snapshot(user, AUDITED_FIELDS))
    return user


def update_user(session: Session, user_id: int, data: UserUpdate, actor: Actor | None) -> User:
    """Apply the given fields; deactivation or a new password revokes the user's keys."""
    user = get_user(session, user_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("active") is False and actor is not None and actor.user_id == user.id:
        raise BadRequest("Cannot deactivate yourself")
    old = snapshot(user, AUDITED_FIELDS)
    password = changes.pop("password", None)
    for field, value in changes.items():
        setattr(user, field, value)
    if password is not None:
        user.password_hash = hash_password(password)
    if password is not None or changes.get("active") is False:
        revoke_user_keys(session, user.id)
    session.flush()
    new = snapshot(user, AUDITED_FIELDS)
    if password is not None:
        new["password_changed"] = True
    if new != old:  # an update that changes nothing is no event
        record(session, actor, "update", "user", user.id, old=old, new=new)
    return user


def deactivate_user(session: Session, user_id: int, actor: Actor) -> None:
    """Soft delete: inactive, keys revoked; 400 on yourself."""
    user = get_user(session, user_id)
    if user.id == actor.user_id:
        raise BadRequest("Cannot deactivate yourself")
    old = snapshot(user, AUDITED_FIELDS)
    user.active = False
    revoked = revoke_user_keys(session, user.id)
    record(session, actor, "deactivate", "user", user.id, old=old,
           new={**snapshot(user, AUDITED_FIELDS), "keys_revoked": revoked})


def regenerate_key(session: Session, user_id: int, pepper: bytes, actor: Actor) -> tuple[User, str]:
    """Revoke the user's keys and issue one new session key."""
    user = get_user(session, user_id)
    if not user.active:
        raise Conflict("User is inactive: reactivate it first")
    revoked = revoke_user_keys(session, user.id)
    key, raw = issue_key(session, pepper, "session", user_id=user.id, created_by=actor.user_id, name="regenerated")
    record(session, actor, "regenerate_key", "user", user.id, new={"key_id": key.id, "keys_revoked": revoked})
    return user, raw
