"""Admin › Stations: create, edit, delete, and which recipes each station offers."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..api_client import ApiError
from ..context import role_required
from ..errors import flash_api_error
from ..gateways import recipes
from ..gateways import stations as gateway
from . import bp


def station_payload(form: Any, creating: bool) -> dict[str, Any]:
    """The API payload from the station form."""
    data: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "location": form.get("location", "").strip() or None,
        "notes": form.get("notes", "").strip() or None,
        "active": form.get("active") == "1",
    }
    if creating:
        data["code"] = form.get("code", "").strip()
    return data


@bp.get("/stations")
@role_required("admin")
def stations():
    """Stations with their assigned recipes, and the assignment dialog."""
    stations = gateway.stations()  # each with its assigned recipes, in one call
    assigned = {s["id"]: s["assigned_recipes"] for s in stations}
    return render_template("admin/stations.html", stations=stations, assigned=assigned, recipes=recipes.all_recipes())


@bp.route("/stations/new", methods=["GET", "POST"])
@role_required("admin")
def station_new():
    """Create a station (its code cannot change later)."""
    if request.method == "POST":
        try:
            created = gateway.create(station_payload(request.form, creating=True))
            flash(_("Station %(code)s created.", code=created["code"]), "success")
            return redirect(url_for("admin.stations"))
        except ApiError as exc:
            status = flash_api_error(exc)
        return render_template("admin/station_form.html", values=request.form, creating=True), status
    return render_template("admin/station_form.html", values={"active": "1"}, creating=True)


@bp.route("/stations/<int:station_id>", methods=["GET", "POST"])
@role_required("admin")
def station_edit(station_id: int):
    """Edit a station's name, location, notes and active flag."""
    if request.method == "POST":
        try:
            gateway.update(station_id, station_payload(request.form, creating=False))
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.stations"))
        except ApiError as exc:
            status = flash_api_error(exc)
        values = dict(request.form.items()) | {"id": station_id, "code": request.form.get("code_shown", "")}
        return render_template("admin/station_form.html", values=values, creating=False), status
    station = gateway.station(station_id)
    values = dict(station, active="1" if station["active"] else "")
    return render_template("admin/station_form.html", values=values, creating=False)


@bp.post("/stations/<int:station_id>/delete")
@role_required("admin")
def station_delete(station_id: int):
    """Delete a station and its assignments (runs and measurements stay)."""
    try:
        gateway.delete(station_id)
        flash(_("Station deleted."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("admin.stations"))


@bp.route("/stations/<int:station_id>/recipes", methods=["GET", "POST"])
@role_required("admin")
def station_recipes(station_id: int):
    """Set the recipes a station offers (the dialog posts here; also a page of its own)."""
    station = gateway.station(station_id)
    assigned = gateway.assigned(station_id)
    current = {r["id"] for r in assigned}
    if request.method == "POST":
        wanted = {int(v) for v in request.form.getlist("recipe_ids") if v.isdigit()}
        problems = []
        for recipe_id in sorted(wanted - current):
            try:
                gateway.assign(station_id, recipe_id)
            except ApiError as exc:
                problems.append(exc)
        for recipe_id in sorted(current - wanted):
            try:
                gateway.unassign(station_id, recipe_id)
            except ApiError as exc:
                problems.append(exc)
        for exc in problems:
            flash_api_error(exc)
        if not problems:
            flash(_("Recipes of station %(code)s saved.", code=station["code"]), "success")
        return redirect(url_for("admin.stations"))
    offered: list[Any] = list(recipes.all_recipes())
    known = {r["id"] for r in offered}
    # Assigned recipes that were since deactivated stay listed, so saving does not drop them silently.
    offered += [r for r in assigned if r["id"] not in known]
    return render_template("admin/station_recipes.html", station=station, current=current, recipes=offered)
