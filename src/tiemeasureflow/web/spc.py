"""The metrologist's screens: SPC dashboard, yield and Pareto, measurement table, downloads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from .api_client import ApiError, iterate_and_close
from .context import ROLE_METROLOGIST, role_required
from .errors import flash_api_error
from .gateways import alarms, statistics, system
from .gateways import recipes as recipe_gateway
from .i18n import day_bound
from .spc_drift import DISTRIBUTIONS, extra_data, read_extra, report_options, subgroup_params

bp = Blueprint("spc", __name__, url_prefix="/spc")
FILTER_NAMES = ("recipe_id", "subtask_id", "version_id", "date_from", "date_to", "operator_id", "lot_number",
                "serial_number", "station_code", "shift_id")
CHART_NAMES = ("chart", "subgroup_size", "rules", "n_bins", "axis", "distribution", "family")
CHARTS = ("imr", "xbar_r", "xbar_s", "dnom", "zmr")
SHORT_RUN = ("dnom", "zmr")
# Each download: the API route it streams, whether it needs a characteristic, whether it is a report.
DOWNLOADS = {
    "spc.pdf": (statistics.SPC_REPORT, True, True),
    "measurements.pdf": (statistics.MEASUREMENTS_REPORT, False, True),
    "measurements-detail.pdf": (statistics.MEASUREMENTS_REPORT, False, True),  # with the detailed table
    "measurements.csv": (statistics.EXPORT_CSV, False, False),
    "measurements.xlsx": (statistics.EXPORT_XLSX, False, False),
}


def read_args() -> dict[str, str]:
    """The dashboard's filters and chart options as typed in the query string."""
    names = FILTER_NAMES + CHART_NAMES + ("pass_fail", "group_by", "page")
    return {k: request.args.get(k, "").strip() for k in names} | read_extra()


def api_filters(args: dict[str, str], *names: str) -> dict[str, Any]:
    """The API's query parameters for the chosen filters (dates as UTC day bounds)."""
    params: dict[str, Any] = {k: args.get(k) for k in names}
    if "date_from" in names:
        params["date_from"] = day_bound(args.get("date_from"))
    if "date_to" in names:
        params["date_to"] = day_bound(args.get("date_to"), end=True)
    return params


def recipes() -> list[dict[str, Any]]:
    """Every active recipe, for the recipe picker."""
    return list(recipe_gateway.all_recipes())


def choices(args: dict[str, str]) -> dict[str, Any]:
    """Recipe, versions and characteristics to choose from."""
    found: dict[str, Any] = {"recipes": recipes(), "versions": [], "subtasks": []}
    if args["recipe_id"].isdigit():
        found["versions"] = recipe_gateway.versions(int(args["recipe_id"]))
        found["subtasks"] = statistics.subtasks({"recipe_id": args["recipe_id"], "version_id": args["version_id"] or None})
    return found


@bp.get("/")
@role_required(ROLE_METROLOGIST)
def dashboard():
    """KPIs, capability, control chart with its MR/R/S chart, histogram for one characteristic."""
    args = read_args()
    args["chart"] = args["chart"] if args["chart"] in CHARTS else "imr"
    args["distribution"] = args["distribution"] if args["distribution"] in DISTRIBUTIONS else "normal"
    args["rules"] = args["rules"] if args["rules"] in ("we", "nelson") else ""
    args["axis"] = "time" if args["axis"] == "time" else "index"
    picked = choices(args)
    data: dict[str, Any] = {}
    if args["recipe_id"].isdigit():
        summary_names = ("recipe_id", "subtask_id", "version_id", "date_from", "date_to", "operator_id",
                         "lot_number", "serial_number", "station_code", "shift_id")
        data["summary"] = statistics.summary(api_filters(args, *summary_names))
        data["hardpy_part"] = hardpy_part(picked["recipes"], args["recipe_id"])
        if args["subtask_id"].isdigit():
            data |= characteristic_data(args)
    return render_template("spc/dashboard.html", args=args, data=data, shifts=system.shifts(), **picked)


def hardpy_part(found: list[dict[str, Any]], recipe_id: str) -> str | None:
    """The recipe's code when HardPy stands test that part number too (their measurements chart on their own page)."""
    code = next((r["code"] for r in found if str(r["id"]) == recipe_id), None)
    if code and statistics.hardpy_characteristics(code):
        return code
    return None


@bp.get("/compare")
@role_required(ROLE_METROLOGIST)
def compare():
    """One characteristic by shift, operator and station side by side: box plots and capability per group."""
    args = read_args()
    picked = choices(args)
    comparison = None
    if args["recipe_id"].isdigit() and args["subtask_id"].isdigit():
        comparison = statistics.comparison(api_filters(args, *FILTER_NAMES))
    return render_template("spc/compare.html", args=args, comparison=comparison, shifts=system.shifts(),
                           **picked)


def characteristic_data(args: dict[str, str]) -> dict[str, Any]:
    """Capability, control chart and histogram of the chosen characteristic."""
    base = api_filters(args, *FILTER_NAMES)
    size = args["subgroup_size"] if args["subgroup_size"].isdigit() else ""
    short_run = args["chart"] in SHORT_RUN
    if short_run:
        size = ""
    elif args["chart"] != "imr" and not size:
        size = "5"
    chart = {"chart": args["chart"], "rules": args["rules"] or None, "subgroup_size": size or None}
    if short_run:
        chart["family"] = family_ids(args["family"])
    distribution = {"distribution": args.get("distribution") or "normal"}
    return {
        "capability": statistics.capability(base | {"subgroup_size": size or 1} | distribution),
        "control": statistics.control_chart(base | ({} if short_run else subgroup_params(args)) | chart),
        "limit_sets": statistics.control_limits({"recipe_id": args["recipe_id"], "subtask_id": args["subtask_id"]}),
        "rule_config": statistics.rules({"recipe_id": args["recipe_id"], "subtask_id": args["subtask_id"]}),
        "histogram": statistics.histogram(base | {"n_bins": args["n_bins"] or 20} | distribution),
        # Where the reaction to each alarm of the characteristic is recorded (auditors ask at the chart).
        "alarms": alarms.alarms({"recipe_id": args["recipe_id"], "subtask_id": args["subtask_id"], "per_page": 50}),
    } | extra_data(args, base, size)


def family_ids(text: str) -> list[str]:
    """The family's further subtask ids, typed separated by commas or spaces."""
    return [part for part in text.replace(",", " ").split() if part.isdigit()]


@bp.get("/yield")
@role_required(ROLE_METROLOGIST)
def production():
    """First-pass and final yield by day, station or recipe, and the Pareto of failing characteristics."""
    args = read_args()
    args["group_by"] = args["group_by"] if args["group_by"] in ("day", "station", "recipe") else "day"
    params = api_filters(args, "date_from", "date_to", "recipe_id", "station_code")
    yields = statistics.yields(params | {"group_by": args["group_by"]})
    pareto = statistics.pareto(params | {"pass_fail": args["pass_fail"] or None})
    return render_template("spc/yield.html", args=args, yields=yields, pareto=pareto, recipes=recipes())


@bp.get("/measurements")
@role_required(ROLE_METROLOGIST)
def measurements():
    """The measurement table with filters and paging."""
    args = read_args()
    args["measured_by"] = request.args.get("measured_by", "").strip()
    picked = choices(args)
    params = measurement_scope(args, picked["subtasks"]) | {"page": args["page"] or 1, "per_page": 50}
    page = statistics.measurements(params)
    return render_template("spc/measurements.html", args=args, page=page, **picked)


def measurement_scope(args: dict[str, str], subtasks: list[dict[str, Any]]) -> dict[str, Any]:
    """The list and export filters selecting what the dashboard counts: a characteristic across versions."""
    params = api_filters(args, "recipe_id", "version_id", "date_from", "date_to", "lot_number", "serial_number",
                         "pass_fail", "station_code", "shift_id")
    params["measured_by"] = args.get("measured_by") or args.get("operator_id")
    if args["subtask_id"].isdigit():
        # The dashboard's subtask stands for its characteristic in every version (narrowed by version_id).
        chosen = next((s for s in subtasks if str(s["id"]) == args["subtask_id"]), None)
        params["characteristic_id" if chosen else "subtask_id"] = chosen["characteristic_id"] if chosen \
            else args["subtask_id"]
    return params


@bp.get("/download/<name>")
@role_required(ROLE_METROLOGIST)
def download(name: str):
    """A PDF report or a CSV/XLSX export of the current filters, streamed from the API."""
    if name not in DOWNLOADS:
        abort(404)
    declared, needs_subtask, is_report = DOWNLOADS[name]
    args = read_args()
    args["measured_by"] = request.args.get("measured_by", "").strip()
    if not args["recipe_id"].isdigit() or (needs_subtask and not args["subtask_id"].isdigit()):
        raise ApiError(422, _("Choose a recipe (and a characteristic for the SPC report) first."))
    if is_report:
        params = api_filters(args, "recipe_id", "subtask_id", "version_id", "date_from", "date_to", "operator_id",
                             "lot_number", "serial_number")
        if name == "measurements-detail.pdf":
            params["detail"] = "true"
        if name == "spc.pdf":
            params |= report_options(args)
    else:
        params = measurement_scope(args, choices(args)["subtasks"]) | {"layout": "readable"}
        if name.endswith(".csv"):
            params["bom"] = "true"  # so Excel opens accented text right
    upstream = statistics.download(declared, params)
    headers = {k: upstream.headers[k] for k in ("content-type", "content-disposition", "content-length")
               if k in upstream.headers}
    return Response(stream_with_context(iterate_and_close(upstream)), headers=headers)


@bp.post("/control-limits")
@role_required(ROLE_METROLOGIST)
def freeze_limits():
    """Freeze the shown chart's limits from the first N points or subgroups, with a reason and exclusions."""
    form = request.form
    back = {k: form.get(k, "") for k in FILTER_NAMES + CHART_NAMES if form.get(k)}
    body: dict[str, Any] = {"chart": form.get("chart", "imr"), "reason": form.get("reason", "").strip()}
    for name in ("recipe_id", "subtask_id", "subgroup_size"):
        if form.get(name, "").isdigit():
            body[name] = int(form[name])
    count = form.get("baseline_count", "")
    if count.isdigit():
        body["baseline_points" if body["chart"] == "imr" else "baseline_subgroups"] = int(count)
    exclusions = []
    for line in form.get("exclusions", "").splitlines():
        number, _sep, why = line.partition(" ")
        if number.strip().isdigit():
            exclusions.append({"measurement_id": int(number), "reason": why.strip() or body["reason"]})
    if exclusions:
        body["exclusions"] = exclusions
    try:
        created = statistics.freeze_limits(body)
        flash(_("Control limits frozen (set %(id)s).", id=created["id"]), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("spc.dashboard", **back))


@bp.post("/rules")
@role_required(ROLE_METROLOGIST)
def save_rules():
    """Store the characteristic's run rules: the set, the rules on, their K, the rules on the MR/R/S chart."""
    form = request.form
    back = {k: form.get(k, "") for k in FILTER_NAMES + CHART_NAMES if form.get(k) and k != "rules"}
    rule_set = form.get("rule_set", "we")
    body: dict[str, Any] = {
        "rule_set": rule_set,
        "enabled": [int(r) for r in form.getlist("enabled") if r.isdigit()],
        "secondary_rules": [int(r) for r in form.getlist("secondary_rules") if r.isdigit()],
        "k_values": {},
    }
    for name in ("recipe_id", "subtask_id"):
        if form.get(name, "").isdigit():
            body[name] = int(form[name])
    for key, value in form.items():
        if key.startswith(f"k_{rule_set}_") and value.strip():
            try:
                body["k_values"][key.rsplit("_", 1)[1]] = float(value.replace(",", "."))
            except ValueError:
                flash(_("K values are numbers."), "error")
                return redirect(url_for("spc.dashboard", **back))
    try:
        statistics.save_rules(body)
        flash(_("Run rules saved."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("spc.dashboard", **back))
