"""Recipes and measurements made through the API, for the stations and files tests."""

from __future__ import annotations


def create_recipe(client, maker, code: str, *, file_id: int | None = None, subtask: bool = False) -> dict:
    """A recipe made through POST /api/recipes, optionally with one task (drawing, characteristic)."""
    res = client.post("/api/recipes", headers=maker.headers, json={"code": code, "name": f"Recipe {code}"})
    assert res.status_code == 201, res.text
    recipe = res.json()
    if file_id is not None or subtask:
        task = {"title": "Drawing", "file_id": file_id}
        if subtask:
            task["subtasks"] = [{"marker_number": 1, "measurement_type": "length", "nominal": 10.0,
                                 "ltl": 9.9, "utl": 10.1}]
        res = client.post(f"/api/recipes/{recipe['id']}/tasks", headers=maker.headers, json=task)
        assert res.status_code == 201, res.text
        recipe = client.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()
    return recipe


def deactivate_recipe(client, maker, recipe_id: int) -> None:
    """Soft-delete a recipe through the API."""
    res = client.delete(f"/api/recipes/{recipe_id}", headers=maker.headers)
    assert res.status_code in (200, 204), res.text


def measure(client, operator, recipe: dict, station_code: str = "ST-DEFAULT") -> tuple[str, int]:
    """Measure the first characteristic of the recipe's current version once, through the runs API.

    Returns (run id, measurement id).
    """
    version = recipe["current_version"]
    subtask = version["tasks"][0]["subtasks"][0]
    run = client.post("/api/runs", headers=operator.headers, json={
        "version_id": version["id"], "serial_number": "SN-0001", "station_code": station_code})
    assert run.status_code == 201, run.text
    value = client.post(f"/api/runs/{run.json()['id']}/measurements", headers=operator.headers,
                        json={"subtask_id": subtask["id"], "value": 10.0})
    assert value.status_code == 201, value.text
    return run.json()["id"], value.json()["id"]
