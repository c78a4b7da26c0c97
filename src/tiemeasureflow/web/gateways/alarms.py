"""Alarms of run rules and capability, the station hold they cause, and their assignable causes."""

from __future__ import annotations

from typing import Any

from .routes import JsonObject, route

ALARMS = route("GET", "/api/alarms")
STATION_HOLD = route("GET", "/api/alarms/station-hold")
ACKNOWLEDGE = route("POST", "/api/alarms/{alarm_id}/acknowledge")
CAUSES = route("GET", "/api/assignable-causes")


def alarms(params: dict[str, Any]) -> JsonObject:
    """One page of alarms (by status, recipe, characteristic)."""
    return ALARMS.call(params=params)


def station_hold(station_code: str, recipe_id: int) -> JsonObject:
    """The verdict on new parts of a recipe at a station, with its open alarms."""
    return STATION_HOLD.call(params={"station_code": station_code, "recipe_id": recipe_id})


def acknowledge(alarm_id: int, body: dict[str, Any]) -> None:
    """Close an alarm with its cause and action."""
    ACKNOWLEDGE.call(alarm_id=alarm_id, json=body)


def causes() -> list[JsonObject]:
    """The active assignable causes."""
    return CAUSES.call(params={"active_only": True})
