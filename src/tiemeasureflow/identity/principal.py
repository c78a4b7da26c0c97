"""Who is calling: the key, its user and the client address, as one value."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import ApiKey, User


@dataclass(frozen=True)
class Actor:
    """What the audit trail records about the caller."""

    user_id: int | None
    key_id: int | None
    ip: str | None


@dataclass
class Principal:
    """An authenticated caller."""

    key: ApiKey | None  # None only for work done in a user's name without a request (demo seeding)
    user: User | None
    ip: str

    @property
    def actor(self) -> Actor:
        """The caller as the audit trail sees it."""
        return Actor(self.user.id if self.user else None, self.key.id if self.key else None, self.ip)

    @property
    def user_id(self) -> int | None:
        """The caller's user id, if the key belongs to a user."""
        return self.user.id if self.user else None
