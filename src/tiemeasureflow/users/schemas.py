"""User payloads and responses."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from ..kit.schemas import OrmOutput, StrictInput
from ..kit.vocabulary import ROLES

Role = Literal[ROLES]  # type: ignore[valid-type]
Language = Literal["it", "en"]
Theme = Literal["light", "dark"]
USERNAME_PATTERN = r"^[A-Za-z0-9._@-]+$"
# Printable text without control characters (which PostgreSQL, terminals and CSVs all mishandle).
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
# Deliberately simple: something@host.tld, no spaces; delivery is the mail server's business.
EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$"


def _absent() -> Any:
    # A default_factory keeps "omitted" out of the JSON schema: the field may be left out, not sent as null.
    return None


def _username(**kw: Any) -> Any:
    return Field(min_length=1, max_length=100, pattern=USERNAME_PATTERN, **kw)


def _password(**kw: Any) -> Any:
    return Field(min_length=8, max_length=256, pattern=TEXT_PATTERN, **kw)


def _display_name(**kw: Any) -> Any:
    return Field(min_length=1, max_length=255, pattern=TEXT_PATTERN, **kw)


def _email(**kw: Any) -> Any:
    return Field(max_length=255, pattern=EMAIL_PATTERN, **kw)


class UserResponse(OrmOutput):
    """A user as the API shows it."""

    id: int
    username: str
    display_name: str
    email: str | None
    roles: list[str]
    is_admin: bool
    active: bool
    language_pref: str
    theme_pref: str


def _canonical_roles(roles: list[str] | None) -> list[str] | None:
    # Keep the canonical order and drop repeats, so stored sets compare equal.
    return None if roles is None else [r for r in ROLES if r in roles]


class UserCreate(StrictInput):
    """A new user; everything but username, password and display name is optional."""

    username: str = _username()
    password: str = _password()
    display_name: str = _display_name()
    email: str | None = _email(default=None)
    roles: list[Role] = Field(default_factory=list, max_length=len(ROLES) * 4)
    is_admin: bool = False
    language_pref: Language = "it"
    theme_pref: Theme = "light"

    _roles = field_validator("roles")(classmethod(lambda cls, v: _canonical_roles(v)))


class UserUpdate(StrictInput):
    """Changes to a user: only the fields sent change; `email: null` clears it; a new password revokes keys."""

    display_name: str = _display_name(default_factory=_absent)
    email: str | None = _email(default_factory=_absent)
    roles: list[Role] = Field(default_factory=_absent, max_length=len(ROLES) * 4)
    is_admin: bool = Field(default_factory=_absent)
    active: bool = Field(default_factory=_absent)
    language_pref: Language = Field(default_factory=_absent)
    theme_pref: Theme = Field(default_factory=_absent)
    password: str = _password(default_factory=_absent)

    _roles = field_validator("roles")(classmethod(lambda cls, v: _canonical_roles(v)))


class ProfileUpdate(StrictInput):
    """What users may change about themselves; only the fields sent change."""

    display_name: str = _display_name(default_factory=_absent)
    language_pref: Language = Field(default_factory=_absent)
    theme_pref: Theme = Field(default_factory=_absent)


class KeyRegenerated(BaseModel):
    """A freshly issued key, shown once."""

    api_key: str
    message: str
