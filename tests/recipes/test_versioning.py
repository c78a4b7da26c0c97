"""Copy-on-write: edits apply in place until a version has measurements, then land in a copy."""

from __future__ import annotations

import pytest

from .conftest import SUBTASK, without_count
from .test_recipes import audit_events
from .test_tasks import stored_file

BALLOONS = [{"marker_number": 1, "x": 0.1, "y": 0.2}, {"marker_number": 2, "x": 0.3, "y": 0.4}]


@pytest.fixture
def measured(api, app, record_measurement) -> dict:
    """A recipe with two tasks (drawing, balloons) whose version 1 has a measurement."""
    drawing = stored_file(app, "1/1/drawing.png", "image/png")
    recipe = api.recipe(change_notes="Initial")
    first = api.task(recipe["id"], title="A", file_id=drawing, annotations_json=BALLOONS,
                     subtasks=[SUBTASK, {**SUBTASK, "marker_number": 2, "nominal": 20.0, "utl": 20.5, "uwl": 20.2,
                                         "lwl": 19.8, "ltl": 19.5}])
    second = api.task(recipe["id"], title="B")
    record_measurement(first["subtasks"][0], recipe["current_version"]["id"], 10.1)
    return {"recipe": recipe, "first": first, "second": second, "v1": api.call(
        "GET", f"/recipes/{recipe['id']}/versions/1", 200).json()}


EDITS = {
    "recipe name": lambda api, m: api.call("PUT", f"/recipes/{m['recipe']['id']}", 200, json={"name": "New"}),
    "add task": lambda api, m: api.call("POST", f"/recipes/{m['recipe']['id']}/tasks", 201, json={"title": "C"}),
    "update task": lambda api, m: api.call("PUT", f"/tasks/{m['first']['id']}", 200, json={"title": "A2"}),
    "delete task": lambda api, m: api.call("DELETE", f"/tasks/{m['second']['id']}", 204),
    "reorder": lambda api, m: api.call("PUT", "/tasks/reorder", 200,
                                       json={"task_ids": [m["second"]["id"], m["first"]["id"]]}),
    "add subtask": lambda api, m: api.call("POST", f"/tasks/{m['first']['id']}/subtasks", 201,
                                           json={**SUBTASK, "marker_number": 3}),
    "update subtask": lambda api, m: api.call("PUT", f"/subtasks/{m['first']['subtasks'][0]['id']}", 200,
                                              json={"utl": 10.6}),
    "delete subtask": lambda api, m: api.call("DELETE", f"/subtasks/{m['first']['subtasks'][1]['id']}", 204),
}


def task_ids(version: dict) -> set[int]:
    return {t["id"] for t in version["tasks"]}


def subtask_ids(version: dict) -> set[int]:
    return {s["id"] for t in version["tasks"] for s in t["subtasks"]}


def characteristics(version: dict) -> dict[int, tuple]:
    return {s["characteristic_id"]: (t["title"], s["marker_number"]) for t in version["tasks"] for s in t["subtasks"]}


@pytest.mark.parametrize("edit", list(EDITS))
def test_edit_of_a_measured_version_lands_in_a_copy(api, measured, edit):
    recipe_id = measured["recipe"]["id"]
    EDITS[edit](api, measured)
    versions = [without_count(v) for v in api.call("GET", f"/recipes/{recipe_id}/versions", 200).json()]
    assert [v["version_number"] for v in versions] == [1, 2]
    assert versions[0] == measured["v1"], "a measured version never changes"
    current = api.get(recipe_id)["current_version"]
    assert current == versions[1] and current["id"] != measured["v1"]["id"]
    assert current["change_notes"] and current["change_notes"] != "Initial"
    assert not task_ids(measured["v1"]) & task_ids(current)
    assert not subtask_ids(measured["v1"]) & subtask_ids(current)
    copied_a = next(t for t in current["tasks"] if t["title"] in ("A", "A2"))
    assert (copied_a["file_id"], copied_a["file_path"], copied_a["annotations_json"]) == \
        (measured["first"]["file_id"], "1/1/drawing.png", BALLOONS)
    kept = characteristics(measured["v1"]).keys() & characteristics(current).keys()
    assert kept and all(characteristics(current)[c][1] == characteristics(measured["v1"])[c][1] for c in kept)


def test_response_returns_the_objects_of_the_new_version(api, measured):
    first = measured["first"]
    task = api.call("PUT", f"/tasks/{first['id']}", 200, json={"directive": "Clamp gently"}).json()
    current = api.get(measured["recipe"]["id"])["current_version"]
    assert task["version_id"] == current["id"] and task["id"] != first["id"] and task["directive"] == "Clamp gently"
    assert [s["characteristic_id"] for s in task["subtasks"]] == [s["characteristic_id"] for s in first["subtasks"]]
    subtask = api.call("PUT", f"/subtasks/{task['subtasks'][0]['id']}", 200, json={"nominal": 10.05}).json()
    assert subtask["task_id"] == task["id"], "the draft is edited in place: same ids"
    assert len(api.call("GET", f"/recipes/{measured['recipe']['id']}/versions", 200).json()) == 2


def test_edits_aimed_at_an_old_version_are_409(api, measured):
    first = measured["first"]
    api.call("PUT", f"/tasks/{first['id']}", 200, json={"title": "A2"})
    old_task, old_subtask = first["id"], first["subtasks"][0]["id"]
    task_409 = {"detail": "Task belongs to non-current version"}
    parent_409 = {"detail": "Parent task belongs to non-current version"}
    for method, path, body, detail in (
        ("PUT", f"/tasks/{old_task}", {"title": "x"}, task_409),
        ("DELETE", f"/tasks/{old_task}", None, task_409),
        ("POST", f"/tasks/{old_task}/subtasks", {**SUBTASK, "marker_number": 9}, task_409),
        ("PUT", f"/subtasks/{old_subtask}", {"nominal": 10.1}, parent_409),
        ("DELETE", f"/subtasks/{old_subtask}", None, parent_409),
        ("PUT", "/tasks/reorder", {"task_ids": [measured["second"]["id"], old_task]}, None),
    ):
        res = api.call(method, path, json=body)
        assert res.status_code == 409, (method, path)
        assert detail is None or res.json() == detail
    assert api.call("GET", f"/recipes/{measured['recipe']['id']}/versions/1", 200).json() == measured["v1"]


def test_payload_notes_name_the_copy_otherwise_a_generated_note(api, measured, record_measurement):
    recipe_id = measured["recipe"]["id"]
    body = api.call("PUT", f"/recipes/{recipe_id}", 200, json={"name": "Shaft B", "change_notes": "Renamed"}).json()
    assert body["current_version"]["version_number"] == 2 and body["current_version"]["change_notes"] == "Renamed"
    subtask = body["current_version"]["tasks"][0]["subtasks"][0]
    record_measurement(subtask, body["current_version"]["id"], 10.0)
    api.call("PUT", f"/subtasks/{subtask['id']}", 200, json={"utl": 10.7})
    third = api.get(recipe_id)["current_version"]
    assert third["version_number"] == 3 and "utl" in third["change_notes"]


def test_unchanged_values_create_no_version(api, measured):
    first = measured["first"]
    api.call("PUT", f"/tasks/{first['id']}", 200, json={"title": "A"})
    api.call("PUT", f"/subtasks/{first['subtasks'][0]['id']}", 200, json={"nominal": 10.0, "unit": "mm"})
    api.call("PUT", f"/recipes/{measured['recipe']['id']}", 200, json={"name": "Shaft"})
    api.call("PUT", "/tasks/reorder", 200, json={"task_ids": [first["id"], measured["second"]["id"]]})
    assert len(api.call("GET", f"/recipes/{measured['recipe']['id']}/versions", 200).json()) == 1


def test_notes_alone_cannot_change_a_measured_version(api, measured):
    res = api.call("PUT", f"/recipes/{measured['recipe']['id']}", json={"change_notes": "Rewritten"})
    assert res.status_code == 409
    assert api.call("GET", f"/recipes/{measured['recipe']['id']}/versions/1", 200).json() == measured["v1"]


def test_bad_edits_of_a_measured_version_change_nothing(api, measured):
    first = measured["first"]
    assert api.call("PUT", f"/subtasks/{first['subtasks'][0]['id']}", json={"lwl": 30.0}).status_code == 422
    assert api.call("POST", f"/tasks/{first['id']}/subtasks", json=SUBTASK).status_code == 409
    assert api.call("PUT", f"/tasks/{first['id']}", json={"file_id": 999}).status_code == 422
    assert len(api.call("GET", f"/recipes/{measured['recipe']['id']}/versions", 200).json()) == 1


def test_copies_are_audited(api, app, measured):
    api.call("DELETE", f"/tasks/{measured['second']['id']}", 204)
    created = [e for e in audit_events(app, "recipe_version") if e.action == "create"]
    assert [e.new_values["version_number"] for e in created] == [1, 2]
    assert created[1].new_values["copied_from_version"] == 1 and created[1].new_values["tasks"] == 2
    assert created[1].new_values["change_notes"] == "Task 'B' deleted"


def test_edits_of_an_inactive_recipe_are_409(api, measured):
    api.call("DELETE", f"/recipes/{measured['recipe']['id']}", 200)
    for edit in EDITS.values():
        with pytest.raises(AssertionError, match="409"):
            edit(api, measured)
