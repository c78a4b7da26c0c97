"""Builds the demo plant through the application's own services: accounts, stations, recipes, drawings."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..files import service as files_service
from ..identity.principal import Actor
from ..models import Recipe, Shift, Station, Subtask, User
from ..recipes import service as recipes_service
from ..recipes import subtasks as subtasks_service
from ..recipes import tasks as tasks_service
from ..recipes.schemas import RecipeCreate, RecipeUpdate, SubtaskCreate, SubtaskUpdate, TaskCreate, TaskUpdate
from ..shifts import service as shifts_service
from ..shifts.schemas import ShiftCreate
from ..stations import service as stations_service
from ..stations.schemas import StationCreate
from ..users.schemas import UserCreate
from ..users.service import create_user
from . import drawings
from .catalog import ACCOUNTS, PARTS, SHIFT_OPERATOR_PASSWORD, SHIFT_OPERATORS, STATIONS, Char, Part

WARNING_SHARE = 0.75  # warning limits at 75% of the tolerance
CHAMFER_NOTE = "Deburr and check the chamfer before measuring"


@dataclass
class PlantIds:
    """Ids the history generator needs."""

    stations: dict[str, int] = field(default_factory=dict)
    shift_operators: list[int] = field(default_factory=list)
    recipes: dict[str, int] = field(default_factory=dict)


def limits(char: Char, tolerance: float | None = None) -> dict[str, float | None]:
    """Nominal, tolerance and warning limits of a characteristic."""
    tol = char.tolerance if tolerance is None else tolerance
    if char.one_sided:
        return {"nominal": 0.0, "ltl": None, "lwl": None, "uwl": round(tol * WARNING_SHARE, 6), "utl": tol}
    warn = tol * WARNING_SHARE
    return {"nominal": char.nominal, "ltl": round(char.nominal - tol, 6), "lwl": round(char.nominal - warn, 6),
            "uwl": round(char.nominal + warn, 6), "utl": round(char.nominal + tol, 6)}


def ensure_accounts(session: Session) -> dict[str, int]:
    """The demo accounts and the shift operators (created once); returns username -> id."""
    existing = {u.username: u.id for u in session.scalars(select(User))}
    wanted = [(u, p, d, r, a, lang) for u, p, d, r, a, lang in ACCOUNTS]
    wanted += [(u, SHIFT_OPERATOR_PASSWORD, d, ["MeasurementTec"], False, "it") for u, d in SHIFT_OPERATORS]
    for username, password, display, roles, is_admin, lang in wanted:
        if username not in existing:
            user = create_user(session, UserCreate(username=username, password=password, display_name=display,
                                                   roles=roles, is_admin=is_admin, language_pref=lang), None)
            existing[username] = user.id
    return existing


# The history's shifts run 06:00-14:00 and 14:00-22:00 UTC (the plant time zone stays UTC).
DEMO_SHIFTS = (("Early", "06:00", "14:00"), ("Afternoon", "14:00", "22:00"), ("Night", "22:00", "06:00"))


def ensure_shifts(session: Session, admin: Actor) -> None:
    """The plant's three shifts, created once."""
    existing = set(session.scalars(select(Shift.name)))
    for name, starts, ends in DEMO_SHIFTS:
        if name not in existing:
            shifts_service.create_shift(session, ShiftCreate(name=name, starts=starts, ends=ends), admin)


def build_plant(session: Session, upload_root: Path) -> PlantIds:
    """Create (or find) the whole plant; safe to call on a database that already has it."""
    users = ensure_accounts(session)
    admin = Actor(users["admin"], None, "demo")
    maker = Actor(users["maker"], None, "demo")
    ids = PlantIds(shift_operators=[users[u] for u, _ in SHIFT_OPERATORS])
    for code, name, location in STATIONS:
        station = session.scalar(select(Station).where(Station.code == code))
        if station is None:
            station = stations_service.create_station(session, StationCreate(code=code, name=name, location=location), admin)
        ids.stations[code] = station.id
    ensure_shifts(session, admin)
    for part in PARTS:
        recipe = session.scalar(select(Recipe).where(Recipe.code == part.code))
        if recipe is None:
            recipe = _create_recipe(session, part, upload_root, maker)
            for station_code in part.stations:
                stations_service.assign_recipe(session, ids.stations[station_code], recipe.id, admin)
        ids.recipes[part.code] = recipe.id
    return ids


def _create_recipe(session: Session, part: Part, upload_root: Path, maker: Actor) -> Recipe:
    recipe = recipes_service.create_recipe(
        session, RecipeCreate(code=part.code, name=part.name, description=part.description,
                              change_notes="Initial release"), maker)
    for title, directive, chars in part.tasks:
        png = drawings.render(part.code, title, chars)
        stored = files_service.upload(session, upload_root, len(png) + 1, io.BytesIO(png),
                                      f"{part.code.lower()}-{title.lower().replace(' ', '-')}.png",
                                      recipe.id, recipe.current_version_id, maker)
        tasks_service.create_task(session, recipe.id, TaskCreate(
            title=title, directive=directive, file_id=stored.id, file_type="image",
            annotations_json=[{"marker_number": c.marker, "x": c.x, "y": c.y} for c in chars],
            subtasks=[SubtaskCreate(marker_number=c.marker, description=c.description,
                                    measurement_type=c.measurement_type, unit=c.unit, **limits(c)) for c in chars],
        ), maker)
    return recipe


def revise(session: Session, part: Part, recipe_id: int, revision: tuple[int, str, int, float], maker_id: int) -> None:
    """Apply one planned revision: a tolerance change (marker > 0) or a directive change (marker 0)."""
    _day, notes, marker, tolerance = revision
    maker = Actor(maker_id, None, "demo")
    recipe = recipes_service.get_recipe(session, recipe_id)
    before = recipe.current_version_id
    first_task = recipe.current_version.tasks[0]
    if marker == 0:
        # A second generation into the same plant finds the note there already.
        if not first_task.directive.endswith(CHAMFER_NOTE):
            tasks_service.update_task(session, first_task.id, TaskUpdate(
                directive=f"{first_task.directive}. {CHAMFER_NOTE}"), maker)
    else:
        char = next(c for c in part.tasks[0][2] if c.marker == marker)
        subtask = next(s for s in first_task.subtasks if s.marker_number == marker)
        subtasks_service.update_subtask(session, subtask.id, SubtaskUpdate(**limits(char, tolerance)), maker)
    # An edit of a version with measurements makes a new one: give it the planned notes. (An edit
    # that changed nothing, in a plant revised before, leaves the measured version as it is.)
    if recipes_service.get_recipe(session, recipe_id).current_version_id != before:
        recipes_service.update_recipe(session, recipe_id, RecipeUpdate(change_notes=notes), maker)


def current_subtasks(session: Session, recipe_id: int) -> list[Subtask]:
    """The subtasks of the recipe's current version, in task and marker order."""
    recipe = recipes_service.get_recipe(session, recipe_id)
    return [s for task in recipe.current_version.tasks for s in task.subtasks]
