"""First article inspections (AS9102): the record, its Form 2 entries, per-characteristic notes, frozen runs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

FAI_KINDS = ("full", "partial")
FAI_STATUSES = ("open", "complete")


class FirstArticle(Base):
    """One first article inspection of a part serial on a recipe version, full or partial."""

    __tablename__ = "fai_reports"
    __table_args__ = (Index("ix_fai_reports_recipe_serial", "recipe_id", "serial_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_number: Mapped[str] = mapped_column(String(100), unique=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("recipe_versions.id"))
    serial_number: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    # Partial: the released version the change is measured against, and the characteristics it affected.
    baseline_version_id: Mapped[int | None] = mapped_column(ForeignKey("recipe_versions.id"))
    scope_json: Mapped[Any] = mapped_column(JSON)
    # Form 1 fields the plan does not hold.
    manufacturing_reference: Mapped[str | None] = mapped_column(String(255))
    po_number: Mapped[str | None] = mapped_column(String(255))
    comments: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The completing electronic signature and a digest of the forms' content it signed.
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_by_name: Mapped[str | None] = mapped_column(String(255))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signature_meaning: Mapped[str | None] = mapped_column(String(30))
    content_sha256: Mapped[str | None] = mapped_column(String(64))

    form2_rows: Mapped[list[FaiForm2Row]] = relationship(order_by="FaiForm2Row.id", cascade="all, delete-orphan")
    notes: Mapped[list[FaiCharacteristicNote]] = relationship(cascade="all, delete-orphan")
    runs: Mapped[list[FaiRun]] = relationship(cascade="all, delete-orphan")


class FaiForm2Row(Base):
    """A Form 2 entry: a material, special process or functional test (fields 5-13), blanks allowed."""

    __tablename__ = "fai_form2_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fai_id: Mapped[int] = mapped_column(ForeignKey("fai_reports.id"), index=True)
    material_or_process: Mapped[str | None] = mapped_column(String(255))
    specification: Mapped[str | None] = mapped_column(String(255))
    code: Mapped[str | None] = mapped_column(String(100))
    supplier: Mapped[str | None] = mapped_column(String(255))
    customer_approval: Mapped[str | None] = mapped_column(String(255))
    certificate_number: Mapped[str | None] = mapped_column(String(255))
    functional_test: Mapped[str | None] = mapped_column(String(255))
    acceptance_report: Mapped[str | None] = mapped_column(String(255))
    comments: Mapped[str | None] = mapped_column(Text)


class FaiCharacteristicNote(Base):
    """Form 3 fields the user writes for one characteristic: nonconformance number and comments."""

    __tablename__ = "fai_characteristic_notes"
    __table_args__ = (UniqueConstraint("fai_id", "characteristic_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fai_id: Mapped[int] = mapped_column(ForeignKey("fai_reports.id"))
    characteristic_id: Mapped[int] = mapped_column(ForeignKey("characteristics.id"))
    nc_number: Mapped[str | None] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(Text)


class FaiRun(Base):
    """A run a completed FAI rests on (frozen at signing; an open FAI follows the serial's runs)."""

    __tablename__ = "fai_runs"
    __table_args__ = (UniqueConstraint("fai_id", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fai_id: Mapped[int] = mapped_column(ForeignKey("fai_reports.id"))
    run_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("runs.id"))
