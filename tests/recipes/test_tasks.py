"""Tasks and subtasks through HTTP: ordering, reorder, markers, limits, units, balloons, files."""

from __future__ import annotations

import pytest

from tiemeasureflow.kit.db import unit_of_work
from tiemeasureflow.models import StoredFile

from .conftest import SUBTASK


def stored_file(app, path: str, content_type: str) -> int:
    """A file row as the upload route records it (the bytes do not matter here)."""
    with unit_of_work(app.state.sessionmaker) as session:
        row = StoredFile(path=path, original_name=path.rsplit("/", 1)[-1], content_type=content_type, size=1,
                         sha256="0" * 64)
        session.add(row)
        session.flush()
        return row.id


def sub(marker: int, **overrides) -> dict:
    return {**SUBTASK, "marker_number": marker, **overrides}


def test_create_task_with_subtasks_in_marker_order(api):
    recipe = api.recipe()
    task = api.task(recipe["id"], title="Task Title", directive="Measure diameter at point A",
                    description="Detailed instructions", file_type="image",
                    subtasks=[sub(3), sub(1, measurement_type="length", unit="mm"), sub(2, unit="µm")])
    assert task["version_id"] == recipe["current_version"]["id"] and task["order_index"] == 0
    assert task["directive"] == "Measure diameter at point A" and task["file_type"] == "image"
    assert [s["marker_number"] for s in task["subtasks"]] == [1, 2, 3]
    assert all(s["task_id"] == task["id"] for s in task["subtasks"])
    assert len({s["characteristic_id"] for s in task["subtasks"]}) == 3
    second = api.task(recipe["id"], title="Second")
    assert second["order_index"] == 1
    listed = api.call("GET", f"/recipes/{recipe['id']}/tasks", 200).json()
    assert [t["title"] for t in listed] == ["Task Title", "Second"] and listed[0] == task
    assert api.get(recipe["id"])["current_version"]["tasks"] == listed


def test_task_errors(api):
    recipe = api.recipe()
    assert api.call("POST", "/recipes/999/tasks", json={"title": "x"}).status_code == 404
    assert api.call("GET", "/recipes/999/tasks").status_code == 404
    res = api.call("POST", f"/recipes/{recipe['id']}/tasks", json={"title": "x", "subtasks": [sub(1), sub(1)]})
    assert res.status_code == 409
    for body in ({}, {"title": ""}, {"title": "x", "order_index": 3}, {"title": "x", "file_type": "video"}):
        assert api.call("POST", f"/recipes/{recipe['id']}/tasks", json=body).status_code == 422, body
    api.call("DELETE", f"/recipes/{recipe['id']}", 200)
    res = api.call("POST", f"/recipes/{recipe['id']}/tasks", json={"title": "x"})
    assert res.status_code == 409 and res.json() == {"detail": "Recipe is inactive"}
    assert api.call("GET", f"/recipes/{recipe['id']}", 200).json()["current_version"]["tasks"] == []


def test_update_and_delete_task(api):
    recipe = api.recipe()
    first, second, third = (api.task(recipe["id"], title=t) for t in ("A", "B", "C"))
    body = api.call("PUT", f"/tasks/{second['id']}", 200,
                    json={"title": "B2", "directive": "Updated directive", "description": None}).json()
    assert (body["id"], body["title"], body["directive"]) == (second["id"], "B2", "Updated directive")
    assert api.call("PUT", f"/tasks/{second['id']}", json={"title": None}).status_code == 422
    assert api.call("PUT", "/tasks/999", json={"title": "x"}).status_code == 404
    assert api.call("DELETE", f"/tasks/{first['id']}", 204).content == b""
    listed = api.call("GET", f"/recipes/{recipe['id']}/tasks", 200).json()
    assert [(t["title"], t["order_index"]) for t in listed] == [("B2", 0), ("C", 1)]
    assert api.call("DELETE", f"/tasks/{first['id']}").status_code == 404
    assert api.call("GET", f"/recipes/{recipe['id']}/tasks", 200).json()[1]["id"] == third["id"]


def test_reorder(api):
    recipe = api.recipe()
    a, b, c = (api.task(recipe["id"], title=t)["id"] for t in ("A", "B", "C"))
    body = api.call("PUT", "/tasks/reorder", 200, json={"task_ids": [c, a, b]}).json()
    assert [(t["id"], t["order_index"]) for t in body] == [(c, 0), (a, 1), (b, 2)]
    assert [t["id"] for t in api.call("GET", f"/recipes/{recipe['id']}/tasks", 200).json()] == [c, a, b]


def test_reorder_errors(api, record_measurement):
    recipe = api.recipe()
    a, b = (api.task(recipe["id"], title=t) for t in ("A", "B"))
    other = api.recipe(code="R-002")
    x = api.task(other["id"], title="X")
    for ids in ([], [a["id"]], [a["id"], a["id"], b["id"]], [a["id"], b["id"], x["id"]]):
        assert api.call("PUT", "/tasks/reorder", json={"task_ids": ids}).status_code == 400, ids
    res = api.call("PUT", "/tasks/reorder", json={"task_ids": [a["id"], 999, 2**70]})
    assert res.status_code == 404
    record_measurement(a["subtasks"][0], recipe["current_version"]["id"], 10.0)
    api.call("PUT", "/tasks/reorder", 200, json={"task_ids": [b["id"], a["id"]]})
    res = api.call("PUT", "/tasks/reorder", json={"task_ids": [a["id"], b["id"]]})
    assert res.status_code == 409 and res.json() == {"detail": "Tasks belong to non-current version"}
    assert api.call("PUT", "/tasks/reorder", json={"task_ids": "1,2"}).status_code == 422
    assert api.call("PUT", "/tasks/reorder", json={"task_ids": [1.5]}).status_code == 422
    assert api.call("DELETE", "/tasks/reorder").status_code == 405


def test_subtask_crud(api):
    recipe = api.recipe()
    task = api.task(recipe["id"])
    body = api.call("POST", f"/tasks/{task['id']}/subtasks", 201,
                    json=sub(2, nominal=15.0, utl=15.3, uwl=15.1, lwl=14.9, ltl=14.7)).json()
    assert body["task_id"] == task["id"] and body["marker_number"] == 2 and body["nominal"] == 15.0
    assert body["characteristic_id"] != task["subtasks"][0]["characteristic_id"]
    updated = api.call("PUT", f"/subtasks/{body['id']}", 200, json={"description": "Moved", "nominal": 15.05}).json()
    assert (updated["id"], updated["description"], updated["nominal"]) == (body["id"], "Moved", 15.05)
    cleared = api.call("PUT", f"/subtasks/{body['id']}", 200, json={"uwl": None, "lwl": None}).json()
    assert cleared["uwl"] is None and cleared["lwl"] is None and cleared["utl"] == 15.3
    api.call("DELETE", f"/subtasks/{body['id']}", 204)
    assert [s["marker_number"] for s in api.call("GET", f"/recipes/{recipe['id']}/tasks", 200).json()[0]["subtasks"]] \
        == [1]
    assert api.call("DELETE", f"/subtasks/{body['id']}").status_code == 404
    assert api.call("PUT", "/subtasks/999", json={"nominal": 1.0}).status_code == 404
    assert api.call("POST", "/tasks/999/subtasks", json=sub(5)).status_code == 404


def test_marker_number_unique_within_a_task(api):
    recipe = api.recipe()
    task = api.task(recipe["id"], subtasks=[sub(1), sub(2)])
    other = api.task(recipe["id"], title="Other", subtasks=[])
    res = api.call("POST", f"/tasks/{task['id']}/subtasks", json=sub(2))
    assert res.status_code == 409 and res.json() == {"detail": "marker_number already exists in this task"}
    assert api.call("PUT", f"/subtasks/{task['subtasks'][0]['id']}", json={"marker_number": 2}).status_code == 409
    api.call("POST", f"/tasks/{other['id']}/subtasks", 201, json=sub(2))
    # JSON does not tell 3 from 3.0; booleans and strings are still refused.
    assert api.call("POST", f"/tasks/{other['id']}/subtasks", 201, json=sub(3.0)).json()["marker_number"] == 3
    for marker in (True, "4", 4.5):
        assert api.call("POST", f"/tasks/{other['id']}/subtasks", json=sub(marker)).status_code == 422, marker


@pytest.mark.parametrize("limits", [
    {"ltl": 9.9, "lwl": 9.8}, {"lwl": 10.1}, {"uwl": 9.9}, {"uwl": 10.6}, {"ltl": 11.0, "lwl": None, "uwl": None},
])
def test_limits_out_of_order_are_422(api, limits):
    recipe = api.recipe()
    task = api.task(recipe["id"])
    res = api.call("POST", f"/tasks/{task['id']}/subtasks", json=sub(2, **limits))
    assert res.status_code == 422
    res = api.call("PUT", f"/subtasks/{task['subtasks'][0]['id']}", json=limits)
    assert res.status_code == 422 and "ltl <= lwl <= nominal <= uwl <= utl" in str(res.json()["detail"])
    assert api.call("GET", f"/recipes/{recipe['id']}/tasks", 200).json()[0]["subtasks"] == task["subtasks"]


@pytest.mark.parametrize("limits", [
    {"nominal": None, "ltl": None, "lwl": None, "uwl": None, "utl": 0.02},
    {"nominal": 10.0, "ltl": 9.5, "lwl": None, "uwl": None, "utl": None},
    {"nominal": 10.0, "ltl": 10.0, "lwl": 10.0, "uwl": 10.0, "utl": 10.0},
    {"nominal": None, "ltl": None, "lwl": None, "uwl": None, "utl": None},
])
def test_one_sided_and_missing_limits_are_accepted(api, limits):
    recipe = api.recipe()
    task = api.task(recipe["id"], subtasks=[sub(1, measurement_type="flatness", unit="mm", **limits)])
    assert {k: task["subtasks"][0][k] for k in limits} == limits


def test_limits_are_strict_numbers(api):
    recipe = api.recipe()
    task = api.task(recipe["id"])
    subtask_id = task["subtasks"][0]["id"]
    for body in ({"nominal": "10.1"}, {"nominal": False}, {"utl": "NaN"}):
        assert api.call("PUT", f"/subtasks/{subtask_id}", json=body).status_code == 422, body
    res = api.call("PUT", f"/subtasks/{subtask_id}", content=b'{"utl": NaN}',
                   headers={"Content-Type": "application/json"})
    assert res.status_code == 422
    assert api.call("PUT", f"/subtasks/{subtask_id}", 200, json={"nominal": 10}).json()["nominal"] == 10.0


def test_units_follow_the_measurement_type(api):
    recipe = api.recipe()
    task = api.task(recipe["id"], subtasks=[])
    ok = [("angle", "°", "°"), ("angle", "deg", "°"), ("roughness_ra", "um", "µm"), ("roughness_ra", "\u03bcm", "µm"),
          ("diameter", "in", "in"), ("position", "µm", "µm"), ("radius", None, "mm")]
    for marker, (kind, unit, stored) in enumerate(ok, start=1):
        payload = sub(marker, measurement_type=kind, nominal=None, utl=None, uwl=None, lwl=None, ltl=None)
        payload.pop("unit")
        if unit is not None:
            payload["unit"] = unit
        body = api.call("POST", f"/tasks/{task['id']}/subtasks", 201, json=payload).json()
        assert body["unit"] == stored, (kind, unit)
    for kind, unit in (("angle", "mm"), ("length", "°"), ("length", "furlong"), ("weight", "kg"), ("length", "")):
        payload = sub(99, measurement_type=kind, unit=unit)
        assert api.call("POST", f"/tasks/{task['id']}/subtasks", json=payload).status_code == 422, (kind, unit)
    first = api.call("GET", f"/recipes/{recipe['id']}/tasks", 200).json()[0]["subtasks"][0]
    assert first["measurement_type"] == "angle"
    assert api.call("PUT", f"/subtasks/{first['id']}", json={"measurement_type": "length"}).status_code == 422
    changed = api.call("PUT", f"/subtasks/{first['id']}", 200, json={"measurement_type": "length", "unit": "mm"})
    assert changed.json()["unit"] == "mm"


def test_balloons_are_validated(api):
    recipe = api.recipe()
    balloons = [{"marker_number": 1, "x": 0.25, "y": 0.5}, {"marker_number": 2, "x": 0, "y": 1}]
    task = api.task(recipe["id"], annotations_json=balloons)
    assert task["annotations_json"] == [{"marker_number": 1, "x": 0.25, "y": 0.5},
                                        {"marker_number": 2, "x": 0.0, "y": 1.0}]
    bad = ([{"marker_number": 0, "x": 0.1, "y": 0.1}], [{"marker_number": 1, "x": 1.5, "y": 0.1}],
           [{"marker_number": 1, "x": 0.1}], [{"marker_number": 1, "x": 0.1, "y": 0.1, "label": "A"}],
           [{"marker_number": 1, "x": 0.1, "y": 0.1}, {"marker_number": 1, "x": 0.2, "y": 0.2}],
           {"marker_number": 1, "x": 0.1, "y": 0.1}, "[]")
    for payload in bad:
        res = api.call("PUT", f"/tasks/{task['id']}", json={"annotations_json": payload})
        assert res.status_code == 422, payload
    cleared = api.call("PUT", f"/tasks/{task['id']}", 200, json={"annotations_json": None}).json()
    assert cleared["annotations_json"] is None


def test_tasks_reference_uploaded_files(api, app):
    drawing = stored_file(app, "1/1/drawing.png", "image/png")
    sheet = stored_file(app, "general/sheet.pdf", "application/pdf")
    recipe = api.recipe()
    task = api.task(recipe["id"], file_id=drawing)
    assert (task["file_id"], task["file_path"], task["file_type"]) == (drawing, "1/1/drawing.png", "image")
    by_path = api.call("PUT", f"/tasks/{task['id']}", 200, json={"file_path": "general/sheet.pdf"}).json()
    assert (by_path["file_id"], by_path["file_path"], by_path["file_type"]) == (sheet, "general/sheet.pdf", "pdf")
    for body in ({"file_id": 999}, {"file_path": "nope.png"}, {"file_id": drawing, "file_path": "general/sheet.pdf"},
                 {"file_id": drawing, "file_type": "pdf"}, {"file_type": "image"}):
        assert api.call("PUT", f"/tasks/{task['id']}", json=body).status_code == 422, body
    assert api.call("POST", f"/recipes/{recipe['id']}/tasks", json={"title": "x", "file_id": 999}).status_code == 422
    cleared = api.call("PUT", f"/tasks/{task['id']}", 200, json={"file_id": None}).json()
    assert cleared["file_id"] is None and cleared["file_path"] is None and cleared["file_type"] == "pdf"


def test_task_and_subtask_changes_are_audited(api, app):
    from .test_recipes import audit_events

    recipe = api.recipe()
    task = api.task(recipe["id"])
    api.call("PUT", f"/tasks/{task['id']}", 200, json={"title": "Renamed"})
    subtask = api.call("POST", f"/tasks/{task['id']}/subtasks", 201, json=sub(2)).json()
    api.call("PUT", f"/subtasks/{subtask['id']}", 200, json={"nominal": 10.1})
    api.call("DELETE", f"/subtasks/{subtask['id']}", 204)
    api.call("PUT", "/tasks/reorder", 200, json={"task_ids": [task["id"]]})
    api.call("DELETE", f"/tasks/{task['id']}", 204)
    assert [e.action for e in audit_events(app, "task")] == ["create", "update", "delete"]
    assert [e.action for e in audit_events(app, "subtask")] == ["create", "update", "delete"]
    task_events = audit_events(app, "task")
    assert task_events[0].new_values["subtasks"][0]["marker_number"] == 1
    assert task_events[1].old_values["title"] == "Turning" and task_events[1].new_values["title"] == "Renamed"
    assert audit_events(app, "subtask")[1].new_values["nominal"] == 10.1
