"""A device's history at the station: scan or type a serial, see every run, open each run's report."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for

from .context import ROLE_METROLOGIST, ROLE_OPERATOR, role_required
from .gateways import quality, runs

bp = Blueprint("units", __name__, url_prefix="/units")
READERS = (ROLE_OPERATOR, ROLE_METROLOGIST)
MAX_SERIAL = 255


@bp.get("/")
@role_required(*READERS)
def find():
    """The devices carrying the scanned serial: straight to the history when there is one."""
    serial = request.args.get("serial", "").strip()[:MAX_SERIAL]
    devices = quality.units(serial) if serial else []
    if len(devices) == 1:
        return redirect(url_for("units.history", part_number=devices[0]["part_number"], serial=serial))
    return render_template("units/find.html", serial=serial, devices=devices)


@bp.get("/<part_number>/<path:serial>")
@role_required(*READERS)
def history(part_number: str, serial: str):
    """Every run of one device in time order, with a link to each run's report."""
    unit = quality.unit(part_number, serial)
    return render_template("units/history.html", unit=unit)


@bp.get("/runs/<uuid:run_id>/report.pdf")
@role_required(*READERS)
def run_report(run_id):
    """A run's inspection report (PDF), from the API."""
    upstream = runs.report_pdf(str(run_id))
    return Response(upstream.content, mimetype="application/pdf",
                    headers={"Content-Disposition": upstream.headers.get("content-disposition", "inline")})
