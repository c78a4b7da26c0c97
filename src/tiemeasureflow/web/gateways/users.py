"""Accounts: sign-in, the own profile, and user administration."""

from __future__ import annotations

from typing import Any, TypedDict

from ..api_client import ApiClient
from .routes import route

LOGIN = route("POST", "/api/auth/login")
LOGOUT = route("POST", "/api/auth/logout")
ME = route("GET", "/api/auth/me")
UPDATE_ME = route("PUT", "/api/auth/me")
USERS = route("GET", "/api/users")
CREATE = route("POST", "/api/users")
USER = route("GET", "/api/users/{user_id}")
UPDATE = route("PUT", "/api/users/{user_id}")
DEACTIVATE = route("DELETE", "/api/users/{user_id}")
REGENERATE_KEY = route("POST", "/api/users/{user_id}/regenerate-key")


class User(TypedDict):
    """A user's profile."""

    id: int
    username: str
    display_name: str
    email: str | None
    roles: list[str]
    is_admin: bool
    active: bool
    language_pref: str
    theme_pref: str


class SignedIn(TypedDict):
    """A sign-in: the key the station keeps and the profile."""

    api_key: str
    user: User


class NewKey(TypedDict):
    """A freshly issued key, shown once."""

    api_key: str
    message: str


def login(client: ApiClient, username: str, password: str) -> SignedIn:
    """Sign in anonymously with a username and password."""
    return LOGIN.call(client, json={"username": username, "password": password})


def logout(client: ApiClient) -> None:
    """Revoke the key of this sign-in."""
    LOGOUT.call(client)


def me(client: ApiClient | None = None) -> User:
    """The signed-in user's profile."""
    return ME.call(client)


def update_me(changes: dict[str, Any]) -> User:
    """Change the own profile's preferences."""
    return UPDATE_ME.call(json=changes)


def users() -> list[User]:
    """Every user."""
    return USERS.call()


def user(user_id: int) -> User:
    """One user."""
    return USER.call(user_id=user_id)


def create(fields: dict[str, Any]) -> User:
    """Create a user."""
    return CREATE.call(json=fields)


def update(user_id: int, fields: dict[str, Any]) -> User:
    """Change a user."""
    return UPDATE.call(user_id=user_id, json=fields)


def deactivate(user_id: int) -> None:
    """Deactivate a user."""
    DEACTIVATE.call(user_id=user_id)


def regenerate_key(user_id: int) -> NewKey:
    """Issue a new key for a user (the old one stops working)."""
    return REGENERATE_KEY.call(user_id=user_id)
