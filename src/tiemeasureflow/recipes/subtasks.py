"""Subtask rules: add, change and delete characteristics of the current version's tasks (copy-on-write)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..audit.service import record, snapshot
from ..identity.principal import Actor
from ..kit.errors import Conflict, NotFound, Unprocessable
from ..models import Recipe, Subtask
from .drafts import after_edit
from .rules import apply_tolerance, subtask_problem
from .schemas import SubtaskCreate, SubtaskUpdate
from .tasks import SUBTASK_AUDITED, aim_at_task, checked_subtask, new_subtask
from .versioning import in_id_range, land_edit

MARKER_TAKEN = "marker_number already exists in this task"


def _aim_at_subtask(session: Session, subtask_id: int) -> tuple[Recipe, Subtask]:
    """The (locked) recipe and the subtask an edit is aimed at; 404, or 409 as for its task."""
    subtask = session.get(Subtask, subtask_id) if in_id_range(subtask_id) else None
    if subtask is None:
        raise NotFound("Subtask not found")
    recipe, _ = aim_at_task(session, subtask.task_id, "Parent task belongs to non-current version")
    return recipe, subtask


def _name(subtask: Subtask) -> str:
    """How the plan names a characteristic."""
    return subtask.description or f"Characteristic {subtask.label or subtask.marker_number}"


def create_subtask(session: Session, task_id: int, data: SubtaskCreate, actor: Actor | None) -> Subtask:
    """Add a characteristic to a task of the current version; 409 when its marker number is taken."""
    recipe, task = aim_at_task(session, task_id)
    values = checked_subtask(data)
    if any(s.marker_number == data.marker_number for s in task.subtasks):
        raise Conflict(MARKER_TAKEN)
    landing = land_edit(session, recipe, actor, f"Characteristic {data.description or data.marker_number} added to task '{task.title}'")
    if any(s.marker_number == data.marker_number for s in landing.tasks[task.id].subtasks):
        raise Conflict(MARKER_TAKEN)
    subtask = new_subtask(session, recipe, landing.tasks[task.id], values)
    after_edit(session, landing.version)
    record(session, actor, "create", "subtask", subtask.id, new=snapshot(subtask, SUBTASK_AUDITED))
    return subtask


def update_subtask(session: Session, subtask_id: int, data: SubtaskUpdate, actor: Actor | None) -> Subtask:
    """Change a subtask; the result must still have a suitable unit and ordered limits (422) and a free marker (409)."""
    recipe, subtask = _aim_at_subtask(session, subtask_id)
    sent = data.model_dump(exclude_unset=True)
    merged = {**snapshot(subtask, SUBTASK_AUDITED), **sent}
    problem = apply_tolerance(merged, sent) or subtask_problem(merged)
    if problem:
        raise Unprocessable(problem)
    changes = {k: merged[k] for k in SUBTASK_AUDITED if getattr(subtask, k) != merged[k]}
    if not changes:
        return subtask
    marker = changes.get("marker_number")
    if marker is not None and any(s.marker_number == marker for s in subtask.task.subtasks if s.id != subtask.id):
        raise Conflict(MARKER_TAKEN)
    landing = land_edit(session, recipe, actor, f"{_name(subtask)}: {', '.join(changes)} changed")
    target = landing.subtasks[subtask.id]
    if marker is not None and any(s.marker_number == marker for s in target.task.subtasks if s.id != target.id):
        raise Conflict(MARKER_TAKEN)
    old = snapshot(target, SUBTASK_AUDITED)
    for field, value in changes.items():
        setattr(target, field, value)
    after_edit(session, landing.version)
    record(session, actor, "update", "subtask", target.id, old=old, new=snapshot(target, SUBTASK_AUDITED))
    return target


def delete_subtask(session: Session, subtask_id: int, actor: Actor | None) -> None:
    """Remove a subtask from the current version (its characteristic lives on in older versions)."""
    recipe, subtask = _aim_at_subtask(session, subtask_id)
    landing = land_edit(session, recipe, actor, f"{_name(subtask)} removed from task '{subtask.task.title}'")
    target = landing.subtasks[subtask.id]
    old = snapshot(target, SUBTASK_AUDITED)
    version = target.task.version
    target.task.subtasks.remove(target)
    after_edit(session, version)
    record(session, actor, "delete", "subtask", target.id, old=old)
