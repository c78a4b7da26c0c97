"""A ballooned plan with an ISO 286 fit, a symmetric and a one-sided tolerance, a gauge, and helpers."""

from __future__ import annotations

import pytest

# Ø25 h7: ISO 286-2 gives es = 0, ei = -21 µm for sizes over 18 up to 30 mm.
BEARING = {"marker_number": 1, "description": "Bearing seat", "measurement_type": "diameter", "unit": "mm",
           "tolerance_text": "25 h7", "characteristic_class": "critical"}
LENGTH = {"marker_number": 2, "description": "Shoulder length", "measurement_type": "length", "unit": "mm",
          "nominal": 12.0, "ltl": 11.95, "utl": 12.05, "characteristic_class": "major"}
FLATNESS = {"marker_number": 1, "description": "Face flatness", "measurement_type": "flatness", "unit": "mm",
            "tolerance_text": "max 0.02"}


class FaiApi:
    """Calls as one user, asserting the expected status."""

    def __init__(self, client, user):
        self.client, self.user = client, user

    def call(self, method: str, path: str, expected: int | None = None, **kwargs):
        res = self.client.request(method, f"/api{path}", headers=self.user.headers, **kwargs)
        if expected is not None:
            assert res.status_code == expected, (method, path, res.status_code, res.text)
        return res


@pytest.fixture
def engineer(client, factory):
    """A quality engineer (Metrologist and Maker)."""
    return FaiApi(client, factory.user("Metrologist", "Maker", username="quality"))


@pytest.fixture
def shaft(engineer) -> dict:
    """Recipe SH-100 version 1: Turning (balloons 1, 2) and Grinding (balloon 3), and gauge CAL-07."""
    recipe = engineer.call("POST", "/recipes", 201, json={"code": "SH-100", "name": "Drive shaft"}).json()
    engineer.call("POST", f"/recipes/{recipe['id']}/tasks", 201, json={"title": "Turning", "subtasks": [BEARING, LENGTH]})
    engineer.call("POST", f"/recipes/{recipe['id']}/tasks", 201, json={"title": "Grinding", "subtasks": [FLATNESS]})
    engineer.call("POST", "/gauges", 201, json={"code": "CAL-07", "name": "Digital caliper 150", "kind": "caliper"})
    return engineer.call("GET", f"/recipes/{recipe['id']}", 200).json()


def subtasks(recipe: dict) -> list[dict]:
    """The current version's subtasks in label order."""
    found = [s for t in recipe["current_version"]["tasks"] for s in t["subtasks"]]
    return sorted(found, key=lambda s: int(s["label"]))


def measure(client, operator, recipe: dict, values: list[float], serial: str, gauge: str | None = None) -> None:
    """Values of every characteristic of the current version for one serial (an implicit run)."""
    version_id = recipe["current_version"]["id"]
    items = [{"subtask_id": s["id"], "version_id": version_id, "value": v, "serial_number": serial,
              **({"gauge_code": gauge} if gauge else {})} for s, v in zip(subtasks(recipe), values, strict=False)]
    res = client.post("/api/measurements/batch", json={"measurements": items}, headers=operator.headers)
    assert res.status_code == 200, res.text
