"""Copy-on-write versions: where an edit of a recipe lands, and the copy that protects measured versions.

A version with at least one measurement, or released with a signature, is frozen. An edit aimed at
the current version applies in place while it is not; otherwise the whole version is first copied
into a new current version (next number) and the edit applies to the copy. Old versions are never
changed. While a draft is open, every edit lands in the draft instead.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..identity.principal import Actor
from ..kit.errors import Conflict, NotFound
from ..models import Measurement, Recipe, RecipeVersion, Subtask, Task
from .schemas import MAX_ID

TASK_FIELDS = ("order_index", "title", "directive", "description", "file_id", "file_type", "annotations_json")
SUBTASK_FIELDS = ("characteristic_id", "marker_number", "description", "measurement_type",
                  "nominal", "utl", "uwl", "lwl", "ltl", "unit")
SUBTASK_FIELDS += ("label", "tolerance_text", "gross_error_factor", "characteristic_class", "reaction_plan", "cpk_target")
DRAFT, RELEASED = "draft", "released"


@dataclass
class Landing:
    """The version an edit lands in, and where each task and subtask of the aimed-at version is there."""

    version: RecipeVersion
    copied_from: RecipeVersion | None = None
    tasks: dict[int, Task] = field(default_factory=dict)
    subtasks: dict[int, Subtask] = field(default_factory=dict)


def in_id_range(value: int) -> bool:
    """Whether an id can exist at all (larger ones would overflow the database's integer)."""
    return 1 <= value <= MAX_ID


def lock_recipe(session: Session, recipe_id: int) -> Recipe:
    """The recipe, locked for the rest of the transaction so concurrent edits queue up; 404 if unknown."""
    recipe = None
    if in_id_range(recipe_id):
        stmt = select(Recipe).where(Recipe.id == recipe_id).with_for_update().execution_options(populate_existing=True)
        recipe = session.scalar(stmt)
    if recipe is None:
        raise NotFound("Recipe not found")
    return recipe


def is_frozen(session: Session, version_id: int) -> bool:
    """Whether any measurement was taken on the version, or it was released with a signature."""
    if session.scalar(select(RecipeVersion.signed_at).where(RecipeVersion.id == version_id)) is not None:
        return True
    return bool(session.scalar(select(exists().where(Measurement.version_id == version_id))))


def open_draft(session: Session, recipe_id: int) -> RecipeVersion | None:
    """The recipe's open draft version, if any."""
    return session.scalar(select(RecipeVersion).where(RecipeVersion.recipe_id == recipe_id,
                                                      RecipeVersion.status == DRAFT))


def draft_landing(session: Session, draft: RecipeVersion) -> Landing:
    """Edits land in the draft: its own ids, and the current version's ids that its copies came from."""
    landing = Landing(draft)
    current = draft.recipe.current_version
    by_characteristic = {}
    for task in draft.tasks:
        landing.tasks[task.id] = task
        if task.source_task_id is not None:
            landing.tasks.setdefault(task.source_task_id, task)
        for subtask in task.subtasks:
            landing.subtasks[subtask.id] = subtask
            by_characteristic[subtask.characteristic_id] = subtask
    for task in current.tasks if current is not None else []:
        for subtask in task.subtasks:
            if subtask.characteristic_id in by_characteristic:
                landing.subtasks.setdefault(subtask.id, by_characteristic[subtask.characteristic_id])
    return landing


def measurement_count(session: Session, version_id: int) -> int:
    """How many measurements (corrections included) the version has."""
    return session.scalar(select(func.count()).select_from(Measurement).where(Measurement.version_id == version_id)) or 0


def measurement_counts(session: Session, version_ids: list[int]) -> dict[int, int]:
    """How many measurements each version has, in one query (versions without any are left out)."""
    if not version_ids:
        return {}
    stmt = (select(Measurement.version_id, func.count()).where(Measurement.version_id.in_(version_ids))
            .group_by(Measurement.version_id))
    return {version_id: count for version_id, count in session.execute(stmt)}


def land_edit(session: Session, recipe: Recipe, actor: Actor | None, generated_note: str,
              change_notes: str | None = None) -> Landing:
    """The version an edit of the (locked) recipe's current version applies to, copying it first if frozen."""
    if not recipe.active:
        raise Conflict("Recipe is inactive")
    draft = open_draft(session, recipe.id)
    if draft is not None:
        return draft_landing(session, draft)
    # Locking the version row waits for measurement inserts on it (their foreign key holds a
    # share lock), so the frozen check below sees every measurement committed before the edit.
    current = session.scalar(
        select(RecipeVersion).where(RecipeVersion.id == recipe.current_version_id).with_for_update()
    )
    if current is None:
        raise Conflict("Recipe has no current version")
    if not is_frozen(session, current.id):
        landing = Landing(current)
        for task in current.tasks:
            landing.tasks[task.id] = task
            landing.subtasks.update({s.id: s for s in task.subtasks})
        return landing
    return copy_version(session, recipe, current, actor, change_notes or generated_note)


def copy_version(session: Session, recipe: Recipe, source: RecipeVersion, actor: Actor | None,
                 change_notes: str | None, status: str = RELEASED) -> Landing:
    """Copy a version (tasks, subtasks with their characteristic, file references, balloons) as the new current one.

    A draft copy does not become current: it waits for its release.
    """
    number = (session.scalar(select(func.max(RecipeVersion.version_number)).where(RecipeVersion.recipe_id == recipe.id))
              or 0) + 1
    target = RecipeVersion(recipe_id=recipe.id, version_number=number, name=recipe.name,
                           description=recipe.description, change_notes=change_notes, status=status,
                           created_by=actor.user_id if actor else None)
    session.add(target)
    landing = Landing(target, copied_from=source)
    for task in source.tasks:
        new_task = Task(**{f: copy.deepcopy(getattr(task, f)) for f in TASK_FIELDS}, source_task_id=task.id)
        target.tasks.append(new_task)
        landing.tasks[task.id] = new_task
        for subtask in task.subtasks:
            new_subtask = Subtask(**{f: getattr(subtask, f) for f in SUBTASK_FIELDS})
            new_task.subtasks.append(new_subtask)
            landing.subtasks[subtask.id] = new_subtask
    session.flush()
    if status != DRAFT:
        recipe.current_version = target
        session.flush()
    record(session, actor, "create", "recipe_version", target.id,
           new={"recipe_id": recipe.id, "version_number": number, "copied_from_version": source.version_number,
                "change_notes": change_notes, "status": status, "tasks": len(landing.tasks), "subtasks": len(landing.subtasks)})
    return landing


def create_first_version(session: Session, recipe: Recipe, actor: Actor | None, change_notes: str | None) -> RecipeVersion:
    """Version 1 of a new recipe, made current."""
    version = RecipeVersion(recipe_id=recipe.id, version_number=1, name=recipe.name, description=recipe.description,
                            change_notes=change_notes, created_by=actor.user_id if actor else None)
    session.add(version)
    session.flush()
    recipe.current_version = version
    session.flush()
    record(session, actor, "create", "recipe_version", version.id,
           new={"recipe_id": recipe.id, "version_number": 1, "change_notes": change_notes})
    return version
