"""Uploaded files tracked in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class StoredFile(Base):
    """A file under the upload folder: where, what, how big, its digest and owner."""

    __tablename__ = "files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1024), unique=True)
    thumbnail_path: Mapped[str | None] = mapped_column(String(1024))
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    recipe_id: Mapped[int | None] = mapped_column(ForeignKey("recipes.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("recipe_versions.id"))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
