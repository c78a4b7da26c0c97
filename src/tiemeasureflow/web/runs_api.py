"""The operator screens' runs: finding, starting and closing them, and the measuring sheet built from a run."""

from __future__ import annotations

from typing import Any

from .context import station_code
from .gateways import recipes, runs
from .gauge_pick import gauge_of_run
from .measurement_types import type_label


def open_runs_here() -> list[dict[str, Any]]:
    """This operator's parts still in progress at this station (to resume after a crash)."""
    return runs.open_runs(station_code=station_code())


def start_run(recipe_id: int, serial: str, lot: str) -> dict[str, Any]:
    """Open a run for one part on the recipe's current version at this station."""
    return runs.start(recipe_id, serial, lot or None, station_code())


def open_run_for(recipe_id: int, serial: str, lot: str) -> dict[str, Any] | None:
    """This operator's in-progress run of the recipe for this serial and lot, if any."""
    for run in runs.open_runs(recipe_id=recipe_id):
        if run["serial_number"] == serial and (run.get("lot_number") or "") == (lot or ""):
            return run
    return None


def previous_run(run: dict[str, Any]) -> dict[str, Any] | None:
    """The newest earlier closed run of the same part (recipe and serial), for "attempt N, last result"."""
    page = runs.runs_of_part(run["recipe_id"], run["serial_number"], per_page=20)
    earlier = [r for r in page["items"] if r["id"] != run["id"] and r["status"] != "in_progress"]
    return earlier[0] if earlier else None


def get_run(run_id: str) -> dict[str, Any]:
    """A run with its measurements."""
    return runs.run(run_id)


def add_value(run_id: str, subtask_id: int, value: float, input_method: str, reason: str | None = None,
              gross_error_confirmed: bool = False, key: str | None = None) -> dict[str, Any]:
    """Store one value in the run (a replaced value with its reason; once per key, however often it is resent)."""
    body: dict[str, Any] = {"subtask_id": subtask_id, "value": value, "input_method": input_method}
    if reason:
        body["reason"] = reason
    if gross_error_confirmed:
        body["gross_error_confirmed"] = True
    gauge = gauge_of_run(run_id)
    if gauge:  # the gauge picked for the run goes with every value; the API checks its calibration
        body["gauge_code"] = gauge
    return runs.add_value(run_id, body, key)


def finish_run(run_id: str, allow_incomplete: bool = False) -> dict[str, Any]:
    """Close the run; the API judges the part."""
    return runs.finish(run_id, allow_incomplete)


def abort_run(run_id: str, reason: str | None = None) -> dict[str, Any]:
    """Abandon the run (saying why, when the operator did)."""
    return runs.abort(run_id, reason)


def version_of(run: dict[str, Any]) -> dict[str, Any]:
    """The recipe version the run measures (it keeps its version even when a newer one appears)."""
    recipe = recipes.recipe(run["recipe_id"])
    current = recipe.get("current_version") or {}
    if current.get("id") == run["version_id"]:
        return current | {"recipe": recipe}
    number = run.get("version_number")
    if number is None:
        number = next(v["version_number"] for v in recipes.versions(run["recipe_id"]) if v["id"] == run["version_id"])
    return dict(recipes.version(run["recipe_id"], number)) | {"recipe": recipe}


def latest_values(run: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The newest measurement of each subtask in the run (a later value supersedes an earlier one)."""
    latest: dict[int, dict[str, Any]] = {}
    superseded = {m.get("supersedes_id") for m in run.get("measurements", []) if m.get("supersedes_id")}
    for item in sorted(run.get("measurements", []), key=lambda m: (m.get("measured_at") or "", m["id"])):
        if item["id"] in superseded:
            continue
        latest[item["subtask_id"]] = item
    return latest


def characteristic_sheet(version: dict[str, Any], run: dict[str, Any]) -> list[dict[str, Any]]:
    """Every characteristic in measuring order (tasks in order, balloons by number) with its latest value."""
    latest = latest_values(run)
    sheet = []
    for task_index, task in enumerate(version.get("tasks", [])):
        positions = {b["marker_number"]: b for b in task.get("annotations_json") or []}
        for sub in sorted(task.get("subtasks", []), key=lambda s: s["marker_number"]):
            done = latest.get(sub["id"])
            place = positions.get(sub["marker_number"])
            sheet.append({
                "subtask_id": sub["id"], "task_index": task_index, "task_title": task["title"],
                "marker": sub.get("label") or sub["marker_number"], "description": sub.get("description") or "",
                "measurement_type": sub.get("measurement_type"), "unit": sub.get("unit") or "",
                "type_label": type_label(sub.get("measurement_type")),
                "nominal": sub.get("nominal"), "ltl": sub.get("ltl"), "lwl": sub.get("lwl"),
                "uwl": sub.get("uwl"), "utl": sub.get("utl"),
                "gross_error_factor": sub.get("gross_error_factor"),
                "value": done["value"] if done else None,
                "pass_fail": done["pass_fail"] if done else None,
                "deviation": done.get("deviation") if done else None,
                "correction": done if done and done.get("supersedes_id") else None,
                "x": place["x"] if place else None, "y": place["y"] if place else None,
                "page": place.get("page", 1) if place else 1,
            })
    return sheet
