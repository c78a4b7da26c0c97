"""The gauge of a run at the station: scanned or picked once, shown with its calibration state, sent with every value."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .api_client import ApiError
from .context import ROLE_OPERATOR, role_required
from .gateways import quality

bp = Blueprint("gauge_pick", __name__, url_prefix="/measure")
SESSION_KEY = "run_gauges"
MAX_REMEMBERED = 20  # runs whose gauge the browser session remembers


def gauge_of_run(run_id: str) -> str | None:
    """The gauge code chosen for the run in this browser session."""
    return (session.get(SESSION_KEY) or {}).get(str(run_id))


def run_gauge(run_id: str) -> dict[str, Any] | None:
    """The chosen gauge with its state today (None when none is chosen or it is gone)."""
    code = gauge_of_run(run_id)
    if not code:
        return None
    try:
        return quality.gauge(code)
    except ApiError:
        return None


def _remember(run_id: str, code: str | None) -> None:
    chosen = dict(session.get(SESSION_KEY) or {})
    chosen.pop(str(run_id), None)
    if code:
        chosen[str(run_id)] = code
    session[SESSION_KEY] = dict(list(chosen.items())[-MAX_REMEMBERED:])


@bp.route("/run/<run_id>/gauge", methods=["GET", "POST"])
@role_required(ROLE_OPERATOR)
def pick(run_id: str):
    """Scan or pick the gauge once for the run; only usable gauges are accepted."""
    if request.method == "POST":
        code = request.form.get("gauge_code", "").strip()
        if not code:
            _remember(run_id, None)
            return redirect(url_for("measure.run", run_id=run_id))
        try:
            gauge = quality.gauge(code)
        except ApiError:
            flash(_("Gauge %(code)s is not in the gauge register.", code=code), "error")
        else:
            if gauge["usable"]:
                _remember(run_id, gauge["code"])
                if gauge["warning"]:
                    flash(gauge["warning"], "warning")
                return redirect(url_for("measure.run", run_id=run_id))
            flash(gauge["warning"], "error")
    gauges = [g for g in quality.gauges("in_service")]
    return render_template("measure/gauge.html", run_id=run_id, gauges=gauges, chosen=gauge_of_run(run_id))


def init_app(app: Flask) -> None:
    """Offer the run's gauge to the templates."""
    app.jinja_env.globals["run_gauge"] = run_gauge
