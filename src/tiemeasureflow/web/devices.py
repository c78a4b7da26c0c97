"""Stand sign-in: the page a stand's verification link opens (approve or deny), and the approved stands."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .api_client import ApiError
from .context import login_required
from .errors import flash_api_error
from .gateways import keys, stations

bp = Blueprint("devices", __name__, url_prefix="/device")


def _stations() -> list[dict[str, Any]]:
    """Stations to bind the stand to; only administrators may list them, others approve without."""
    try:
        return [s for s in stations.stations() if s.get("active", True)]
    except ApiError:
        return []


@bp.get("")
@login_required
def verify():
    """Show the sign-in behind the code (from the stand's link, or typed in)."""
    code = request.args.get("user_code", "").strip()
    if not code:
        return render_template("devices/verify.html", grant=None, code="")
    try:
        grant = keys.grant(code)
    except ApiError as exc:
        status = flash_api_error(exc)
        return render_template("devices/verify.html", grant=None, code=code), status
    return render_template("devices/verify.html", grant=grant, code=grant["user_code"], stations=_stations())


@bp.post("")
@login_required
def decide():
    """Approve (with the stand's name and optional station) or deny; the API checks the right to."""
    code = request.form.get("user_code", "").strip()
    approve = request.form.get("decision") == "approve"
    payload: dict[str, Any] = {"approve": approve}
    if approve:
        payload["name"] = request.form.get("name", "").strip()
        if request.form.get("station_id", "").isdigit():
            payload["station_id"] = int(request.form["station_id"])
    try:
        keys.decide(code, payload)
    except ApiError as exc:
        flash_api_error(exc)
        return redirect(url_for("devices.verify", user_code=code))
    flash(_("Stand approved: it can upload now.") if approve else _("Sign-in denied."), "success")
    return redirect(url_for("devices.stands"))


@bp.get("/stands")
@login_required
def stands():
    """Stands approved by sign-in, with their last use; revocable."""
    try:
        rows = keys.stands()
    except ApiError as exc:
        status = flash_api_error(exc)
        return render_template("devices/stands.html", stands=[]), status
    return render_template("devices/stands.html", stands=rows)


@bp.post("/stands/<int:key_id>/revoke")
@login_required
def revoke(key_id: int):
    """Revoke a stand: its tokens stop working at once."""
    try:
        keys.revoke_stand(key_id)
        flash(_("Stand revoked."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("devices.stands"))
