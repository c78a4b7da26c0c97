"""Recipes and measurements built through the HTTP API, then read back through /api/statistics."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

import pytest

_codes = count(1)


@dataclass
class Characteristic:
    """A recipe with one characteristic, as the API created it."""

    recipe_id: int
    version_id: int
    subtask_id: int
    task_id: int


class Shop:
    """Drives the API as a maker (plans), an operator (measurements) and a metrologist (statistics)."""

    __test__ = False

    def __init__(self, client, maker, operator, metrologist):
        self.client = client
        self.maker, self.operator, self.metrologist = maker, operator, metrologist
        self._serials = count(1)

    def characteristic(self, nominal=None, ltl=None, utl=None, lwl=None, uwl=None, unit="mm") -> Characteristic:
        """POST /api/recipes and one task holding one subtask with these limits."""
        code = f"SPC-{next(_codes):04d}"
        recipe = self.client.post("/api/recipes", json={"code": code, "name": f"Recipe {code}"},
                                  headers=self.maker.headers)
        assert recipe.status_code == 201, recipe.text
        limits = {k: v for k, v in dict(nominal=nominal, ltl=ltl, utl=utl, lwl=lwl, uwl=uwl).items() if v is not None}
        task = self.client.post(
            f"/api/recipes/{recipe.json()['id']}/tasks", headers=self.maker.headers,
            json={"title": "Turning", "subtasks": [{"marker_number": 1, "description": "Shaft diameter",
                                                    "measurement_type": "diameter", "unit": unit, **limits}]},
        )
        assert task.status_code == 201, task.text
        body = task.json()
        return Characteristic(recipe.json()["id"], body["version_id"], body["subtasks"][0]["id"], body["id"])

    def measure(self, c: Characteristic, values, lot: str | None = "LOT-1", serial_prefix: str = "SN",
                version_id: int | None = None, subtask_id: int | None = None) -> list[dict]:
        """POST /api/measurements/batch: one value per part (serial), in the order given."""
        stored = []
        items = [{"subtask_id": subtask_id or c.subtask_id, "version_id": version_id or c.version_id,
                  "value": float(v), "serial_number": f"{serial_prefix}-{next(self._serials):06d}",
                  **({"lot_number": lot} if lot else {})} for v in values]
        for start in range(0, len(items), 1000):
            response = self.client.post("/api/measurements/batch", json={"measurements": items[start:start + 1000]},
                                        headers=self.operator.headers)
            assert response.status_code == 200, response.text
            stored.extend(response.json())
        return stored

    def new_version(self, c: Characteristic, **limits) -> Characteristic:
        """PUT the subtask's limits after measuring: the recipe copies itself into a new current version."""
        response = self.client.put(f"/api/subtasks/{c.subtask_id}", json=limits, headers=self.maker.headers)
        assert response.status_code == 200, response.text
        version = self.client.get(f"/api/recipes/{c.recipe_id}", headers=self.maker.headers).json()["current_version"]
        assert version["id"] != c.version_id
        task = version["tasks"][0]
        return Characteristic(c.recipe_id, version["id"], task["subtasks"][0]["id"], task["id"])

    def correct(self, measurement_id: int, value: float) -> dict:
        """POST a correction of a measurement."""
        response = self.client.post(f"/api/measurements/{measurement_id}/corrections",
                                    json={"value": value, "reason": "typo"}, headers=self.operator.headers)
        assert response.status_code == 201, response.text
        return response.json()

    def station(self, admin, code: str) -> int:
        """POST /api/stations as an admin; returns its id."""
        response = self.client.post("/api/stations", json={"code": code, "name": f"Station {code}"},
                                    headers=admin.headers)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def run(self, c: Characteristic, station_code: str, serial: str, values, finish: bool = True,
            operator=None) -> dict:
        """A run at a station: start, one value per entry (the latest counts), finish."""
        headers = (operator or self.operator).headers
        run = self.client.post("/api/runs", json={"recipe_id": c.recipe_id, "serial_number": serial,
                                                  "station_code": station_code}, headers=headers)
        assert run.status_code == 201, run.text
        run_id = run.json()["id"]
        for index, value in enumerate(values):
            body = {"subtask_id": c.subtask_id, "value": float(value)} | ({"reason": "Measured again"} if index else {})
            stored = self.client.post(f"/api/runs/{run_id}/measurements", json=body, headers=headers)
            assert stored.status_code == 201, stored.text
        if not finish:
            return run.json()
        finished = self.client.post(f"/api/runs/{run_id}/finish", headers=headers)
        assert finished.status_code == 200, finished.text
        return finished.json()

    def get(self, path: str, **params):
        """GET /api/statistics/<path> as the metrologist; returns the response."""
        return self.client.get(f"/api/statistics/{path}", params=params, headers=self.metrologist.headers)

    def ok(self, path: str, **params) -> dict:
        """GET that must answer 200; returns the JSON body."""
        response = self.get(path, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def stats(self, path: str, c: Characteristic, **params) -> dict:
        """GET a characteristic's statistics (recipe_id and subtask_id filled in)."""
        return self.ok(path, recipe_id=c.recipe_id, subtask_id=c.subtask_id, **params)


@pytest.fixture
def shop(client, maker, operator, metrologist) -> Shop:
    """The API driven by a maker, an operator and a metrologist."""
    return Shop(client, maker, operator, metrologist)
