"""Station rules: unique immutable codes, assignments, the operator's view, audit."""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.service import record, snapshot
from ..identity.principal import Actor
from ..kit.errors import Conflict, NotFound
from ..models import Recipe, Station, StationRecipeAssignment
from .schemas import CODE_PATTERN, MAX_ID, StationCreate, StationUpdate

AUDITED_FIELDS = ("code", "name", "location", "notes", "active")
STATION_NOT_FOUND = "Station not found"


def list_stations(session: Session, active_only: bool) -> list[Station]:
    """Every station (or the active ones), by code."""
    stmt = select(Station).order_by(Station.code)
    if active_only:
        stmt = stmt.where(Station.active.is_(True))
    return list(session.scalars(stmt))


def assignments_by_station(session: Session, station_ids: list[int]) -> dict[int, list[Recipe]]:
    """The recipes assigned to each of the stations (active or not, by code), in one query."""
    found: dict[int, list[Recipe]] = {station_id: [] for station_id in station_ids}
    if not station_ids:
        return found
    stmt = (select(StationRecipeAssignment.station_id, Recipe)
            .join(Recipe, StationRecipeAssignment.recipe_id == Recipe.id)
            .where(StationRecipeAssignment.station_id.in_(station_ids))
            .order_by(Recipe.code))
    for station_id, recipe in session.execute(stmt):
        found[station_id].append(recipe)
    return found


def get_station(session: Session, station_id: int) -> Station:
    """One station or 404."""
    station = session.get(Station, station_id) if 1 <= station_id <= MAX_ID else None
    if station is None:
        raise NotFound(STATION_NOT_FOUND)
    return station


def create_station(session: Session, data: StationCreate, actor: Actor) -> Station:
    """Create a station; 409 when the code is taken."""
    if session.scalar(select(Station.id).where(Station.code == data.code)) is not None:
        raise Conflict("Station with that code already exists")
    station = Station(**data.model_dump(), created_by=actor.user_id)
    session.add(station)
    _flush_or_conflict(session, "Station with that code already exists")
    record(session, actor, "create", "station", station.id, new=snapshot(station, AUDITED_FIELDS))
    return station


def update_station(session: Session, station_id: int, data: StationUpdate, actor: Actor) -> Station:
    """Apply the given fields (never the code); audited when something changed."""
    station = get_station(session, station_id)
    old = snapshot(station, AUDITED_FIELDS)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(station, field, value)
    new = snapshot(station, AUDITED_FIELDS)
    if new != old:
        session.flush()
        record(session, actor, "update", "station", station.id, old=old, new=new)
    return station


def delete_station(session: Session, station_id: int, actor: Actor) -> None:
    """Delete a station and its assignments; runs keep their history (their station becomes null)."""
    station = get_station(session, station_id)
    old = snapshot(station, AUDITED_FIELDS)
    old["assigned_recipe_ids"] = _assigned_recipe_ids(session, station.id)
    # Explicit rather than left to ON DELETE CASCADE, so it holds whatever the connection's pragmas.
    session.execute(delete(StationRecipeAssignment).where(StationRecipeAssignment.station_id == station.id))
    session.delete(station)
    session.flush()
    record(session, actor, "delete", "station", station_id, old=old)


def _assigned_recipe_ids(session: Session, station_id: int) -> list[int]:
    stmt = (select(StationRecipeAssignment.recipe_id)
            .where(StationRecipeAssignment.station_id == station_id).order_by(StationRecipeAssignment.recipe_id))
    return list(session.scalars(stmt))


def _assigned_recipes_stmt(station_id: int):
    return (select(Recipe)
            .join(StationRecipeAssignment, StationRecipeAssignment.recipe_id == Recipe.id)
            .where(StationRecipeAssignment.station_id == station_id)
            .order_by(Recipe.code))


def station_recipes(session: Session, station_id: int) -> list[Recipe]:
    """Every recipe assigned to a station, active or not (the admin view)."""
    get_station(session, station_id)
    return list(session.scalars(_assigned_recipes_stmt(station_id)))


def recipes_for_station_code(session: Session, code: str) -> list[Recipe]:
    """The active recipes of an active station; an unknown and an inactive station are the same 404."""
    station = None
    if re.fullmatch(CODE_PATTERN, code):
        station = session.scalar(select(Station).where(Station.code == code, Station.active.is_(True)))
    if station is None:
        raise NotFound(STATION_NOT_FOUND)
    return list(session.scalars(_assigned_recipes_stmt(station.id).where(Recipe.active.is_(True))))


def assign_recipe(session: Session, station_id: int, recipe_id: int, actor: Actor) -> StationRecipeAssignment:
    """Offer a recipe at a station; 404 for either missing, 409 when already assigned."""
    station = get_station(session, station_id)
    if not _recipe_exists(session, recipe_id):
        raise NotFound("Recipe not found")
    if _find_assignment(session, station.id, recipe_id) is not None:
        raise Conflict("Recipe already assigned to this station")
    assignment = StationRecipeAssignment(station_id=station.id, recipe_id=recipe_id, assigned_by=actor.user_id)
    session.add(assignment)
    _flush_or_conflict(session, "Recipe already assigned to this station")
    record(session, actor, "assign_recipe", "station", station.id,
           new={"assignment_id": assignment.id, "recipe_id": recipe_id})
    return assignment


def unassign_recipe(session: Session, station_id: int, recipe_id: int, actor: Actor) -> None:
    """Remove an assignment; 404 for a missing station, recipe or assignment."""
    station = get_station(session, station_id)
    if not _recipe_exists(session, recipe_id):
        raise NotFound("Recipe not found")
    assignment = _find_assignment(session, station.id, recipe_id)
    if assignment is None:
        raise NotFound("Recipe is not assigned to this station")
    old = {"assignment_id": assignment.id, "recipe_id": recipe_id}
    session.delete(assignment)
    session.flush()
    record(session, actor, "unassign_recipe", "station", station.id, old=old)


def _recipe_exists(session: Session, recipe_id: int) -> bool:
    return 1 <= recipe_id <= MAX_ID and session.get(Recipe, recipe_id) is not None


def _find_assignment(session: Session, station_id: int, recipe_id: int) -> StationRecipeAssignment | None:
    return session.scalar(select(StationRecipeAssignment).where(
        StationRecipeAssignment.station_id == station_id, StationRecipeAssignment.recipe_id == recipe_id))


def _flush_or_conflict(session: Session, detail: str) -> None:
    # A concurrent request can win the race past the check above; the unique constraint decides.
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(detail) from None
