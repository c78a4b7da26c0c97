"""Recipes, their versions, tasks and characteristics."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from .routes import JsonObject, route

RECIPES = route("GET", "/api/recipes")
CREATE = route("POST", "/api/recipes")
RECIPE = route("GET", "/api/recipes/{recipe_id}")
UPDATE = route("PUT", "/api/recipes/{recipe_id}")
DEACTIVATE = route("DELETE", "/api/recipes/{recipe_id}")
VERSIONS = route("GET", "/api/recipes/{recipe_id}/versions")
VERSION = route("GET", "/api/recipes/{recipe_id}/versions/{version_number}")
DIFF = route("GET", "/api/recipes/{recipe_id}/versions/{a}/diff/{b}")
DRAFT = route("POST", "/api/recipes/{recipe_id}/drafts")
RELEASE = route("POST", "/api/recipes/{recipe_id}/versions/{version_number}/release")
ADD_TASK = route("POST", "/api/recipes/{recipe_id}/tasks")
REORDER = route("PUT", "/api/tasks/reorder")
UPDATE_TASK = route("PUT", "/api/tasks/{task_id}")
DELETE_TASK = route("DELETE", "/api/tasks/{task_id}")
ADD_SUBTASK = route("POST", "/api/tasks/{task_id}/subtasks")
UPDATE_SUBTASK = route("PUT", "/api/subtasks/{subtask_id}")
DELETE_SUBTASK = route("DELETE", "/api/subtasks/{subtask_id}")


class Subtask(TypedDict):
    """A characteristic to measure, with its limits."""

    id: int
    task_id: int
    marker_number: int
    label: str
    description: str | None
    measurement_type: str
    unit: str
    nominal: float | None
    ltl: float | None
    lwl: float | None
    uwl: float | None
    utl: float | None
    gross_error_factor: float | None


class Task(TypedDict):
    """A step of a version: its drawing, balloons and characteristics."""

    id: int
    title: str
    directive: str | None
    file_path: str | None
    file_type: str | None
    annotations_json: list[JsonObject] | None
    subtasks: list[Subtask]


class Version(TypedDict):
    """A recipe version with its tasks (the version list adds how often it was measured)."""

    id: int
    recipe_id: int
    version_number: int
    status: str
    change_notes: str | None
    tasks: list[Task]
    measurement_count: NotRequired[int]


class Recipe(TypedDict):
    """A recipe with its current version."""

    id: int
    code: str
    name: str
    description: str | None
    active: bool
    current_version: Version | None


class RecipePage(TypedDict):
    """One page of the recipe list."""

    items: list[Recipe]
    total: int
    page: int
    pages: int


def recipe(recipe_id: int) -> Recipe:
    """A recipe with its current version, tasks and characteristics."""
    return RECIPE.call(recipe_id=recipe_id)


def recipe_page(page: int, per_page: int, search: str = "") -> RecipePage:
    """One page of active recipes, searched by code and name."""
    return RECIPES.call(params={"search": search, "page": page, "per_page": per_page})


def all_recipes() -> list[Recipe]:
    """Every active recipe (all pages)."""
    items: list[Recipe] = []
    page = 1
    while True:
        batch = recipe_page(page, 100)
        items.extend(batch["items"])
        if page >= batch.get("pages", 1):
            return items
        page += 1


def create(fields: dict[str, str]) -> Recipe:
    """Create a recipe (code, name, description, change notes) with its version 1."""
    return CREATE.call(json=fields)


def update(recipe_id: int, fields: dict[str, Any]) -> Recipe:
    """Change a recipe's name, description (and change notes of a new version)."""
    return UPDATE.call(recipe_id=recipe_id, json=fields)


def deactivate(recipe_id: int) -> None:
    """Deactivate a recipe."""
    DEACTIVATE.call(recipe_id=recipe_id)


def versions(recipe_id: int) -> list[Version]:
    """Every version, oldest first, each with its measurement count."""
    return VERSIONS.call(recipe_id=recipe_id)


def version(recipe_id: int, number: int) -> Version:
    """One version by number."""
    return VERSION.call(recipe_id=recipe_id, version_number=number)


def diff(recipe_id: int, a: int, b: int) -> JsonObject:
    """What changed from version a to version b."""
    return DIFF.call(recipe_id=recipe_id, a=a, b=b)


def open_draft(recipe_id: int) -> Version:
    """Open the next version as a draft."""
    return DRAFT.call(recipe_id=recipe_id, json={})


def release(recipe_id: int, number: int, change_notes: str, password: str, meaning: str) -> Version:
    """Release a draft, signed with the maker's password."""
    return RELEASE.call(recipe_id=recipe_id, version_number=number,
                        json={"change_notes": change_notes, "password": password, "meaning": meaning})


def add_task(recipe_id: int, title: str, directive: str | None) -> Task:
    """Append a task to the version being edited."""
    return ADD_TASK.call(recipe_id=recipe_id, json={"title": title, "directive": directive})


def reorder_tasks(task_ids: list[int]) -> None:
    """Put the tasks in this order."""
    REORDER.call(json={"task_ids": task_ids})


def update_task(task_id: int, fields: JsonObject) -> Task:
    """Change a task's title, directive, drawing or balloons."""
    return UPDATE_TASK.call(task_id=task_id, json=fields)


def delete_task(task_id: int) -> None:
    """Remove a task."""
    DELETE_TASK.call(task_id=task_id)


def add_subtask(task_id: int, fields: JsonObject) -> Subtask:
    """Add a characteristic to a task."""
    return ADD_SUBTASK.call(task_id=task_id, json=fields)


def update_subtask(subtask_id: int, fields: JsonObject) -> Subtask:
    """Change a characteristic."""
    return UPDATE_SUBTASK.call(subtask_id=subtask_id, json=fields)


def delete_subtask(subtask_id: int) -> None:
    """Remove a characteristic."""
    DELETE_SUBTASK.call(subtask_id=subtask_id)
