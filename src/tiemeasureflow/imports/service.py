"""Importing a measuring machine's file: parse, land on a recipe, store runs, remember the file; one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.service import record
from ..identity.principal import Actor
from ..kit.errors import Conflict, NotFound, Unprocessable
from ..models import ImportRecord, RecipeVersion, Station
from ..recipes.drafts import after_edit
from ..recipes.versioning import DRAFT, copy_version, land_edit, lock_recipe, open_draft
from . import dfq_reader, qif_reader
from .document import PLAN, Document, FormatError
from .matching import Target, add_characteristics, find_recipe, match, subtask_values
from .storing import Origin, store_parts

READERS = {"qif": qif_reader.parse, "dfq": dfq_reader.parse}
MAX_IMPORT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ImportRequest:
    """One file to import and where its values should land."""

    format: str
    content: bytes
    filename: str | None = None
    recipe_id: int | None = None
    recipe_code: str | None = None
    station_code: str | None = None


def parse(request: ImportRequest) -> Document:
    """The file's document; 422 with the reason when it is not a readable file of its format."""
    if len(request.content) > MAX_IMPORT_BYTES:
        raise Unprocessable(f"The file is larger than {MAX_IMPORT_BYTES} bytes")
    try:
        return READERS[request.format](request.content)
    except FormatError as exc:
        raise Unprocessable(f"Not a readable {request.format.upper()} file: {exc}") from None


def identity_of(document: Document, content: bytes) -> tuple[str, str]:
    """(identity, sha256): the document's QPId when it has one, else its content hash."""
    digest = hashlib.sha256(content).hexdigest()
    return (f"qpid:{document.identity.lower()}"[:100] if document.identity else f"sha256:{digest}"), digest


def previous_import(session: Session, identity: str) -> ImportRecord | None:
    """The record of an earlier import of the same document."""
    return session.scalar(select(ImportRecord).where(ImportRecord.identity == identity))


def import_file(session: Session, request: ImportRequest, actor: Actor | None, document: Document | None = None) -> dict:
    """The import's answer: created, matched and skipped, with reasons; the first answer again for a repeat.

    `document` is the request's file already parsed (`parse`), so a caller that looked at it does not parse twice.
    """
    document = document or parse(request)
    identity, digest = identity_of(document, request.content)
    earlier = previous_import(session, identity)
    if earlier is not None:
        return {**earlier.summary, "duplicate": True}
    try:
        with session.begin_nested():
            return _import(session, request, document, identity, digest, actor)
    except IntegrityError:
        earlier = previous_import(session, identity)  # a concurrent import of the same file won
        if earlier is None:
            raise
        return {**earlier.summary, "duplicate": True}


def _station_id(session: Session, code: str | None) -> int | None:
    if code is None:
        return None
    station_id = session.scalar(select(Station.id).where(Station.code == code))
    if station_id is None:
        raise NotFound(f"Station {code} not found")
    return station_id


def _import(session: Session, request: ImportRequest, document: Document, identity: str, digest: str,
            actor: Actor | None) -> dict:
    station_id = _station_id(session, request.station_code)
    if document.more and (request.recipe_id is not None or request.recipe_code is not None):
        raise Unprocessable(f"The file describes {len(document.more) + 1} parts, each landing on its own recipe: "
                            "recipe_id and recipe_code name one recipe, leave them out")
    parts = [_land(session, request, part, station_id, actor) for part in (document, *document.more)]
    first = parts[0]
    runs = [run for part in parts for run in part.pop("runs")]
    summary = {
        "format": document.format, "kind": document.kind, "filename": request.filename, "duplicate": False,
        "recipe": first["recipe"], "version": first["version"], "characteristics": first["characteristics"],
        "runs": runs, "measurements": sum(r["values"] for r in runs),
        "skipped": [s for part in parts for s in part.pop("skipped")],
        "disagreements": [d for part in parts for d in part.pop("disagreements")],
        "parts": parts,
    }
    row = ImportRecord(format=document.format, identity=identity, sha256=digest, filename=request.filename,
                       kind=document.kind, recipe_id=first["recipe"]["id"], version_id=first["version"]["id"],
                       imported_by=actor.user_id if actor else None, summary=summary)
    session.add(row)
    session.flush()
    summary = {"import_id": row.id, **summary}
    row.summary = summary  # a new object, so the JSON column sees the change
    session.flush()
    record(session, actor, "import", "import_record", row.id, new={
        "format": document.format, "kind": document.kind, "identity": identity, "filename": request.filename,
        "recipe_id": first["recipe"]["id"], "version_id": first["version"]["id"], "runs": [r["id"] for r in runs],
        "measurements": summary["measurements"]})
    return summary


def _land(session: Session, request: ImportRequest, document: Document, station_id: int | None,
          actor: Actor | None) -> dict:
    """One part of the file on its recipe: a draft for a plan, judged runs for results."""
    target = find_recipe(session, document, request.recipe_id, request.recipe_code, actor)
    recipe = lock_recipe(session, target.recipe.id)
    if document.kind == PLAN:
        version = _plan_draft(session, target, document, actor)
        runs, skipped, disagreements = [], [], []
    else:
        version = recipe.current_version
        if not any(t.subtasks for t in version.tasks) and open_draft(session, recipe.id) is None:
            landing = land_edit(session, recipe, actor, "Characteristics of an imported file added")
            version = landing.version
            add_characteristics(session, target, version, document.characteristics)
        specs = match(session, version.id, document.characteristics, target)
        origin = Origin(document.format, station_id, actor.user_id if actor else None)
        runs, skipped, disagreements = store_parts(session, version, recipe.code, specs, document.parts, origin)
        if not runs:
            raise Conflict("No value of the file matches a characteristic of recipe "
                           f"{recipe.code} version {version.version_number}: nothing imported")
    return {
        "recipe": {"id": recipe.id, "code": recipe.code, "created": target.created},
        "version": {"id": version.id, "version_number": version.version_number, "status": version.status},
        "characteristics": {"created": target.created_labels, "matched": target.matched_labels},
        "runs": runs, "measurements": sum(r["values"] for r in runs), "run_ids": [r["id"] for r in runs],
        "skipped": document.skipped + target.skipped + skipped, "disagreements": disagreements,
    }


def _plan_draft(session: Session, target: Target, document: Document, actor: Actor | None) -> RecipeVersion:
    """A draft version carrying the plan: matching characteristics take the plan's limits, new ones are added."""
    recipe = target.recipe
    if open_draft(session, recipe.id) is not None:
        raise Conflict(f"Recipe {recipe.code} already has an open draft: release or discard it first")
    landing = copy_version(session, recipe, recipe.current_version, actor, "Imported measurement plan", status=DRAFT)
    draft = landing.version
    session.flush()
    existing = match(session, draft.id, document.characteristics, target)
    by_id = {s.id: s for t in draft.tasks for s in t.subtasks}
    for spec in document.characteristics:
        found = existing.get(spec.label)
        if found is None:
            continue
        subtask = by_id[found.subtask_id]
        for key in ("measurement_type", "nominal", "ltl", "utl", "unit"):
            setattr(subtask, key, subtask_values(spec, subtask.marker_number)[key])
    new = [s for s in document.characteristics if s.label not in existing]
    add_characteristics(session, target, draft, new)
    after_edit(session, draft)
    return draft
