"""The operator's screens: this station's recipes, serial and lot, the measuring screen, the result."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..kit.vocabulary import STATION_INPUT_METHODS
from . import runs_api
from .api_client import ApiError, ApiUnavailable
from .context import ROLE_OPERATOR, role_required, station_code
from .errors import api_error_message, flash_api_error, wants_json
from .gateways import recipes as recipe_gateway
from .gateways import stations, system

bp = Blueprint("measure", __name__, url_prefix="/measure")
VALUE_PATTERN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
# The API's Idempotency-Key form; the page makes one per value so its resends are safe.
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")


@bp.before_request
def require_station():
    """Without a STATION_CODE this client cannot offer recipes: say so before anything else."""
    if not station_code():
        return render_template("measure/station_unconfigured.html"), 503
    return None


def station_recipes() -> list[dict[str, Any]] | None:
    """The active recipes assigned to this station (None: the station is unknown or inactive)."""
    try:
        return stations.offered_at(station_code())
    except ApiError as exc:
        if exc.status == 404:
            return None
        raise


@bp.get("/")
@bp.get("/select")
@role_required(ROLE_OPERATOR)
def select():
    """Pick a recipe: this station's list, searchable, or a scanned recipe code."""
    recipes = station_recipes()
    if recipes is None:
        return render_template("measure/station_unknown.html"), 404
    query = request.args.get("q", "").strip()
    if query:
        exact = [r for r in recipes if r["code"].casefold() == query.casefold()]
        if len(exact) == 1:
            return redirect(url_for("measure.start", recipe_id=exact[0]["id"]))
        needle = query.casefold()
        recipes = [r for r in recipes if needle in r["code"].casefold() or needle in r["name"].casefold()]
    open_runs = runs_api.open_runs_here()
    return render_template("measure/select.html", recipes=recipes, query=query, open_runs=open_runs)


def assigned_recipe(recipe_id: int) -> dict[str, Any]:
    """A recipe of this station (its full detail), or a 404 page if it is not offered here."""
    recipes = station_recipes()
    if recipes is None or all(r["id"] != recipe_id for r in recipes):
        raise ApiError(404, _("This recipe is not assigned to station %(code)s.", code=station_code()))
    return recipe_gateway.recipe(recipe_id)


@bp.route("/recipe/<int:recipe_id>/start", methods=["GET", "POST"])
@role_required(ROLE_OPERATOR)
def start(recipe_id: int):
    """Serial and lot (scanned or typed), then a new run."""
    recipe = assigned_recipe(recipe_id)
    serial = request.values.get("serial_number", "").strip()
    lot = request.values.get("lot_number", "").strip()
    if request.method == "POST":
        status = 400
        if not serial:
            flash(_("Scan or type the part's serial number."), "error")
        else:
            try:
                existing = runs_api.open_run_for(recipe_id, serial, lot)
                if existing is None:
                    existing = runs_api.start_run(recipe_id, serial, lot)
                    return redirect(url_for("measure.run", run_id=existing["id"]))
                return redirect(url_for("measure.in_progress", run_id=existing["id"]))
            except ApiError as exc:
                status = flash_api_error(exc)
        return render_template("measure/start.html", recipe=recipe, serial=serial, lot=lot), status
    return render_template("measure/start.html", recipe=recipe, serial=serial, lot=lot)


@bp.get("/run/<run_id>")
@role_required(ROLE_OPERATOR)
def run(run_id: str):
    """The measuring screen, resumed where the run stopped."""
    run = runs_api.get_run(run_id)
    if run["status"] != "in_progress":
        return redirect(url_for("measure.result", run_id=run_id))
    version = runs_api.version_of(run)
    sheet = runs_api.characteristic_sheet(version, run)
    reasons, hold_on_warning = station_rules()
    previous = runs_api.previous_run(run) if run.get("attempt", 1) > 1 else None
    return render_template("measure/run.html", run=run, version=version, sheet=sheet, reasons=reasons,
                           hold_on_warning=hold_on_warning, previous=previous)


@bp.get("/run/<run_id>/in-progress")
@role_required(ROLE_OPERATOR)
def in_progress(run_id: str):
    """The serial is already being measured: resume it, or abort it with a reason and start again."""
    run = runs_api.get_run(run_id)
    if run["status"] != "in_progress":
        return redirect(url_for("measure.result", run_id=run_id))
    version = runs_api.version_of(run)
    sheet = runs_api.characteristic_sheet(version, run)
    done = sum(1 for row in sheet if row["value"] is not None)
    return render_template("measure/in_progress.html", run=run, version=version, done=done, total=len(sheet),
                           reasons=station_rules()[0])


def station_rules() -> tuple[list[str], bool]:
    """The admin's correction reasons (one per line; translated defaults when unset) and the warning hold."""
    settings = system.settings()
    reasons = [line.strip() for line in (settings.get("correction_reasons") or "").splitlines() if line.strip()]
    if not reasons:
        reasons = [_("Measured again"), _("Typing error"), _("Wrong characteristic"), _("Part not clean"),
                   _("Gauge not zeroed")]
    return reasons, (settings.get("station_hold_on_warning") or "").strip().lower() == "true"


@bp.post("/run/<run_id>/values")
@role_required(ROLE_OPERATOR)
def save_value(run_id: str):
    """Save one value as it is entered; answers its judgment (JSON) or redraws the screen."""
    data = request.get_json(silent=True) if request.is_json else request.form
    data = data or {}
    try:
        subtask_id = int(data.get("subtask_id", ""))
        value = parse_value(str(data.get("value", "")))
    except ValueError:
        message = _("Not a number: type the value with digits and a decimal point or comma.")
        if wants_json():
            return jsonify(error=message), 422
        flash(message, "error")
        return redirect(url_for("measure.run", run_id=run_id))
    method = data.get("input_method") if data.get("input_method") in STATION_INPUT_METHODS else "keyboard"
    reason = str(data.get("reason") or "").strip()[:2000] or None
    confirmed = data.get("gross_error_confirmed") in (True, "1", "true")
    try:
        key = data.get("key")
        saved = runs_api.add_value(run_id, subtask_id, value, method, reason, confirmed,
                                   key if isinstance(key, str) and KEY_PATTERN.match(key) else None)
    except ApiUnavailable:
        raise  # the page keeps the value and retries; the handler answers 503 with the banner flag
    except ApiError as exc:
        if wants_json():
            return jsonify(error=api_error_message(exc)), exc.status
        flash_api_error(exc)
        return redirect(url_for("measure.run", run_id=run_id))
    if wants_json():
        return jsonify(measurement=saved)
    return redirect(url_for("measure.run", run_id=run_id))


def parse_value(text: str) -> float:
    """A caliper or keyboard value: digits with a decimal point or comma, optional sign."""
    cleaned = text.strip().replace(" ", "").replace(",", ".")
    if not VALUE_PATTERN.match(cleaned):
        raise ValueError(text)
    return float(cleaned)


@bp.post("/run/<run_id>/finish")
@role_required(ROLE_OPERATOR)
def finish(run_id: str):
    """Close the part and show its result."""
    try:
        runs_api.finish_run(run_id, allow_incomplete=request.form.get("allow_incomplete") == "1")
    except ApiError as exc:
        if isinstance(exc, ApiUnavailable):
            raise
        flash_api_error(exc)
        return redirect(url_for("measure.run", run_id=run_id))
    return redirect(url_for("measure.result", run_id=run_id))


@bp.post("/run/<run_id>/abort")
@role_required(ROLE_OPERATOR)
def abort(run_id: str):
    """Abandon the part (its values stay recorded), with the operator's reason; optionally start it again."""
    reason = (request.form.get("reason_other", "").strip() or request.form.get("reason", "").strip())[:2000] or None
    if request.form.get("restart") == "1" and reason is None:
        flash(_("Say why the part is aborted."), "error")
        return redirect(url_for("measure.in_progress", run_id=run_id))
    runs_api.abort_run(run_id, reason)
    run = runs_api.get_run(run_id)
    if request.form.get("restart") == "1":
        try:
            fresh = runs_api.start_run(run["recipe_id"], run["serial_number"], run.get("lot_number") or "")
            return redirect(url_for("measure.run", run_id=fresh["id"]))
        except ApiError as exc:
            flash_api_error(exc)
    flash(_("The part was aborted."), "info")
    return redirect(url_for("measure.start", recipe_id=run["recipe_id"], lot_number=run.get("lot_number") or ""))


@bp.get("/run/<run_id>/result")
@role_required(ROLE_OPERATOR)
def result(run_id: str):
    """The part's result and a quick way to the next part."""
    run = runs_api.get_run(run_id)
    version = runs_api.version_of(run)
    sheet = runs_api.characteristic_sheet(version, run)
    return render_template("measure/result.html", run=run, sheet=sheet)
