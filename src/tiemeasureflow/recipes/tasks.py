"""Task rules: add, change, delete and reorder the tasks of a recipe's current version (copy-on-write)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record, snapshot
from ..identity.principal import Actor
from ..kit.errors import BadRequest, Conflict, NotFound, Unprocessable
from ..models import Characteristic, Recipe, StoredFile, Subtask, Task
from . import catalog
from .drafts import after_edit
from .rules import apply_tolerance, balloons_problem, subtask_problem
from .schemas import ReorderRequest, SubtaskCreate, TaskCreate, TaskUpdate
from .versioning import DRAFT, in_id_range, land_edit, lock_recipe

TASK_AUDITED = ("version_id", "order_index", "title", "directive", "description", "file_id", "file_type",
                "annotations_json")
SUBTASK_AUDITED = ("task_id", "characteristic_id", "marker_number", "description", "measurement_type",
                   "nominal", "utl", "uwl", "lwl", "ltl", "unit", "tolerance_text",
                   "gross_error_factor", "characteristic_class", "reaction_plan", "cpk_target")


def aim_at_task(session: Session, task_id: int, not_current: str = "Task belongs to non-current version"
                ) -> tuple[Recipe, Task]:
    """The (locked) recipe and the task an edit is aimed at; 404 unknown, 409 non-current version or inactive."""
    task = session.get(Task, task_id) if in_id_range(task_id) else None
    if task is None:
        raise NotFound("Task not found")
    recipe = lock_recipe(session, task.version.recipe_id)
    if task.version_id != recipe.current_version_id and task.version.status != DRAFT:
        raise Conflict(not_current)
    if not recipe.active:
        raise Conflict("Recipe is inactive")
    return recipe, task


def checked_subtask(data: SubtaskCreate) -> dict[str, Any]:
    """A new subtask's values, its unit defaulted; 422 when the unit does not suit the type or limits are out of order."""
    values = data.model_dump()
    if values["unit"] is None:
        values["unit"] = catalog.UNITS_BY_TYPE[values["measurement_type"]][0]
    problem = apply_tolerance(values, data.model_dump(exclude_unset=True)) or subtask_problem(values)
    if problem:
        raise Unprocessable(problem)
    return values


def checked_balloons(balloons: list[dict[str, Any]] | None) -> None:
    """422 when a marker number is placed twice on the drawing."""
    problem = balloons_problem(balloons)
    if problem:
        raise Unprocessable(problem)


def new_subtask(session: Session, recipe: Recipe, task: Task, values: dict[str, Any]) -> Subtask:
    """A subtask (checked values) with a characteristic of its own, appended to the task."""
    characteristic = Characteristic(recipe_id=recipe.id)
    session.add(characteristic)
    session.flush()
    subtask = Subtask(characteristic_id=characteristic.id, **values)
    task.subtasks.append(subtask)
    return subtask


def list_tasks(session: Session, recipe: Recipe) -> list[Task]:
    """The tasks of the recipe's current version, in order."""
    return list(recipe.current_version.tasks) if recipe.current_version else []


def create_task(session: Session, recipe_id: int, data: TaskCreate, actor: Actor | None) -> Task:
    """Append a task with its subtasks to the current version (copied first if it has measurements)."""
    recipe = lock_recipe(session, recipe_id)
    if not recipe.active:
        raise Conflict("Recipe is inactive")
    subtasks = [checked_subtask(s) for s in data.subtasks]
    checked_balloons(data.model_dump()["annotations_json"])
    markers = [s["marker_number"] for s in subtasks]
    if len(markers) != len(set(markers)):
        raise Conflict("marker_number already exists in this task")
    file_values = _file_values(session, data.model_dump(include={"file_id", "file_path", "file_type"}), None)
    landing = land_edit(session, recipe, actor, f"Task '{data.title}' added")
    order_index = max((t.order_index for t in landing.version.tasks), default=-1) + 1
    values = data.model_dump(exclude={"subtasks", "file_id", "file_path", "file_type"})
    task = Task(order_index=order_index, **values, file_id=file_values.get("file_id"),
                file_type=file_values.get("file_type"))
    landing.version.tasks.append(task)
    session.flush()
    for subtask_values in subtasks:
        new_subtask(session, recipe, task, subtask_values)
    after_edit(session, landing.version)
    record(session, actor, "create", "task", task.id,
           new={**snapshot(task, TASK_AUDITED), "subtasks": [snapshot(s, SUBTASK_AUDITED) for s in task.subtasks]})
    return reloaded_task(session, task)


def update_task(session: Session, task_id: int, data: TaskUpdate, actor: Actor | None) -> Task:
    """Change a task's fields in the current version; a change that changes nothing creates no version."""
    recipe, task = aim_at_task(session, task_id)
    sent = data.model_dump(exclude_unset=True)
    checked_balloons(sent.get("annotations_json"))
    wanted = {k: v for k, v in sent.items() if k not in ("file_id", "file_path", "file_type")}
    wanted.update(_file_values(session, sent, task))
    changes = {k: v for k, v in wanted.items() if getattr(task, k) != v}
    if not changes:
        return task
    landing = land_edit(session, recipe, actor, f"Task '{task.title}' changed ({', '.join(changes)})")
    target = landing.tasks[task.id]
    old = snapshot(target, TASK_AUDITED)
    for field, value in changes.items():
        setattr(target, field, value)
    after_edit(session, landing.version)
    record(session, actor, "update", "task", target.id, old=old, new=snapshot(target, TASK_AUDITED))
    return reloaded_task(session, target)


def delete_task(session: Session, task_id: int, actor: Actor | None) -> None:
    """Remove a task and its subtasks from the current version; the remaining tasks are renumbered."""
    recipe, task = aim_at_task(session, task_id)
    landing = land_edit(session, recipe, actor, f"Task '{task.title}' deleted")
    target = landing.tasks[task.id]
    old = {**snapshot(target, TASK_AUDITED), "subtasks": [snapshot(s, SUBTASK_AUDITED) for s in target.subtasks]}
    landing.version.tasks.remove(target)
    session.flush()
    for index, remaining in enumerate(landing.version.tasks):
        remaining.order_index = index
    after_edit(session, landing.version)
    record(session, actor, "delete", "task", target.id, old=old)


def reorder_tasks(session: Session, data: ReorderRequest, actor: Actor | None) -> list[Task]:
    """Put every task of the current version in the given order."""
    ids = data.task_ids
    if not ids:
        raise BadRequest("task_ids is empty")
    if len(set(ids)) != len(ids):
        raise BadRequest("task_ids lists a task more than once")
    tasks = list(session.scalars(select(Task).where(Task.id.in_([i for i in ids if in_id_range(i)]))))
    missing = sorted(set(ids) - {t.id for t in tasks})
    if missing:
        raise NotFound(f"Task not found: {', '.join(map(str, missing))}")
    if len({t.version_id for t in tasks}) > 1:
        raise BadRequest("Tasks belong to different versions")
    version = tasks[0].version
    recipe = lock_recipe(session, version.recipe_id)
    if version.id != recipe.current_version_id and version.status != DRAFT:
        raise Conflict("Tasks belong to non-current version")
    if not recipe.active:
        raise Conflict("Recipe is inactive")
    current_order = [t.id for t in version.tasks]
    if set(current_order) != set(ids):
        raise BadRequest("task_ids must list every task of the version exactly once")
    if current_order == ids and [t.order_index for t in version.tasks] == list(range(len(ids))):
        return list(version.tasks)
    landing = land_edit(session, recipe, actor, "Tasks reordered")
    for index, task_id in enumerate(ids):
        landing.tasks[task_id].order_index = index
    session.flush()
    new_ids = [landing.tasks[i].id for i in ids]
    after_edit(session, landing.version)
    record(session, actor, "reorder", "recipe_version", landing.version.id,
           old={"task_ids": [landing.tasks[i].id for i in current_order]}, new={"task_ids": new_ids})
    session.expire_all()
    return list(landing.version.tasks)


def reloaded_task(session: Session, task: Task) -> Task:
    """The task re-read after an edit, so its subtasks are in marker order."""
    session.flush()
    session.expire_all()
    return session.get(Task, task.id)


def _file_values(session: Session, sent: dict[str, Any], task: Task | None) -> dict[str, Any]:
    """The file_id and file_type a payload asks for (file_id or file_path names the file); 422 on a bad reference."""
    file_id, file_path = sent.get("file_id"), sent.get("file_path")
    refers = "file_id" in sent or "file_path" in sent
    values: dict[str, Any] = {}
    if file_id is not None or file_path is not None:
        stored = _find_file(session, file_id, file_path)
        values["file_id"] = stored.id
        derived = catalog.file_type_of(stored.content_type)
        if sent.get("file_type") is not None and derived is not None and sent["file_type"] != derived:
            raise Unprocessable(f"file_type {sent['file_type']!r} does not match the file ({stored.content_type})")
        values["file_type"] = derived or sent.get("file_type")
        return values
    if refers:
        values["file_id"] = None  # an explicit null clears the reference
    if "file_type" in sent:
        current = task.file if task is not None and not refers else None
        derived = catalog.file_type_of(current.content_type) if current is not None else None
        if sent["file_type"] is not None and derived is not None and sent["file_type"] != derived:
            raise Unprocessable(f"file_type {sent['file_type']!r} does not match the file ({current.content_type})")
        values["file_type"] = sent["file_type"]
    return values


def _find_file(session: Session, file_id: int | None, file_path: str | None) -> StoredFile:
    """The uploaded file named by id and/or path (both must agree), or 422."""
    by_id = session.get(StoredFile, file_id) if file_id is not None else None
    by_path = session.scalar(select(StoredFile).where(StoredFile.path == file_path)) if file_path is not None else None
    if (file_id is not None and by_id is None) or (file_path is not None and by_path is None):
        raise Unprocessable("File not found: upload it first (POST /api/files/upload)")
    if by_id is not None and by_path is not None and by_id.id != by_path.id:
        raise Unprocessable("file_id and file_path name different files")
    return by_id or by_path
