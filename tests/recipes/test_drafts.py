"""Drafts beside production, release with an electronic signature, labels per version, version diff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from .conftest import SUBTASK
from .test_tasks import stored_file

BEARING = {**SUBTASK, "description": "Bearing seat diameter", "nominal": 25.0, "utl": 25.05, "uwl": 25.02,
           "lwl": 24.98, "ltl": 24.95}


def labels(version: dict) -> list[tuple[str, int, str]]:
    return [(t["title"], s["marker_number"], s["label"]) for t in version["tasks"] for s in t["subtasks"]]


@pytest.fixture
def plan(api) -> dict:
    """Two tasks whose balloons both start at 1."""
    recipe = api.recipe(code="R-DRAFT", change_notes="Initial")
    first = api.task(recipe["id"], title="Turning", subtasks=[BEARING, {**SUBTASK, "marker_number": 2}])
    second = api.task(recipe["id"], title="Milling", subtasks=[{**SUBTASK, "description": "Keyway width"}])
    return {"recipe": recipe, "first": first, "second": second}


def release(api, recipe_id: int, number: int, password: str, expected: int = 200, **extra):
    body = {"change_notes": "Tighter bearing seat after customer complaint", "password": password,
            "meaning": "Approved", **extra}
    return api.call("POST", f"/recipes/{recipe_id}/versions/{number}/release", expected, json=body)


def test_labels_are_unique_within_a_version_while_markers_restart_per_task(api, plan):
    version = api.get(plan["recipe"]["id"])["current_version"]
    assert labels(version) == [("Turning", 1, "1"), ("Turning", 2, "2"), ("Milling", 1, "3")]
    api.call("PUT", "/tasks/reorder", 200, json={"task_ids": [plan["second"]["id"], plan["first"]["id"]]})
    version = api.get(plan["recipe"]["id"])["current_version"]
    assert labels(version) == [("Milling", 1, "1"), ("Turning", 1, "2"), ("Turning", 2, "3")]
    added = api.call("POST", f"/tasks/{plan['second']['id']}/subtasks", 201, json={**SUBTASK, "marker_number": 2})
    assert added.json()["label"] == "2"


def test_draft_is_prepared_beside_production_and_released_with_a_signature(api, plan, maker, client, operator,
                                                                           record_measurement):
    recipe_id = plan["recipe"]["id"]
    v1 = api.get(recipe_id)["current_version"]
    draft = api.call("POST", f"/recipes/{recipe_id}/drafts", 201).json()
    assert draft["status"] == "draft" and draft["version_number"] == 2 and draft["signature"] is None
    api.call("POST", f"/recipes/{recipe_id}/drafts", 409)
    listed = api.call("GET", f"/recipes/{recipe_id}/versions", 200).json()
    assert [(v["version_number"], v["status"]) for v in listed] == [(1, "released"), (2, "draft")]

    # Edits land in the draft, whether they name the draft's ids or the current version's.
    bearing_v1 = v1["tasks"][0]["subtasks"][0]
    api.call("PUT", f"/subtasks/{bearing_v1['id']}", 200, json={"utl": 25.04})
    draft_task = draft["tasks"][1]
    api.call("PUT", f"/tasks/{draft_task['id']}", 200, json={"title": "Keyway milling"})
    api.call("PUT", f"/recipes/{recipe_id}", 200, json={"name": "Shaft B"})
    current = api.get(recipe_id)
    assert current["name"] == "Shaft" and current["current_version"] == v1, "production sees no draft edit"

    # Operators keep measuring version 1; the draft cannot be measured.
    record_measurement(bearing_v1, v1["id"], 25.01)
    draft = api.call("GET", f"/recipes/{recipe_id}/versions/2", 200).json()
    item = {"subtask_id": draft["tasks"][0]["subtasks"][0]["id"], "version_id": draft["id"], "value": 25.0,
            "serial_number": "SN-9"}
    refused = client.post("/api/measurements/batch", json={"measurements": [item]}, headers=operator.headers)
    assert refused.status_code == 400

    summary = draft["change_summary"].splitlines()
    assert "Bearing seat diameter: UTL 25.050 -> 25.040" in summary
    assert "Task 'Milling': title 'Milling' -> 'Keyway milling'" in summary
    assert "Plan name: 'Shaft' -> 'Shaft B'" in summary
    assert "subtask" not in draft["change_summary"].lower()

    release(api, recipe_id, 2, "wrong password", 422)
    before = datetime.now(UTC)
    released = release(api, recipe_id, 2, maker.password).json()
    assert released["status"] == "released"
    assert released["change_notes"] == "Tighter bearing seat after customer complaint"
    signature = released["signature"]
    assert signature["name"] == "Maker" or signature["user_id"] == maker.id
    assert signature["meaning"] == "Approved" and signature["user_id"] == maker.id
    signed_at = datetime.fromisoformat(signature["signed_at"].replace("Z", "+00:00"))
    assert before - timedelta(seconds=5) <= signed_at <= datetime.now(UTC) + timedelta(seconds=5)
    current = api.get(recipe_id)
    assert current["current_version"]["version_number"] == 2 and current["name"] == "Shaft B"

    # A released version never changes: the next edit lands in version 3, even without measurements.
    release(api, recipe_id, 2, maker.password, 409)
    api.call("PUT", f"/subtasks/{released['tasks'][0]['subtasks'][0]['id']}", 200, json={"utl": 25.03})
    assert api.call("GET", f"/recipes/{recipe_id}/versions/2", 200).json() == released
    assert api.get(recipe_id)["current_version"]["version_number"] == 3


def test_release_needs_a_meaning_and_a_person(api, plan, maker, client, factory):
    recipe_id = plan["recipe"]["id"]
    api.call("POST", f"/recipes/{recipe_id}/drafts", 201)
    release(api, recipe_id, 2, maker.password, 422, meaning="Whatever")
    release(api, recipe_id, 1, maker.password, 409)
    release(api, recipe_id, 7, maker.password, 404)
    operator = factory.user("MeasurementTec", username="op-release")
    body = {"change_notes": "x", "password": operator.password, "meaning": "Approved"}
    res = client.post(f"/api/recipes/{recipe_id}/versions/2/release", json=body, headers=operator.headers)
    assert res.status_code == 403


def test_without_a_draft_routes_behave_as_before(api, plan):
    recipe_id = plan["recipe"]["id"]
    api.call("PUT", f"/subtasks/{plan['first']['subtasks'][0]['id']}", 200, json={"utl": 25.06})
    versions = api.call("GET", f"/recipes/{recipe_id}/versions", 200).json()
    assert [(v["version_number"], v["status"]) for v in versions] == [(1, "released")]


def test_diff_lists_characteristics_limits_tasks_drawings_and_balloons(api, app, plan, maker):
    recipe_id = plan["recipe"]["id"]
    drawing = stored_file(app, "1/1/drawing.png", "image/png")
    api.call("PUT", f"/tasks/{plan['first']['id']}", 200,
             json={"file_id": drawing, "annotations_json": [{"marker_number": 1, "x": 0.1, "y": 0.2}]})
    draft = api.call("POST", f"/recipes/{recipe_id}/drafts", 201).json()
    turning, milling = draft["tasks"]
    api.call("PUT", f"/subtasks/{turning['subtasks'][0]['id']}", 200, json={"utl": 25.04, "ltl": 24.96})
    api.call("DELETE", f"/subtasks/{turning['subtasks'][1]['id']}", 204)
    api.call("POST", f"/tasks/{milling['id']}/subtasks", 201, json={**SUBTASK, "marker_number": 2,
                                                                    "description": "Keyway depth"})
    api.call("PUT", f"/tasks/{turning['id']}", 200,
             json={"annotations_json": [{"marker_number": 1, "x": 0.5, "y": 0.6}]})
    api.call("POST", f"/recipes/{recipe_id}/tasks", 201, json={"title": "Grinding"})
    diff = api.call("GET", f"/recipes/{recipe_id}/versions/1/diff/2", 200).json()
    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    changed = diff["characteristics"]["changed"]
    assert [c["description"] for c in changed] == ["Bearing seat diameter"]
    assert {(c["field"], c["old"], c["new"]) for c in changed[0]["changes"]} == {("utl", 25.05, 25.04),
                                                                                 ("ltl", 24.95, 24.96)}
    assert [c["description"] for c in diff["characteristics"]["added"]] == ["Keyway depth"]
    assert diff["characteristics"]["added"][0]["utl"] == 10.5
    assert [(c["description"], c["task"]) for c in diff["characteristics"]["removed"]] == [("Bore", "Turning")]
    assert diff["tasks"]["added"] == ["Grinding"] and diff["tasks"]["removed"] == []
    moved = diff["tasks"]["changed"][0]["balloons"]["moved"]
    assert moved == [{"marker_number": 1, "old": {"x": 0.1, "y": 0.2, "page": 1}, "new": {"x": 0.5, "y": 0.6, "page": 1}}]
    assert "Bearing seat diameter: UTL 25.050 -> 25.040; LTL 24.950 -> 24.960" in diff["summary"] or \
        "Bearing seat diameter: LTL 24.950 -> 24.960; UTL 25.050 -> 25.040" in diff["summary"]
    reverse = api.call("GET", f"/recipes/{recipe_id}/versions/2/diff/1", 200).json()
    assert reverse["tasks"]["removed"] == ["Grinding"]
    api.call("GET", f"/recipes/{recipe_id}/versions/1/diff/9", 404)
    # A drawing swap shows as such.
    other = stored_file(app, "1/1/other.png", "image/png")
    api.call("PUT", f"/tasks/{turning['id']}", 200, json={"file_id": other})
    diff = api.call("GET", f"/recipes/{recipe_id}/versions/1/diff/2", 200).json()
    assert diff["tasks"]["changed"][0]["drawing"] == {"old": "1/1/drawing.png", "new": "1/1/other.png"}


def test_labels_reach_spc_selectors_pareto_and_reports(api, plan, client, operator, metrologist, record_measurement):
    recipe_id = plan["recipe"]["id"]
    version = api.get(recipe_id)["current_version"]
    bearing, bore = version["tasks"][0]["subtasks"]
    keyway = version["tasks"][1]["subtasks"][0]
    assert (bearing["marker_number"], keyway["marker_number"]) == (1, 1)
    record_measurement(bearing, version["id"], 26.0)
    record_measurement(keyway, version["id"], 12.0)
    record_measurement(bore, version["id"], 10.0)
    selectors = client.get("/api/statistics/subtasks", params={"recipe_id": recipe_id}, headers=metrologist.headers)
    assert selectors.status_code == 200, selectors.text
    selectors = selectors.json()
    assert [(s["marker_number"], s["label"]) for s in selectors] == [(1, "1"), (2, "2"), (1, "3")]
    pareto = client.get("/api/statistics/pareto", params={"recipe_id": recipe_id}, headers=metrologist.headers).json()
    assert sorted(i["label"] for i in pareto["items"]) == ["1", "3"], "two balloons 1, two bars"
    capability = client.get("/api/statistics/capability", params={"recipe_id": recipe_id, "subtask_id": keyway["id"]},
                            headers=metrologist.headers).json()
    assert capability["spec"]["label"] == "3"


def test_signature_is_printed_on_reports(api, plan, maker, client, metrologist, record_measurement):
    from tests.reports.conftest import read_pdf

    recipe_id = plan["recipe"]["id"]
    api.call("POST", f"/recipes/{recipe_id}/drafts", 201)
    released = release(api, recipe_id, 2, maker.password).json()
    record_measurement(released["tasks"][0]["subtasks"][0], released["id"], 25.01)
    params = {"recipe_id": recipe_id, "language": "en"}
    report = read_pdf(client.get("/api/reports/measurements", params=params, headers=metrologist.headers))
    assert "Signed release" in report.text and "Approved" in report.text
    assert released["signature"]["name"] in report.text
