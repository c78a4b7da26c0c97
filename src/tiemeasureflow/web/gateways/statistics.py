"""Statistics for the SPC pages: summaries, charts, capability, yields, limits, run rules, exports.

The chart answers go to the pages' scripts whole, so they stay JSON objects here.
"""

from __future__ import annotations

from typing import Any

import httpx

from .routes import JsonObject, Route, route

SUBTASKS = route("GET", "/api/statistics/subtasks")
SUMMARY = route("GET", "/api/statistics/summary")
COMPARISON = route("GET", "/api/statistics/comparison")
CAPABILITY = route("GET", "/api/statistics/capability")
CONTROL_CHART = route("GET", "/api/statistics/control-chart")
ATTRIBUTE_CHART = route("GET", "/api/statistics/attribute-chart")
HISTOGRAM = route("GET", "/api/statistics/histogram")
CONTROL_LIMITS = route("GET", "/api/statistics/control-limits")
FREEZE_LIMITS = route("PUT", "/api/statistics/control-limits")
RULES = route("GET", "/api/statistics/rules")
SAVE_RULES = route("PUT", "/api/statistics/rules")
YIELD = route("GET", "/api/statistics/yield")
PARETO = route("GET", "/api/statistics/pareto")
ATTENTION = route("GET", "/api/statistics/attention")
HARDPY_CHARACTERISTICS = route("GET", "/api/statistics/hardpy/characteristics")
HARDPY_CAPABILITY = route("GET", "/api/statistics/hardpy/capability")
HARDPY_CONTROL_CHART = route("GET", "/api/statistics/hardpy/control-chart")
HARDPY_HISTOGRAM = route("GET", "/api/statistics/hardpy/histogram")
MEASUREMENTS = route("GET", "/api/measurements/")
SPC_REPORT = route("GET", "/api/reports/spc")
MEASUREMENTS_REPORT = route("GET", "/api/reports/measurements")
EXPORT_CSV = route("GET", "/api/measurements/export/csv")
EXPORT_XLSX = route("GET", "/api/measurements/export/xlsx")


def _get(declared: Route, params: dict[str, Any]) -> Any:
    return declared.call(params=params)


def subtasks(params: dict[str, Any]) -> list[JsonObject]:
    """The characteristics of a recipe (or one version) to choose from."""
    return _get(SUBTASKS, params)


def summary(params: dict[str, Any]) -> JsonObject:
    """Counts and figures of the filtered measurements."""
    return _get(SUMMARY, params)


def comparison(params: dict[str, Any]) -> JsonObject:
    """The characteristic compared across groups."""
    return _get(COMPARISON, params)


def capability(params: dict[str, Any]) -> JsonObject:
    """Cp, Cpk and their kin."""
    return _get(CAPABILITY, params)


def control_chart(params: dict[str, Any]) -> JsonObject:
    """A control chart's points, limits and violations (Shewhart, EWMA or CUSUM)."""
    return _get(CONTROL_CHART, params)


def attribute_chart(params: dict[str, Any]) -> JsonObject:
    """A p, np, c or u chart."""
    return _get(ATTRIBUTE_CHART, params)


def histogram(params: dict[str, Any]) -> JsonObject:
    """A histogram with its fitted distribution."""
    return _get(HISTOGRAM, params)


def control_limits(params: dict[str, Any]) -> list[JsonObject]:
    """The frozen control-limit sets of a characteristic."""
    return _get(CONTROL_LIMITS, params)


def freeze_limits(body: dict[str, Any]) -> JsonObject:
    """Freeze control limits from a baseline."""
    return FREEZE_LIMITS.call(json=body)


def rules(params: dict[str, Any]) -> JsonObject:
    """The run rules configured for a characteristic."""
    return _get(RULES, params)


def save_rules(body: dict[str, Any]) -> JsonObject:
    """Store a characteristic's run rules."""
    return SAVE_RULES.call(json=body)


def yields(params: dict[str, Any]) -> JsonObject:
    """First-pass yield by group."""
    return _get(YIELD, params)


def pareto(params: dict[str, Any]) -> JsonObject:
    """The characteristics that fail most."""
    return _get(PARETO, params)


def attention() -> list[JsonObject]:
    """The characteristics to look at first."""
    return ATTENTION.call()


def hardpy_characteristics(part_number: str | None) -> list[JsonObject]:
    """The HardPy measurements of a part number (of every part number when None)."""
    return _get(HARDPY_CHARACTERISTICS, {"part_number": part_number})


def hardpy_capability(params: dict[str, Any]) -> JsonObject:
    """Capability of one HardPy measurement."""
    return _get(HARDPY_CAPABILITY, params)


def hardpy_control_chart(params: dict[str, Any]) -> JsonObject:
    """I-MR chart of one HardPy measurement."""
    return _get(HARDPY_CONTROL_CHART, params)


def hardpy_histogram(params: dict[str, Any]) -> JsonObject:
    """Histogram of one HardPy measurement."""
    return _get(HARDPY_HISTOGRAM, params)


def measurements(params: dict[str, Any]) -> JsonObject:
    """One page of measurements."""
    return _get(MEASUREMENTS, params)


def download(declared: Route, params: dict[str, Any]) -> httpx.Response:
    """A report or export, streamed; the caller closes it."""
    return declared.stream(params)
