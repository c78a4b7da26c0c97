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
    # A PDF drawing's pages, rendered to PNG beside it (pages/{name}/{n}.png) for balloons.
    page_count: Mapped[int | None] = mapped_column(Integer)

    @property
    def page_paths(self) -> list[str]:
        """The rendered page images of a PDF, relative to the upload folder (none for an image)."""
        return page_paths(self.path, self.page_count or 0)


def page_paths(relative: str, count: int) -> list[str]:
    """Where the page images of a stored PDF live, relative to the upload folder."""
    folder, _, name = relative.rpartition("/")
    prefix = f"{folder}/pages/{name}" if folder else f"pages/{name}"
    return [f"{prefix}/{n}.png" for n in range(1, count + 1)]
