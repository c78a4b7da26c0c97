"""Sign-in and sign-out rules.

A login reads the account, checks the password (slow on purpose) with no database turn held,
then records the outcome in a short write, where the account is read again: a password changed
or an account deactivated meanwhile fails the login.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..auth.keys import issue_key
from ..auth.passwords import hash_password, needs_rehash, verify_password
from ..identity.principal import Actor, Principal
from ..models import User, utcnow

LOGIN_FAILED = "Invalid username or password"


@dataclass(frozen=True)
class Account:
    """What a login needs to know about the account before checking the password."""

    user_id: int | None
    password_hash: str | None


@dataclass(frozen=True)
class Checked:
    """The password check's outcome, and a new hash when the stored one uses older parameters."""

    ok: bool
    new_hash: str | None = None


def account_of(session: Session, username: str) -> Account:
    """The account of a username; an unknown one has no id and no hash."""
    user = session.scalar(select(User).where(User.username == username))
    return Account(user.id, user.password_hash) if user is not None else Account(None, None)


def check_password(account: Account, password: str) -> Checked:
    """Verify the password (the same effort whether or not the account exists); rehash when due."""
    ok = verify_password(account.password_hash, password)
    if ok and account.password_hash is not None and needs_rehash(account.password_hash):
        return Checked(True, hash_password(password))
    return Checked(ok)


def finish_login(session: Session, pepper: bytes, username: str, account: Account, checked: Checked,
                 ip: str) -> tuple[User, str] | None:
    """A user and a new session key, or None (failure audited) for any bad credential."""
    user = session.get(User, account.user_id) if account.user_id is not None else None
    current = user is not None and user.password_hash == account.password_hash
    if not checked.ok or not current or not user.active:
        record(session, None, "login_failed", "user", user.id if user else None,
               new={"username": username[:100]}, ip=ip)
        return None
    if checked.new_hash is not None:
        user.password_hash = checked.new_hash
    key, raw = issue_key(session, pepper, "session", user_id=user.id, created_by=user.id, name="login")
    record(session, Actor(user.id, key.id, ip), "login", "user", user.id)
    return user, raw


def logout(session: Session, principal: Principal) -> None:
    """Revoke the key the caller used."""
    principal.key.revoked_at = utcnow()
    record(session, principal.actor, "logout", "user", principal.user_id)
