"""Device authorization grants (RFC 8628) and the stand tokens they lead to; secrets stored as hashes only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .user import ApiKey

DEVICE_STATUSES = ("pending", "approved", "denied", "issued")


class DeviceAuthorization(Base):
    """One sign-in of a stand: pending until a person approves or denies its user code."""

    __tablename__ = "device_authorizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(255), default="")
    device_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_code: Mapped[str] = mapped_column(String(9), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    interval: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stand_name: Mapped[str | None] = mapped_column(String(255))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    key: Mapped[ApiKey | None] = relationship()


class StandToken(Base):
    """An access or refresh token of an approved stand (its stand key row); only an HMAC is stored."""

    __tablename__ = "stand_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when a refresh rotated the pair: the token stops working.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    key: Mapped[ApiKey] = relationship()
