"""Recipe rules: unique codes, soft delete, copy-on-write edits of name and description, versions."""

from __future__ import annotations

import re

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..audit.service import record, snapshot
from ..identity.principal import Actor
from ..kit.errors import Conflict, NotFound
from ..kit.schemas import paginate
from ..models import Recipe, RecipeVersion, Task
from . import diff
from .drafts import after_edit
from .schemas import CODE_PATTERN, RecipeCreate, RecipeUpdate
from .versioning import (
    DRAFT,
    create_first_version,
    in_id_range,
    is_frozen,
    land_edit,
    lock_recipe,
    measurement_count,
    measurement_counts,
    open_draft,
)

CODE = re.compile(CODE_PATTERN)
AUDITED_FIELDS = ("code", "name", "description", "active", "current_version_id")
# Loads a recipe's current version with its tasks, files and subtasks in a few queries.
WITH_CURRENT_VERSION = selectinload(Recipe.current_version).selectinload(RecipeVersion.tasks).selectinload(Task.subtasks)
WITH_TASKS = selectinload(RecipeVersion.tasks).selectinload(Task.subtasks)


def _like(text: str) -> str:
    """A LIKE pattern matching the text literally anywhere."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_recipes(session: Session, page: int, per_page: int, search: str | None) -> tuple[list[Recipe], int, int]:
    """One page of active recipes by code, optionally filtered on code or name (case-insensitive)."""
    stmt: Select = select(Recipe).where(Recipe.active.is_(True)).options(WITH_CURRENT_VERSION)
    if search and "\x00" in search:
        return [], 0, 0  # no code or name holds a NUL (and PostgreSQL refuses one in a query)
    if search:
        pattern = _like(search)
        stmt = stmt.where(or_(Recipe.code.ilike(pattern, escape="\\"), Recipe.name.ilike(pattern, escape="\\")))
    return paginate(session, stmt.order_by(Recipe.code, Recipe.id), page, per_page)


def get_recipe(session: Session, recipe_id: int) -> Recipe:
    """One recipe (active or not) with its current version, or 404."""
    recipe = session.get(Recipe, recipe_id, options=[WITH_CURRENT_VERSION]) if in_id_range(recipe_id) else None
    if recipe is None:
        raise NotFound("Recipe not found")
    return recipe


def get_active_by_code(session: Session, code: str) -> Recipe:
    """The active recipe with this code (a scanned barcode), or 404."""
    if not CODE.fullmatch(code):
        raise NotFound("Recipe not found")  # cannot be a recipe code; not worth a query
    recipe = session.scalar(select(Recipe).where(Recipe.code == code, Recipe.active.is_(True)).options(WITH_CURRENT_VERSION))
    if recipe is None:
        raise NotFound("Recipe not found")
    return recipe


def create_recipe(session: Session, data: RecipeCreate, actor: Actor | None) -> Recipe:
    """A recipe with version 1 as its current version; 409 when the code is taken (by any recipe, active or not)."""
    if session.scalar(select(Recipe.id).where(Recipe.code == data.code)) is not None:
        raise Conflict("Recipe code already exists")
    recipe = Recipe(code=data.code, name=data.name, description=data.description, active=True,
                    created_by=actor.user_id if actor else None)
    try:
        # A concurrent creation of the same code loses here, not at commit time.
        with session.begin_nested():
            session.add(recipe)
            session.flush()
    except IntegrityError:
        raise Conflict("Recipe code already exists") from None
    record(session, actor, "create", "recipe", recipe.id, new=snapshot(recipe, AUDITED_FIELDS[:-1]))
    create_first_version(session, recipe, actor, data.change_notes)
    return _reloaded(session, recipe)


def update_recipe(session: Session, recipe_id: int, data: RecipeUpdate, actor: Actor | None) -> Recipe:
    """Change name/description in the current version, copying it first when it has measurements."""
    recipe = lock_recipe(session, recipe_id)
    if not recipe.active:
        raise Conflict("Recipe is inactive")
    sent = data.model_dump(exclude_unset=True)
    draft = open_draft(session, recipe.id)
    base = draft or recipe
    changes = {k: v for k, v in sent.items() if k in ("name", "description") and getattr(base, k) != v}
    notes = sent.get("change_notes")
    if not changes:
        if notes is not None and notes != (draft or recipe.current_version).change_notes:
            _replace_draft_notes(session, recipe, draft or recipe.current_version, notes, actor)
        return recipe
    old = {**snapshot(recipe, AUDITED_FIELDS), "version_number": recipe.current_version.version_number}
    landing = land_edit(session, recipe, actor, f"Recipe {' and '.join(changes)} changed", notes)
    if landing.copied_from is None and notes is not None:
        landing.version.change_notes = notes
    for field, value in changes.items():
        if landing.version.status != DRAFT:  # a draft's name reaches the recipe at its release
            setattr(recipe, field, value)
        setattr(landing.version, field, value)
    after_edit(session, landing.version)
    record(session, actor, "update", "recipe", recipe.id, old=old,
           new={**snapshot(recipe, AUDITED_FIELDS), "version_number": landing.version.version_number,
                "change_notes": landing.version.change_notes})
    return _reloaded(session, recipe)


def _replace_draft_notes(session: Session, recipe: Recipe, version: RecipeVersion, notes: str,
                         actor: Actor | None) -> None:
    """Only change notes sent: they replace a draft's notes; a measured version's notes cannot change."""
    if is_frozen(session, version.id):
        raise Conflict(f"Version {version.version_number} has measurements; its change notes cannot change")
    old = {"change_notes": version.change_notes}
    version.change_notes = notes
    session.flush()
    record(session, actor, "update", "recipe_version", version.id, old=old, new={"change_notes": notes})


def deactivate_recipe(session: Session, recipe_id: int, actor: Actor | None) -> Recipe:
    """Soft delete: the recipe leaves lists and code lookups; its versions and measurements stay; 409 if inactive."""
    recipe = lock_recipe(session, recipe_id)
    if not recipe.active:
        raise Conflict("Recipe is inactive")
    old = snapshot(recipe, AUDITED_FIELDS)
    recipe.active = False
    session.flush()
    record(session, actor, "deactivate", "recipe", recipe.id, old=old, new=snapshot(recipe, AUDITED_FIELDS))
    return _reloaded(session, recipe)


def list_versions(session: Session, recipe_id: int) -> list[RecipeVersion]:
    """Every version of a recipe, oldest first, with its tasks."""
    get_recipe(session, recipe_id)
    stmt = (select(RecipeVersion).where(RecipeVersion.recipe_id == recipe_id)
            .order_by(RecipeVersion.version_number).options(WITH_TASKS))
    return list(session.scalars(stmt))


def list_versions_counted(session: Session, recipe_id: int) -> list[tuple[RecipeVersion, int]]:
    """Every version of a recipe, oldest first, with its measurement count (one counting query for all)."""
    versions = list_versions(session, recipe_id)
    counts = measurement_counts(session, [v.id for v in versions])
    return [(version, counts.get(version.id, 0)) for version in versions]


def get_version(session: Session, recipe_id: int, version_number: int) -> RecipeVersion:
    """One version by number, or 404."""
    get_recipe(session, recipe_id)
    version = None
    if in_id_range(version_number):
        version = session.scalar(select(RecipeVersion).where(
            RecipeVersion.recipe_id == recipe_id, RecipeVersion.version_number == version_number).options(WITH_TASKS))
    if version is None:
        raise NotFound("Version not found")
    return version


def version_measurement_count(session: Session, recipe_id: int, version_number: int) -> dict[str, int]:
    """How many measurements a version has."""
    version = get_version(session, recipe_id, version_number)
    return {"recipe_id": recipe_id, "version_number": version.version_number,
            "measurement_count": measurement_count(session, version.id)}


def version_diff(session: Session, recipe_id: int, a: int, b: int) -> dict:
    """What changed from version a to version b (by number), with summary lines."""
    old, new = get_version(session, recipe_id, a), get_version(session, recipe_id, b)
    found = diff.version_diff(session, old, new)
    return {**found, "summary": diff.summary_lines(found)}


def _reloaded(session: Session, recipe: Recipe) -> Recipe:
    """The recipe re-read after an edit, so collections reflect the new order and contents."""
    session.flush()
    session.expire_all()
    return get_recipe(session, recipe.id)
