"""The dashboard's EWMA/CUSUM and attribute charts and its subgroup basis, fetched from the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request

from .api_client import ApiError
from .gateways import statistics

DRIFT_CHARTS = ("ewma", "cusum")
ATTRIBUTE_CHARTS = ("p", "np", "c", "u")
ATTRIBUTE_GROUPS = ("lot", "day", "shift", "run_count")
SUBGROUP_BASES = ("consecutive", "run", "lot", "part", "window")
NUMBERS = ("ewma_lambda", "ewma_l", "cusum_k", "cusum_h", "window_minutes")
# The report draws one characteristic's Shewhart chart; the short-run charts stay on the dashboard.
REPORT_CHARTS = ("imr", "xbar_r", "xbar_s")
DISTRIBUTIONS = ("normal", "auto", "lognormal", "weibull", "weibull3", "gamma", "folded_normal", "rayleigh", "boxcox",
                 "johnson")
NAMES = ("drift", "attribute", "attribute_by", "subgroup_by") + NUMBERS


def read_extra() -> dict[str, str]:
    """The options of these charts as typed in the query string (unknown choices fall back to none)."""
    args = {k: request.args.get(k, "").strip() for k in NAMES}
    args["drift"] = args["drift"] if args["drift"] in DRIFT_CHARTS else ""
    args["attribute"] = args["attribute"] if args["attribute"] in ATTRIBUTE_CHARTS else ""
    args["attribute_by"] = args["attribute_by"] if args["attribute_by"] in ATTRIBUTE_GROUPS else "lot"
    args["subgroup_by"] = args["subgroup_by"] if args["subgroup_by"] in SUBGROUP_BASES else "consecutive"
    return args


def subgroup_params(args: dict[str, str]) -> dict[str, Any]:
    """What the control-chart request adds for subgroups by run, lot, part or window."""
    if args.get("subgroup_by", "consecutive") == "consecutive" or args.get("chart") == "imr":
        return {}
    return {"subgroup_by": args["subgroup_by"], "window_minutes": args.get("window_minutes") or 60}


def extra_data(args: dict[str, str], base: dict[str, Any], size: str) -> dict[str, Any]:
    """The chosen EWMA/CUSUM chart and attribute chart (or why the API refused them)."""
    found: dict[str, Any] = {}
    if args["drift"]:
        numbers = {k: args[k] for k in NUMBERS[:4] if _number(args[k])}
        params = base | numbers | {"chart": args["drift"], "subgroup_size": size or None}
        found["drift"], found["drift_error"] = _get(statistics.control_chart, params)
    if args["attribute"]:
        keep = {k: v for k, v in base.items() if k != "subtask_id"}
        params = keep | {"chart": args["attribute"], "subgroup_by": args["attribute_by"]}
        if args.get("attribute_scope") != "recipe":
            params["subtask_id"] = base.get("subtask_id")
        found["attribute"], found["attribute_error"] = _get(statistics.attribute_chart, params)
    return found


def report_options(args: dict[str, str]) -> dict[str, Any]:
    """The SPC report's request for what the dashboard shows: chart, subgroups, rules, distribution, drift, attribute."""
    params: dict[str, Any] = {}
    if args.get("chart") in REPORT_CHARTS:
        params["chart"] = args["chart"]
        if args["chart"] != "imr" and args.get("subgroup_size", "").isdigit():
            params["subgroup_size"] = args["subgroup_size"]
        params |= subgroup_params(args)
    if args.get("rules") in ("we", "nelson"):
        params["rules"] = args["rules"]
    if args.get("n_bins", "").isdigit():
        params["n_bins"] = args["n_bins"]
    if args.get("distribution") in DISTRIBUTIONS:
        params["distribution"] = args["distribution"]
    if args.get("drift") in DRIFT_CHARTS:
        params["drift_chart"] = args["drift"]
        params |= {k: args[k] for k in NUMBERS[:4] if _number(args.get(k, ""))}
    if args.get("attribute") in ATTRIBUTE_CHARTS:
        params |= {"attribute": args["attribute"], "attribute_by": args.get("attribute_by") or "lot"}
    return params


def _get(fetch: Callable[[dict[str, Any]], Any], params: dict[str, Any]) -> tuple[Any, str | None]:
    try:
        return fetch(params), None
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        return None, error.detail


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
