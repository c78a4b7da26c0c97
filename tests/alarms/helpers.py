"""Driving the alarm loop over HTTP."""

from __future__ import annotations

from tests.measurements.helpers import call


def batch(client, user, plan, values: list[float], subtask_index: int = 0, serial_prefix: str = "P") -> list[dict]:
    """One part per value through POST /api/measurements/batch."""
    items = [{"subtask_id": plan.subtask_ids[subtask_index], "version_id": plan.version_id, "value": v,
              "serial_number": f"{serial_prefix}-{i}", "lot_number": "L1"} for i, v in enumerate(values)]
    return call(client, user, "POST", "/measurements/batch", 200, json={"measurements": items}).json()


def alarms(client, user, **params) -> dict:
    """GET /api/alarms with filters."""
    return call(client, user, "GET", "/alarms", 200, params=params).json()


def set_reaction(client, maker, subtask_id: int, **fields) -> dict:
    """Give a characteristic a class, reaction plan or Cpk target through the recipe API."""
    return call(client, maker, "PUT", f"/subtasks/{subtask_id}", 200, json=fields).json()
