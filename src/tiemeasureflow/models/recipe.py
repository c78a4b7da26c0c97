"""Recipes (inspection plans), their versions, tasks, subtasks and characteristics."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .file import StoredFile


class Recipe(Base):
    """An inspection plan; points at its current version."""

    __tablename__ = "recipes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("recipe_versions.id", use_alter=True, name="fk_recipes_current_version_id_recipe_versions")
    )

    current_version: Mapped[RecipeVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)
    versions: Mapped[list[RecipeVersion]] = relationship(
        back_populates="recipe", foreign_keys="RecipeVersion.recipe_id", order_by="RecipeVersion.version_number"
    )


class RecipeVersion(Base):
    """A numbered, eventually frozen snapshot of a recipe's tasks and limits."""

    __tablename__ = "recipe_versions"
    __table_args__ = (UniqueConstraint("recipe_id", "version_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id"))
    version_number: Mapped[int] = mapped_column(Integer)
    # The recipe's name and description as they were in this version.
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    change_notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Draft and release: a draft is prepared beside the current version; a signed version never changes.
    status: Mapped[str] = mapped_column(String(10), default="released", server_default="released")
    change_summary: Mapped[str | None] = mapped_column(Text)
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_by_name: Mapped[str | None] = mapped_column(String(255))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signature_meaning: Mapped[str | None] = mapped_column(String(30))

    recipe: Mapped[Recipe] = relationship(back_populates="versions", foreign_keys=[recipe_id])
    tasks: Mapped[list[Task]] = relationship(
        back_populates="version", order_by="[Task.order_index, Task.id]", cascade="all, delete-orphan"
    )

    @property
    def signature(self) -> dict[str, Any] | None:
        """The release's electronic signature (name, UTC time, meaning), if signed."""
        if self.signed_at is None:
            return None
        return {"name": self.signed_by_name, "user_id": self.signed_by, "signed_at": self.signed_at,
                "meaning": self.signature_meaning}


class Characteristic(Base):
    """The identity of a measured feature across versions: copies of a subtask share it."""

    __tablename__ = "characteristics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Task(Base):
    """One step of a version: a drawing with balloons and the subtasks measured on it."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_version_order", "version_id", "order_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("recipe_versions.id"))
    order_index: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(255))
    directive: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    file_type: Mapped[str | None] = mapped_column(String(20))
    annotations_json: Mapped[Any | None] = mapped_column(JSON)
    # The task this one was copied from (previous version): follows a task across versions.
    source_task_id: Mapped[int | None] = mapped_column(Integer)

    version: Mapped[RecipeVersion] = relationship(back_populates="tasks")
    file: Mapped[StoredFile | None] = relationship(lazy="joined")
    subtasks: Mapped[list[Subtask]] = relationship(
        back_populates="task", order_by="Subtask.marker_number", cascade="all, delete-orphan"
    )

    @property
    def file_path(self) -> str | None:
        """The referenced file's path relative to the upload folder, if any."""
        return self.file.path if self.file is not None else None

    @property
    def file_pages(self) -> list[str]:
        """A PDF drawing's pages rendered as images (servable paths), in page order."""
        return self.file.page_paths if self.file is not None else []


def _marker_as_label(context) -> str:
    """A row inserted without a label (not through the plan editor) starts labelled with its marker number."""
    return str(context.get_current_parameters()["marker_number"])


class Subtask(Base):
    """One characteristic to measure: nominal, tolerance and warning limits, unit."""

    __tablename__ = "subtasks"
    __table_args__ = (UniqueConstraint("task_id", "marker_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    characteristic_id: Mapped[int] = mapped_column(ForeignKey("characteristics.id"), index=True)
    marker_number: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    measurement_type: Mapped[str] = mapped_column(String(30))
    nominal: Mapped[float | None] = mapped_column(Float)
    utl: Mapped[float | None] = mapped_column(Float)
    uwl: Mapped[float | None] = mapped_column(Float)
    lwl: Mapped[float | None] = mapped_column(Float)
    ltl: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    # Balloon label unique within the version (1..N in task and balloon order), and the tolerance as written.
    label: Mapped[str | None] = mapped_column(String(20), default=_marker_as_label)
    tolerance_text: Mapped[str | None] = mapped_column(String(60))
    # Tolerance widths beyond a limit that make the station ask "is this right?" (None: the default, 2).
    gross_error_factor: Mapped[float | None] = mapped_column(Float)
    # Reaction to alarms: the characteristic's class (critical stops the station), its plan, its Cpk target.
    characteristic_class: Mapped[str | None] = mapped_column(String(20))
    reaction_plan: Mapped[str | None] = mapped_column(Text)
    cpk_target: Mapped[float | None] = mapped_column(Float)

    task: Mapped[Task] = relationship(back_populates="subtasks")
