"""Admin › Shifts: the plant's shifts by local time of day, and the plant time zone they are read in."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..api_client import ApiError
from ..context import role_required
from ..errors import flash_api_error
from ..gateways import system
from . import bp


@bp.route("/shifts", methods=["GET", "POST"])
@role_required("admin")
def shifts():
    """List the shifts; add one by name, local start and end."""
    status = 200
    if request.method == "POST":
        body = {k: request.form.get(k, "").strip() for k in ("name", "starts", "ends")}
        try:
            system.add_shift(body)
            flash(_("Shift %(name)s added.", name=body["name"]), "success")
            return redirect(url_for("admin.shifts"))
        except ApiError as exc:
            status = flash_api_error(exc)
    zone = system.settings().get("plant_timezone") or "UTC"
    return render_template("admin/shifts.html", shifts=system.shifts(), zone=zone), status


@bp.post("/shifts/timezone")
@role_required("admin")
def shift_timezone():
    """Set the plant time zone the shifts are read in."""
    try:
        system.update_settings({"plant_timezone": request.form.get("plant_timezone", "").strip()})
        flash(_("Plant time zone saved."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("admin.shifts"))


@bp.post("/shifts/<int:shift_id>/delete")
@role_required("admin")
def shift_delete(shift_id: int):
    """Delete a shift."""
    try:
        system.delete_shift(shift_id)
        flash(_("Shift deleted."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("admin.shifts"))
