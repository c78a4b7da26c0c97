"""/api/recipes/{id}/tasks, /api/tasks and /api/subtasks: the steps and characteristics of a recipe."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status

from ..auth.deps import MakerPrincipal, SessionDep, current_principal
from . import service, subtasks, tasks
from .openapi import COMMON, errors
from .schemas import ReorderRequest, SubtaskCreate, SubtaskResponse, SubtaskUpdate, TaskCreate, TaskResponse, TaskUpdate

recipe_tasks_router = APIRouter(prefix="/recipes", tags=["tasks"], dependencies=[Depends(current_principal)], responses=COMMON)
router = APIRouter(tags=["tasks"], dependencies=[Depends(current_principal)], responses=COMMON)


@recipe_tasks_router.get("/{recipe_id:int}/tasks", response_model=list[TaskResponse],
                         responses=errors(404, d404="Recipe not found"))
def list_tasks(recipe_id: int, session: SessionDep):
    """List the current version's tasks in order."""
    return tasks.list_tasks(session, service.get_recipe(session, recipe_id))


@recipe_tasks_router.post("/{recipe_id:int}/tasks", response_model=TaskResponse, status_code=status.HTTP_201_CREATED,
                          responses=errors(403, 404, 409, d404="Recipe not found",
                                           d409="Recipe is inactive, or a marker_number appears twice"))
def create_task(recipe_id: int, data: TaskCreate, session: SessionDep, maker: MakerPrincipal):
    """Append a task (with subtasks) to the current version."""
    return tasks.create_task(session, recipe_id, data, maker.actor)


# Declared before /tasks/{task_id:int} so "reorder" is never read as a task id.
@router.put("/tasks/reorder", response_model=list[TaskResponse], responses=errors(
    400, 403, 404, 409, d400="task_ids empty, repeated, partial or from different versions",
    d404="One or more task ids not found", d409="Tasks belong to a non-current version, or the recipe is inactive"))
def reorder_tasks(data: ReorderRequest, session: SessionDep, maker: MakerPrincipal):
    """Reorder every task of the current version."""
    return tasks.reorder_tasks(session, data, maker.actor)


@router.put("/tasks/{task_id:int}", response_model=TaskResponse,
            responses=errors(403, 404, 409, d404="Task not found", d409="Task belongs to a non-current version, or the recipe is inactive"))
def update_task(task_id: int, data: TaskUpdate, session: SessionDep, maker: MakerPrincipal):
    """Change a task of the current version."""
    return tasks.update_task(session, task_id, data, maker.actor)


@router.delete("/tasks/{task_id:int}", status_code=status.HTTP_204_NO_CONTENT,
               responses=errors(403, 404, 409, d404="Task not found", d409="Task belongs to a non-current version, or the recipe is inactive"))
def delete_task(task_id: int, session: SessionDep, maker: MakerPrincipal):
    """Delete a task of the current version with its subtasks."""
    tasks.delete_task(session, task_id, maker.actor)


@router.post("/tasks/{task_id:int}/subtasks", response_model=SubtaskResponse, status_code=status.HTTP_201_CREATED,
             responses=errors(403, 404, 409, d404="Task not found",
                              d409="Task belongs to a non-current version, recipe inactive, or marker_number taken"))
def create_subtask(task_id: int, data: SubtaskCreate, session: SessionDep, maker: MakerPrincipal):
    """Add a subtask to a task of the current version."""
    return subtasks.create_subtask(session, task_id, data, maker.actor)


@router.put("/subtasks/{subtask_id:int}", response_model=SubtaskResponse, responses=errors(
    403, 404, 409, d404="Subtask not found",
    d409="Parent task belongs to a non-current version, recipe inactive, or marker_number taken"))
def update_subtask(subtask_id: int, data: SubtaskUpdate, session: SessionDep, maker: MakerPrincipal):
    """Change a subtask of the current version."""
    return subtasks.update_subtask(session, subtask_id, data, maker.actor)


@router.delete("/subtasks/{subtask_id:int}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(
    403, 404, 409, d404="Subtask not found", d409="Parent task belongs to a non-current version, or recipe inactive"))
def delete_subtask(subtask_id: int, session: SessionDep, maker: MakerPrincipal):
    """Delete a subtask of the current version."""
    subtasks.delete_subtask(session, subtask_id, maker.actor)
