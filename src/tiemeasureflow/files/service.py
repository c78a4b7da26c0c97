"""File rules: type from the bytes, size limit, safe numbered names, thumbnails, frozen references, audit."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from ..audit.service import record, snapshot
from ..identity.principal import Actor
from ..kit.db import get_or_404
from ..kit.errors import BadRequest, Conflict, NotFound
from ..models import Measurement, Recipe, RecipeVersion, StoredFile, Task
from . import pdf, storage
from .images import write_thumbnail
from .kinds import ACCEPTED_DESCRIPTION, HEAD_SIZE, FileKind, detect_kind

GENERAL_FOLDER = "general"
THUMBNAIL_FOLDER = "thumbnails"
AUDITED_FIELDS = ("path", "thumbnail_path", "original_name", "content_type", "size", "sha256", "recipe_id",
                  "version_id", "uploaded_by")
FILE_NOT_FOUND = "File not found"


@dataclass(frozen=True)
class ServedFile:
    """What the serving route needs: where the file is, its type and how to present it."""

    path: Path
    content_type: str
    inline: bool


@dataclass
class StagedUpload:
    """An upload claimed on disk but not yet recorded: where it goes and what has been written so far."""

    recipe_id: int | None
    version_id: int | None
    folder_path: str
    path: Path
    kind: FileKind
    head: bytes
    thumbnail: Path
    fd: int | None = None
    size: int = 0
    sha256: str = ""
    rendered: list[Path] = field(default_factory=list)

    @property
    def relative(self) -> str:
        return f"{self.folder_path}/{self.path.name}"

    def discard(self) -> None:
        """Close and remove whatever was written for the upload."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        storage.remove_files(self.path, self.thumbnail, *self.rendered)


def stage(session: Session, root: Path, source: BinaryIO, filename: str | None,
          recipe_id: int | None, version_id: int | None) -> StagedUpload:
    """Check the type and the target, and claim a free name under uploads/{recipe_id}/{version_id}/ or uploads/general/."""
    recipe_id, version_id = _target_version(session, recipe_id, version_id)
    folder_path = GENERAL_FOLDER if recipe_id is None else f"{recipe_id}/{version_id}"
    stem, ext = storage.sanitize_filename(filename)
    head = source.read(HEAD_SIZE)
    kind = detect_kind(head)
    if kind is None:
        raise BadRequest(f"Invalid file type: only {ACCEPTED_DESCRIPTION} files are accepted")
    # Keep the client's extension when it names the detected type, else use the type's own.
    ext = ext if ext in kind.extensions else kind.extension
    folder = storage.ensure_folder(root, folder_path)
    path, fd = storage.claim_name(folder, stem, ext, lambda name: _path_recorded(session, f"{folder_path}/{name}"))
    # A PDF's thumbnail is a PNG of its first page; its pages are rendered for balloons.
    thumbnail_name = path.name if kind.is_image else f"{path.name}.png"
    return StagedUpload(recipe_id, version_id, folder_path, path, kind, head,
                        folder / THUMBNAIL_FOLDER / thumbnail_name, fd=fd)


def process(staged: StagedUpload, root: Path, source: BinaryIO, limit: int) -> None:
    """Write the file within the size limit, then its thumbnail (images) or its pages (PDF): the slow part."""
    try:
        fd, staged.fd = staged.fd, None
        staged.size, staged.sha256 = storage.copy_limited(fd, staged.head, source, limit)
        if staged.kind.is_image:
            write_thumbnail(staged.path, staged.kind, staged.thumbnail)
        else:
            staged.rendered = pdf.render(staged.path, root, staged.relative, staged.thumbnail)
    except BaseException:
        staged.discard()
        raise


def record_upload(session: Session, staged: StagedUpload, filename: str | None, actor: Actor) -> StoredFile:
    """Record a processed upload; its files are removed if the transaction fails."""
    try:
        # The target is checked again: it was read in another transaction.
        if _target_version(session, staged.recipe_id, staged.version_id) != (staged.recipe_id, staged.version_id):
            raise Conflict("The recipe's current version changed during the upload; upload again")
        with_thumbnail = staged.kind.is_image or bool(staged.rendered)
        row = StoredFile(
            path=staged.relative,
            thumbnail_path=f"{staged.folder_path}/{THUMBNAIL_FOLDER}/{staged.thumbnail.name}" if with_thumbnail else None,
            page_count=None if staged.kind.is_image else max(len(staged.rendered) - 1, 0) or None,
            original_name=filename, content_type=staged.kind.content_type, size=staged.size, sha256=staged.sha256,
            recipe_id=staged.recipe_id, version_id=staged.version_id, uploaded_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        record(session, actor, "create", "file", row.id, new=snapshot(row, AUDITED_FIELDS))
    except BaseException:
        staged.discard()
        raise
    # Should the transaction still fail at commit, the files go with it.
    storage.after_rollback(session, staged.discard)
    return row


def upload(session: Session, root: Path, limit: int, source: BinaryIO, filename: str | None,
           recipe_id: int | None, version_id: int | None, actor: Actor) -> StoredFile:
    """Stage, process and record an upload in one session (work without requests, such as demo seeding)."""
    staged = stage(session, root, source, filename, recipe_id, version_id)
    process(staged, root, source, limit)
    return record_upload(session, staged, filename, actor)


def _target_version(session: Session, recipe_id: int | None, version_id: int | None) -> tuple[int | None, int | None]:
    """(recipe_id, version_id) of the folder: a version implies its recipe, a recipe alone its current version."""
    if recipe_id is None and version_id is None:
        return None, None
    version = session.get(RecipeVersion, version_id) if version_id is not None else None
    if version_id is not None and version is None:
        raise NotFound("Recipe version not found")
    if recipe_id is None:
        return version.recipe_id, version.id
    recipe = get_or_404(session, Recipe, recipe_id, "Recipe not found")
    if version is not None and version.recipe_id != recipe.id:
        raise BadRequest("The version does not belong to the recipe")
    target = version.id if version is not None else recipe.current_version_id
    if target is None:
        raise BadRequest("The recipe has no version to attach the file to")
    return recipe.id, target


def _path_recorded(session: Session, path: str) -> bool:
    return session.scalar(select(StoredFile.id).where(StoredFile.path == path)) is not None


def locate(root: Path, relative: str) -> ServedFile:
    """The file to serve and its type, read from its bytes: accepted types inline, anything else as an attachment."""
    path = storage.resolve_inside(root, relative)
    if not path.is_file():
        raise NotFound(FILE_NOT_FOUND)
    with path.open("rb") as handle:
        kind: FileKind | None = detect_kind(handle.read(HEAD_SIZE))
    if kind is None:
        return ServedFile(path, "application/octet-stream", inline=False)
    return ServedFile(path, kind.content_type, inline=True)


def delete(session: Session, root: Path, relative: str, actor: Actor) -> None:
    """Delete a recorded file and its thumbnail; 409 while a frozen version references it."""
    path = storage.resolve_inside(root, relative)
    row = session.scalar(select(StoredFile).where(StoredFile.path == relative))
    if row is None:
        raise NotFound(FILE_NOT_FOUND)
    frozen = _frozen_version_ids(session, row.id)
    if frozen:
        raise Conflict(f"File is used by recipe versions that have measurements or are no longer current: {frozen}")
    detached = _detach_from_tasks(session, row.id)
    old = {**snapshot(row, AUDITED_FIELDS), "detached_task_ids": detached}
    thumbnail = root / row.thumbnail_path if row.thumbnail_path else None
    pages = [storage.resolve_inside(root, p) for p in row.page_paths]
    file_id = row.id
    session.delete(row)
    session.flush()
    record(session, actor, "delete", "file", file_id, old=old)
    # Removed from disk only once the deletion is committed, so a failed request leaves both intact.
    storage.after_commit(session, lambda: storage.remove_files(path, thumbnail, *pages))


def _frozen_version_ids(session: Session, file_id: int) -> list[int]:
    """Versions referencing the file that must never change: measured ones and ones no longer current."""
    measured = exists(select(Measurement.id).where(Measurement.version_id == Task.version_id))
    stmt = (select(Task.version_id).distinct()
            .join(RecipeVersion, RecipeVersion.id == Task.version_id)
            .join(Recipe, Recipe.id == RecipeVersion.recipe_id)
            .where(Task.file_id == file_id)
            .where(measured | Recipe.current_version_id.is_distinct_from(Task.version_id))
            .order_by(Task.version_id))
    return list(session.scalars(stmt))


def _detach_from_tasks(session: Session, file_id: int) -> list[int]:
    """Clear the file from the tasks of editable (current, unmeasured) versions; returns their ids."""
    task_ids = list(session.scalars(select(Task.id).where(Task.file_id == file_id).order_by(Task.id)))
    if task_ids:
        session.execute(update(Task).where(Task.id.in_(task_ids)).values(file_id=None, file_type=None),
                        execution_options={"synchronize_session": "fetch"})
    return task_ids
