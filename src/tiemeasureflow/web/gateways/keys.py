"""Integration keys, HardPy stands approved by sign-in, and their device authorizations."""

from __future__ import annotations

from typing import Any

from .routes import JsonObject, route

INTEGRATION_KEYS = route("GET", "/api/integration-keys")
CREATE_INTEGRATION_KEY = route("POST", "/api/integration-keys")
REVOKE_INTEGRATION_KEY = route("DELETE", "/api/integration-keys/{key_id}")
STANDS = route("GET", "/api/approved-stands")
REVOKE_STAND = route("DELETE", "/api/approved-stands/{key_id}")
GRANT = route("GET", "/api/device-authorizations/{user_code}")
DECIDE = route("POST", "/api/device-authorizations/{user_code}")


def integration_keys(page: int, per_page: int) -> JsonObject:
    """One page of integration keys, revoked ones included."""
    return INTEGRATION_KEYS.call(params={"page": page, "per_page": per_page, "include_revoked": "true"})


def create_integration_key(fields: dict[str, Any]) -> JsonObject:
    """Issue an integration key; the answer carries it once."""
    return CREATE_INTEGRATION_KEY.call(json=fields)


def revoke_integration_key(key_id: int) -> None:
    """Revoke an integration key."""
    REVOKE_INTEGRATION_KEY.call(key_id=key_id)


def stands() -> list[JsonObject]:
    """Stands approved by sign-in, revoked ones included."""
    return STANDS.call(params={"include_revoked": "true"})


def revoke_stand(key_id: int) -> None:
    """Revoke a stand's tokens."""
    REVOKE_STAND.call(key_id=key_id)


def grant(user_code: str) -> JsonObject:
    """The pending sign-in behind a device code."""
    return GRANT.call(user_code=user_code)


def decide(user_code: str, decision: dict[str, Any]) -> None:
    """Approve (with a name and optional station) or deny a device sign-in."""
    DECIDE.call(user_code=user_code, json=decision)
