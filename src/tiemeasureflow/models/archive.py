"""Archives: closed periods of measurements moved to checksummed files, and the runs they took along."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

# The one state in which the database lets measurements and finished runs be deleted: it exists only
# inside the archiving transaction (written, then moved on before commit), so no other session sees it.
REMOVING = "removing"
ARCHIVE_STATES = (REMOVING, "archived", "restored")


class Archive(Base):
    """One archive file: its period, checksum, row counts and whether it has been restored."""

    __tablename__ = "archives"
    __table_args__ = (Index("ix_archives_state", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    period_from: Mapped[datetime] = mapped_column(UTCDateTime)
    period_before: Mapped[datetime] = mapped_column(UTCDateTime)
    measurements: Mapped[int] = mapped_column(BigInteger)
    runs: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10))
    archived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ArchivedRun(Base):
    """A run that left the database with an archive (the audit check knows it is away, not lost)."""

    __tablename__ = "archived_runs"

    run_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    archive_id: Mapped[int] = mapped_column(ForeignKey("archives.id"), index=True)
