"""Alarms in the station client: the station's reaction (full-screen plan, stop, banner), the alarm list with
acknowledgement, and the "needs attention" home of metrologists and quality."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .api_client import ApiError
from .context import (
    ROLE_METROLOGIST,
    ROLE_OPERATOR,
    current_user,
    has_role,
    login_required,
    role_required,
    station_code,
)
from .errors import flash_api_error
from .gateways import alarms as gateway
from .gateways import runs, statistics

bp = Blueprint("reaction", __name__)
WATCHED = ("measure.run", "measure.result")


def may_acknowledge(user: dict[str, Any] | None) -> bool:
    """Who the API lets close alarms: metrologists and admins."""
    return has_role(user, ROLE_METROLOGIST) or has_role(user, "admin")


def hold_for(recipe_id: int) -> dict[str, Any]:
    """The API's verdict on new parts of the recipe at this station, with its open alarms."""
    return gateway.station_hold(station_code(), recipe_id)


@bp.app_context_processor
def reaction_context() -> dict[str, Any]:
    """Pages of a part in progress watch this station's alarms for its recipe."""
    args = request.view_args or {}
    if request.endpoint in WATCHED and "run_id" in args and station_code():
        return {"reaction_hold_url": url_for("reaction.hold", run_id=args["run_id"])}
    return {}


@bp.before_app_request
def stop_new_parts():
    """A new part of a stopped recipe shows the reaction plan full screen instead of the serial form."""
    if request.endpoint != "measure.start" or not station_code() or current_user() is None:
        return None
    recipe_id = (request.view_args or {}).get("recipe_id")
    try:
        hold = hold_for(recipe_id)
    except ApiError:
        return None  # the start page reports what is wrong
    if not hold["stopped"]:
        return None
    return render_template("reaction/stopped.html", hold=hold, recipe_id=recipe_id, causes=_causes(),
                           may_acknowledge=may_acknowledge(current_user())), 409


@bp.get("/reaction/hold/<run_id>")
@role_required(ROLE_OPERATOR)
def hold(run_id: str):
    """JSON for the measuring screen: stopped or not, and the open alarms of its recipe here."""
    run = runs.run(run_id)
    found = hold_for(run["recipe_id"])
    return jsonify(stopped=found["stopped"], alarms=[_brief(a) for a in found["alarms"]],
                   stopped_url=url_for("measure.start", recipe_id=run["recipe_id"]))


def _brief(alarm: dict[str, Any]) -> dict[str, Any]:
    ch = alarm["characteristic"]
    return {"id": alarm["id"], "kind": alarm["kind"], "message": alarm["message"], "class": ch.get("class"),
            "marker": ch.get("marker_number"), "description": ch.get("description"),
            "reaction_plan": ch.get("reaction_plan"), "serial": (alarm.get("run") or {}).get("serial_number")}


def _causes() -> list[dict[str, Any]]:
    return gateway.causes()


@bp.get("/alarms")
@login_required
def alarms():
    """Alarms, open first: each with its characteristic, part, station and, for the authority, a form to close it."""
    status = request.args.get("status", "open")
    status = status if status in ("open", "acknowledged") else "open"
    page = request.args.get("page", "1")
    found = gateway.alarms({"status": status, "page": int(page) if page.isdigit() else 1, "per_page": 25,
                                  "subtask_id": request.args.get("subtask_id") or None,
                                  "recipe_id": request.args.get("recipe_id") or None})
    return render_template("reaction/alarms.html", found=found, status=status, causes=_causes(),
                           may_acknowledge=may_acknowledge(current_user()))


@bp.post("/alarms/<int:alarm_id>/acknowledge")
@login_required
def acknowledge(alarm_id: int):
    """Close an alarm with a cause, the action taken and a note."""
    body = {"cause": request.form.get("cause", ""), "action": request.form.get("action", "").strip(),
            "note": request.form.get("note", "").strip() or None}
    try:
        gateway.acknowledge(alarm_id, body)
        flash(_("Alarm %(id)s acknowledged.", id=alarm_id), "success")
    except ApiError as exc:
        flash_api_error(exc)
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("reaction.alarms"))


@bp.get("/attention")
@login_required
def attention():
    """Needs attention: the characteristics to look at first, each linked to its chart."""
    ranking = statistics.attention()
    return render_template("reaction/attention.html", ranking=ranking)
