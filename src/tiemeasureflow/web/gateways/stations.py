"""Stations and the recipes each offers."""

from __future__ import annotations

from typing import Any, TypedDict

from .routes import route

STATIONS = route("GET", "/api/stations")
CREATE = route("POST", "/api/stations")
STATION = route("GET", "/api/stations/{station_id}")
UPDATE = route("PUT", "/api/stations/{station_id}")
DELETE = route("DELETE", "/api/stations/{station_id}")
ASSIGNED = route("GET", "/api/stations/{station_id}/recipes")
ASSIGN = route("POST", "/api/stations/{station_id}/recipes")
UNASSIGN = route("DELETE", "/api/stations/{station_id}/recipes/{recipe_id}")
BY_CODE = route("GET", "/api/stations/by-code/{code}/recipes")


class AssignedRecipe(TypedDict):
    """A recipe as a station offers it."""

    id: int
    code: str
    name: str
    active: bool


class Station(TypedDict):
    """A measuring station."""

    id: int
    code: str
    name: str
    location: str | None
    notes: str | None
    active: bool


class ListedStation(Station):
    """A station in the list, with its assigned recipes."""

    assigned_recipes: list[AssignedRecipe]


def stations() -> list[ListedStation]:
    """Every station by code, each with the recipes assigned to it (admins only)."""
    return STATIONS.call()


def station(station_id: int) -> Station:
    """One station."""
    return STATION.call(station_id=station_id)


def create(fields: dict[str, Any]) -> Station:
    """Create a station (code, name, location, notes, active)."""
    return CREATE.call(json=fields)


def update(station_id: int, fields: dict[str, Any]) -> Station:
    """Change a station's name, location, notes or active flag."""
    return UPDATE.call(station_id=station_id, json=fields)


def delete(station_id: int) -> None:
    """Delete a station and its assignments."""
    DELETE.call(station_id=station_id)


def assigned(station_id: int) -> list[AssignedRecipe]:
    """The recipes assigned to one station, active or not."""
    return ASSIGNED.call(station_id=station_id)


def assign(station_id: int, recipe_id: int) -> None:
    """Offer a recipe at a station."""
    ASSIGN.call(station_id=station_id, json={"recipe_id": recipe_id})


def unassign(station_id: int, recipe_id: int) -> None:
    """Stop offering a recipe at a station."""
    UNASSIGN.call(station_id=station_id, recipe_id=recipe_id)


def offered_at(code: str) -> list[AssignedRecipe]:
    """The active recipes of the active station with this code (404 otherwise)."""
    return BY_CODE.call(code=code)
