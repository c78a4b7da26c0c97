"""Event payloads with the ids and names a receiver needs, built from the rows an event points at."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from ..models import Alarm, AssignableCause, Recipe, RecipeVersion, Run, Station, Subtask, User


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _user(session: Session, user_id: int | None) -> dict | None:
    user = session.get(User, user_id) if user_id else None
    return {"id": user.id, "username": user.username, "display_name": user.display_name} if user else None


def _station(session: Session, station_id: int | None) -> dict | None:
    station = session.get(Station, station_id) if station_id else None
    return {"id": station.id, "code": station.code, "name": station.name} if station else None


def _recipe(session: Session, recipe_id: int | None) -> dict | None:
    recipe = session.get(Recipe, recipe_id) if recipe_id else None
    return {"id": recipe.id, "code": recipe.code, "name": recipe.name} if recipe else None


def characteristic(session: Session, subtask_id: int | None, characteristic_id: int | None) -> dict:
    """The characteristic as a receiver shows it: balloon, description, limits, class and reaction plan."""
    subtask = session.get(Subtask, subtask_id) if subtask_id else None
    if subtask is None:
        return {"id": characteristic_id}
    return {"id": characteristic_id, "subtask_id": subtask.id, "marker_number": subtask.marker_number,
            "description": subtask.description, "unit": subtask.unit, "nominal": subtask.nominal,
            "lsl": subtask.ltl, "usl": subtask.utl, "class": subtask.characteristic_class,
            "reaction_plan": subtask.reaction_plan}


def alarm_payload(session: Session, alarm: Alarm) -> dict[str, Any]:
    """Everything about an alarm, acknowledgement included."""
    version = session.get(RecipeVersion, alarm.version_id) if alarm.version_id else None
    run = session.get(Run, alarm.run_id) if alarm.run_id else None
    cause = None
    if alarm.cause_code:
        row = session.query(AssignableCause).filter_by(code=alarm.cause_code).one_or_none()
        cause = {"code": alarm.cause_code, "name": row.name if row else alarm.cause_code}
    acknowledgement = None
    if alarm.status == "acknowledged":
        acknowledgement = {"by": _user(session, alarm.acknowledged_by), "at": _iso(alarm.acknowledged_at),
                           "cause": cause, "action": alarm.action, "note": alarm.note}
    return {
        "id": alarm.id, "kind": alarm.kind, "status": alarm.status, "rule": alarm.rule, "message": alarm.message,
        "detected_at": _iso(alarm.detected_at), "value": alarm.value, "cpk": alarm.cpk,
        "cpk_target": alarm.cpk_target, "limits": alarm.limits,
        "measurement_id": alarm.measurement_id, "measurement_ids": list(alarm.measurement_ids or []),
        "recipe": _recipe(session, alarm.recipe_id),
        "version": {"id": version.id, "version_number": version.version_number} if version else None,
        "characteristic": characteristic(session, alarm.subtask_id, alarm.characteristic_id),
        "run": {"id": str(run.id), "serial_number": run.serial_number, "lot_number": run.lot_number} if run else None,
        "station": _station(session, alarm.station_id), "operator": _user(session, alarm.operator_id),
        "acknowledgement": acknowledgement,
    }


def run_payload(session: Session, run_id: str) -> dict[str, Any] | None:
    """A finished run: part, recipe, station, operator, status and the characteristics that failed."""
    run = session.get(Run, uuid.UUID(run_id))
    if run is None:
        return None
    version = session.get(RecipeVersion, run.version_id) if run.version_id else None
    return {
        "id": str(run.id), "status": run.status, "serial_number": run.serial_number, "lot_number": run.lot_number,
        "part_number": run.part_number, "attempt": run.attempt, "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at), "recipe": _recipe(session, run.recipe_id),
        "version": {"id": version.id, "version_number": version.version_number} if version else None,
        "station": _station(session, run.station_id), "operator": _user(session, run.operator_id),
    }


def complete(session: Session, event_type: str, stored: dict[str, Any]) -> dict[str, Any] | None:
    """The full `data` of an event from what its writer stored; None when its subject is gone."""
    if event_type.startswith("alarm."):
        alarm = session.get(Alarm, stored.get("alarm_id"))
        return alarm_payload(session, alarm) if alarm else None
    if event_type == "run.failed":
        return run_payload(session, stored["run_id"])
    return stored


def station_code(data: dict[str, Any]) -> str | None:
    """The station an event concerns, for MQTT topics."""
    station = data.get("station")
    return station["code"] if station else None
