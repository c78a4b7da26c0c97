"""Imported measuring-machine files: each file once, with the runs it became."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow

IMPORT_FORMATS = ("qif", "dfq")


class ImportRecord(Base):
    """One imported file: its identity (QPId or content hash), what it became, and the answer it got."""

    __tablename__ = "import_records"
    __table_args__ = (Index("ix_import_records_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    format: Mapped[str] = mapped_column(String(10))
    # "qpid:<uuid>" for QIF documents that carry one, "sha256:<hex>" of the content otherwise.
    identity: Mapped[str] = mapped_column(String(100), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))  # results | plan
    recipe_id: Mapped[int | None] = mapped_column(ForeignKey("recipes.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("recipe_versions.id"))
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The first import's answer (runs created, characteristics matched, values skipped and why).
    summary: Mapped[Any] = mapped_column(JSON)
