"""The device authorization grant (RFC 8628): start a sign-in, then poll until a person decides."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.keys import key_digest
from ..config.server import Settings
from ..models import DeviceAuthorization, utcnow
from . import tokens

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
# RFC 8628 section 6.1: no vowels (no words), no look-alike characters.
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"


class OAuthError(Exception):
    """An error answer of RFC 6749 section 5.2 / RFC 8628 section 3.5."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def new_user_code() -> str:
    """Eight letters as XXXX-XXXX: about 34 bits, typed easily from a terminal."""
    letters = "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


def normalize_user_code(text: str) -> str:
    """The stored form of a user code as a person may type it (any case, dash or not)."""
    letters = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{letters[:4]}-{letters[4:]}" if len(letters) == 8 else letters


def check_client(settings: Settings, client_id: str | None) -> str:
    """The client id, if it is one of OAUTH_CLIENT_IDS."""
    if not client_id:
        raise OAuthError("invalid_request", "client_id is required")
    if client_id not in settings.oauth_clients:
        raise OAuthError("invalid_client", "Unknown client_id", 401)
    return client_id


def start(session: Session, settings: Settings, client_id: str | None, scope: str | None,
          verification_uri: str) -> dict:
    """Record a pending sign-in; answer the codes and where a person approves it."""
    client = check_client(settings, client_id)
    device_code = secrets.token_urlsafe(32)
    now = utcnow()
    for _ in range(5):  # a user code collision is rare; a fresh one settles it
        user_code = new_user_code()
        if session.scalar(select(DeviceAuthorization.id).where(DeviceAuthorization.user_code == user_code)) is None:
            break
    ttl = settings.device_code_ttl_seconds
    session.add(DeviceAuthorization(
        client_id=client, scope=(scope or "")[:255], device_code_hash=key_digest(settings.pepper, device_code),
        user_code=user_code, status="pending", interval=settings.device_poll_interval_seconds, created_at=now,
        expires_at=now + timedelta(seconds=ttl),
    ))
    session.flush()
    return {
        "device_code": device_code, "user_code": user_code, "verification_uri": verification_uri,
        "verification_uri_complete": f"{verification_uri}?user_code={user_code}",
        "expires_in": ttl, "interval": settings.device_poll_interval_seconds,
    }


def poll(session: Session, settings: Settings, client_id: str | None, device_code: str | None) -> dict:
    """The tokens once approved; otherwise the RFC's error for the grant's state."""
    client = check_client(settings, client_id)
    if not device_code:
        raise OAuthError("invalid_request", "device_code is required")
    grant = session.scalar(select(DeviceAuthorization).where(
        DeviceAuthorization.device_code_hash == key_digest(settings.pepper, device_code)))
    if grant is None or grant.client_id != client or grant.status == "issued":
        raise OAuthError("invalid_grant", "Unknown or already used device_code")
    now = utcnow()
    if grant.status == "denied":
        raise OAuthError("access_denied", "The sign-in was denied")
    if grant.status == "pending" and grant.expires_at <= now:
        raise OAuthError("expired_token", "The device_code expired; start the sign-in again")
    previous, grant.last_polled_at = grant.last_polled_at, now
    # Compared with the interval first announced: HardPy keeps its pace after a slow_down.
    if grant.status == "pending" and previous is not None and now - previous < timedelta(seconds=grant.interval):
        raise OAuthError("slow_down", f"Poll at most every {grant.interval} seconds")
    if grant.status == "pending":
        raise OAuthError("authorization_pending", "Waiting for a person to approve the sign-in")
    if grant.key is None or grant.key.revoked_at is not None:
        raise OAuthError("access_denied", "The stand was revoked")
    grant.status = "issued"
    return tokens.issue_pair(session, settings, grant.key)


def refresh(session: Session, settings: Settings, client_id: str | None, refresh_token: str | None) -> dict:
    """A new token pair for a live refresh token (which stops working)."""
    if client_id is not None:
        check_client(settings, client_id)
    if not refresh_token:
        raise OAuthError("invalid_request", "refresh_token is required")
    rotated = tokens.rotate(session, settings, refresh_token)
    if rotated is None:
        raise OAuthError("invalid_grant", "Unknown, used, expired or revoked refresh_token")
    return rotated[1]
