"""Helpers for recipe tests: build recipes, tasks and measurements through the API."""

from __future__ import annotations

import pytest

SUBTASK = {"marker_number": 1, "description": "Bore", "measurement_type": "diameter",
           "nominal": 10.0, "utl": 10.5, "uwl": 10.2, "lwl": 9.8, "ltl": 9.5, "unit": "mm"}


class RecipeApi:
    """Thin helpers over the recipe routes, asserting the expected status."""

    def __init__(self, client, user):
        self.client = client
        self.headers = user.headers

    def call(self, method: str, path: str, expected: int | None = None, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        res = self.client.request(method, f"/api{path}", headers=headers, **kwargs)
        if expected is not None:
            assert res.status_code == expected, (method, path, res.status_code, res.text)
        return res

    def recipe(self, code: str = "R-001", name: str = "Shaft", **extra) -> dict:
        return self.call("POST", "/recipes", 201, json={"code": code, "name": name, **extra}).json()

    def task(self, recipe_id: int, title: str = "Turning", subtasks: list[dict] | None = None, **extra) -> dict:
        body = {"title": title, "subtasks": [SUBTASK] if subtasks is None else subtasks, **extra}
        return self.call("POST", f"/recipes/{recipe_id}/tasks", 201, json=body).json()

    def get(self, recipe_id: int) -> dict:
        return self.call("GET", f"/recipes/{recipe_id}", 200).json()


def without_count(version: dict) -> dict:
    """A version from the version list as the single-version route shows it (the list adds measurement_count)."""
    return {k: v for k, v in version.items() if k != "measurement_count"}


@pytest.fixture
def api(client, maker) -> RecipeApi:
    """Recipe helpers acting as a Maker."""
    return RecipeApi(client, maker)


def judge(value: float, limits: dict) -> str:
    """pass within the warning limits, warning within the tolerance limits, else fail (absent = the next one out)."""
    ltl, utl = limits.get("ltl"), limits.get("utl")
    lwl = limits.get("lwl") if limits.get("lwl") is not None else ltl
    uwl = limits.get("uwl") if limits.get("uwl") is not None else utl
    if (lwl is None or value >= lwl) and (uwl is None or value <= uwl):
        return "pass"
    if (ltl is None or value >= ltl) and (utl is None or value <= utl):
        return "warning"
    return "fail"


def measure(client, operator, subtask: dict, version_id: int, value: float, serial: str = "SN-1") -> dict:
    """Record one measurement of a subtask through POST /api/measurements/batch; returns the stored measurement."""
    item = {"subtask_id": subtask["id"], "version_id": version_id, "value": value, "serial_number": serial}
    res = client.post("/api/measurements/batch", json={"measurements": [item]}, headers=operator.headers)
    assert res.status_code == 200, res.text
    return res.json()[0]


def measurement_rows(app, measurement_ids: list[int]) -> list[dict]:
    """Stored measurements, each with the limits of the subtask it points at."""
    from tiemeasureflow.kit.db import unit_of_work
    from tiemeasureflow.models import Measurement, Subtask, Task

    rows = []
    with unit_of_work(app.state.sessionmaker, write=False) as session:
        for measurement_id in measurement_ids:
            row = session.get(Measurement, measurement_id)
            subtask = session.get(Subtask, row.subtask_id)
            task = session.get(Task, subtask.task_id)
            rows.append({"version_id": row.version_id, "subtask_version_id": task.version_id, "value": row.value,
                         "pass_fail": row.pass_fail, "characteristic_id": row.characteristic_id,
                         "subtask_characteristic_id": subtask.characteristic_id,
                         "limits": {k: getattr(subtask, k) for k in ("ltl", "lwl", "nominal", "uwl", "utl")}})
    return rows


@pytest.fixture
def record_measurement(client, operator):
    """measure(subtask, version_id, value) as a MeasurementTec."""
    return lambda subtask, version_id, value, serial="SN-1": measure(client, operator, subtask, version_id, value,
                                                                     serial)
