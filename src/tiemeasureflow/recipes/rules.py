"""Pure checks on a subtask's values, shared by the payload schemas and the update path."""

from __future__ import annotations

from typing import Any

from . import catalog, tolerance

# From lowest to highest; any may be absent.
LIMIT_ORDER = ("ltl", "lwl", "nominal", "uwl", "utl")


def limits_problem(values: dict[str, Any]) -> str | None:
    """Why the limits are not ordered ltl <= lwl <= nominal <= uwl <= utl (absent ones skipped), or None."""
    present = [(name, values.get(name)) for name in LIMIT_ORDER if values.get(name) is not None]
    for (low_name, low), (high_name, high) in zip(present, present[1:], strict=False):
        if low > high:
            return f"limits must satisfy ltl <= lwl <= nominal <= uwl <= utl: {low_name}={low} > {high_name}={high}"
    return None


def unit_problem(measurement_type: str, unit: str) -> str | None:
    """Why the unit does not suit the measurement type, or None."""
    allowed = catalog.UNITS_BY_TYPE.get(measurement_type)
    if allowed is None:
        return f"unknown measurement_type {measurement_type!r}"
    if unit not in allowed:
        return f"unit {unit!r} does not suit measurement_type {measurement_type!r}; allowed: {', '.join(allowed)}"
    return None


def subtask_problem(values: dict[str, Any]) -> str | None:
    """Why a subtask's unit or limits are not acceptable, or None."""
    return unit_problem(values["measurement_type"], values["unit"]) or limits_problem(values)


def apply_tolerance(values: dict[str, Any], sent: dict[str, Any]) -> str | None:
    """Fill nominal/ltl/utl from values['tolerance_text'] when sent; why not, or None.

    Limits sent without a tolerance text make a stored text obsolete: it is cleared.
    """
    text = sent.get("tolerance_text")
    if text is None:
        if "tolerance_text" not in sent and any(sent.get(k) is not None for k in ("nominal", "ltl", "utl")):
            values["tolerance_text"] = None
        return None
    if any(sent.get(k) is not None for k in ("nominal", "ltl", "utl")):
        return "send either tolerance_text or nominal/ltl/utl, not both"
    try:
        values.update(tolerance.parse(text, values["unit"]))
    except tolerance.ToleranceError as exc:
        return f"tolerance_text: {exc}"
    values["tolerance_text"] = text.strip()
    return None


def balloons_problem(balloons: list[dict[str, Any]] | None) -> str | None:
    """Why a task's balloons are not acceptable (a marker number placed twice), or None."""
    markers = [b["marker_number"] for b in balloons or []]
    if len(markers) != len(set(markers)):
        return "annotations_json: each marker_number may appear once"
    return None
