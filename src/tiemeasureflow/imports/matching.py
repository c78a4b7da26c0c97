"""Which recipe and which characteristics a parsed document lands on, creating them when absent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..identity.principal import Actor
from ..kit.db import get_or_404
from ..kit.errors import Conflict, Unprocessable
from ..measurements.judging import ToleranceLimits
from ..models import Recipe, RecipeVersion, Subtask, Task
from ..recipes.rules import subtask_problem
from ..recipes.schemas import RecipeCreate
from ..recipes.service import create_recipe
from ..recipes.tasks import new_subtask
from ..runs.recording import Characteristic
from .document import CharacteristicSpec, Document

CODE_CHARACTER = re.compile(r"[^A-Za-z0-9._-]+")
TASK_TITLE = "Measuring machine"


@dataclass
class Target:
    """The recipe a document lands on, and what happened to reach it."""

    recipe: Recipe
    created: bool
    created_labels: list[str] = field(default_factory=list)
    matched_labels: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


def recipe_code(document: Document) -> str:
    """The recipe code the document's part number (or drawing number, or part name) becomes."""
    source = document.part_number or document.part_name
    if not source:
        raise Unprocessable("The file names no part number, drawing number or part name: "
                            "give recipe_code or recipe_id")
    code = CODE_CHARACTER.sub("-", source.strip()).strip("-")[:100]
    if not code:
        raise Unprocessable(f"The part number {source!r} cannot become a recipe code: give recipe_code or recipe_id")
    return code


def find_recipe(session: Session, document: Document, recipe_id: int | None, code: str | None,
                actor: Actor | None) -> Target:
    """The named recipe (404 when unknown), else the one with the document's code, created when absent."""
    if recipe_id is not None:
        recipe = get_or_404(session, Recipe, recipe_id, "Recipe not found")
    else:
        code = code or recipe_code(document)
        recipe = session.scalar(select(Recipe).where(Recipe.code == code))
        if recipe is None:
            name = (document.part_name or code)[:255]
            return Target(create_recipe(session, RecipeCreate(code=code, name=name,
                                                              change_notes="Created by a file import"), actor), True)
    if not recipe.active:
        raise Conflict(f"Recipe {recipe.code} is inactive")
    return Target(recipe, False)


def subtask_values(spec: CharacteristicSpec, marker: int) -> dict:
    """A new subtask's columns for a file's characteristic."""
    return {"marker_number": marker, "description": spec.description or spec.label,
            "measurement_type": spec.measurement_type, "nominal": spec.nominal, "ltl": spec.ltl, "lwl": None,
            "uwl": None, "utl": spec.utl, "unit": spec.unit, "label": spec.label[:20], "tolerance_text": None}


def add_characteristics(session: Session, target: Target, version: RecipeVersion,
                        specs: list[CharacteristicSpec]) -> Task | None:
    """Append a task holding the specs (those with acceptable limits) to the version; labels stay the file's."""
    accepted = []
    for spec in specs:
        values = subtask_values(spec, len(accepted) + 1)
        problem = subtask_problem(values)
        if problem:
            target.skipped.append({"what": spec.label, "reason": f"characteristic not created: {problem}"})
            continue
        accepted.append(values)
    if not accepted:
        return None
    order = max((t.order_index for t in version.tasks), default=-1) + 1
    task = Task(order_index=order, title=TASK_TITLE)
    version.tasks.append(task)
    session.flush()
    for values in accepted:
        new_subtask(session, target.recipe, task, values)
        target.created_labels.append(values["label"])
    session.flush()
    return task


def match(session: Session, version_id: int, specs: list[CharacteristicSpec],
          target: Target) -> dict[str, Characteristic]:
    """The version's characteristic for each spec label: the subtask the file named (its description), else by balloon label.

    One query reads the version's subtasks with their labels, descriptions and limits.
    """
    rows = session.execute(
        select(Subtask.id, Subtask.characteristic_id, Subtask.marker_number, Subtask.nominal, Subtask.ltl,
               Subtask.lwl, Subtask.uwl, Subtask.utl, Subtask.label, Subtask.description)
        .join(Task, Task.id == Subtask.task_id).where(Task.version_id == version_id)
        .order_by(Task.order_index, Task.id, Subtask.marker_number))
    chars, by_label, by_description = {}, {}, {}
    for r in rows:
        chars[r.id] = Characteristic(r.id, r.characteristic_id, r.marker_number,
                                     ToleranceLimits(r.nominal, r.ltl, r.lwl, r.uwl, r.utl))
        by_label.setdefault(r.label, r.id)
        if r.description:
            by_description.setdefault(r.description, r.id)
    found = {}
    for spec in specs:
        sid = by_description.get(spec.label) or by_label.get(spec.label)
        if sid is None:
            continue
        found[spec.label] = chars[sid]
        if spec.label not in target.created_labels:
            target.matched_labels.append(spec.label)
    return found
