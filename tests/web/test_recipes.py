"""The maker's screens: recipes, tasks, drawings, balloons, characteristics, versions."""

from __future__ import annotations

import re

import pytest

from .helpers import assign, drawing_png, make_recipe


@pytest.fixture
def maker_web(signed_in, maker):
    return signed_in(maker)


def recipe_id_from(response) -> int:
    return int(re.search(r"/recipes/(\d+)$", response.headers["Location"]).group(1))


def test_create_recipe_task_and_characteristics(maker_web, client, maker):
    created = maker_web.post("/recipes/new", {"code": "FLANGE-2", "name": "Flange", "change_notes": "first issue"})
    assert created.status_code == 302
    rid = recipe_id_from(created)
    task = maker_web.post(f"/recipes/{rid}/tasks", {"title": "Front", "directive": "Use the caliper"})
    tid = int(re.search(r"/tasks/(\d+)$", task.headers["Location"]).group(1))
    added = maker_web.post(f"/recipes/{rid}/tasks/{tid}/subtasks", {
        "marker_number": "1", "description": "Bore", "measurement_type": "diameter", "unit": "mm",
        "nominal": "20,0", "ltl": "19.9", "lwl": "19.95", "uwl": "20.05", "utl": "20.1"})
    assert added.status_code == 302
    stored = client.get(f"/api/recipes/{rid}", headers=maker.headers).json()
    sub = stored["current_version"]["tasks"][0]["subtasks"][0]
    assert (sub["nominal"], sub["ltl"], sub["utl"], sub["measurement_type"]) == (20.0, 19.9, 20.1, "diameter")
    page = maker_web.get(f"/recipes/{rid}/tasks/{tid}").get_data(as_text=True)
    assert "Bore" in page and 'data-error-for="sub-new"' in page


def test_limits_out_of_order_are_refused_readably(maker_web, client, maker):
    recipe = make_recipe(client, maker.headers, code="R-LIM", drawing=False)
    task = recipe["current_version"]["tasks"][0]
    response = maker_web.post(f"/recipes/{recipe['id']}/tasks/{task['id']}/subtasks", {
        "marker_number": "9", "measurement_type": "length", "unit": "mm", "nominal": "10", "utl": "9"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "banner error" in page and "ltl &lt;= lwl &lt;= nominal" in page
    bad = maker_web.post(f"/recipes/{recipe['id']}/tasks/{task['id']}/subtasks", {
        "marker_number": "9", "measurement_type": "length", "unit": "mm", "nominal": "ten"}, follow_redirects=True)
    assert "nominal" in bad.get_data(as_text=True)


def test_upload_drawing_and_place_balloons(maker_web, client, maker):
    recipe = make_recipe(client, maker.headers, code="R-DRAW", drawing=False)
    rid, task = recipe["id"], recipe["current_version"]["tasks"][0]
    uploaded = maker_web.post(f"/recipes/{rid}/tasks/{task['id']}/drawing",
                              {"drawing": (__import__("io").BytesIO(drawing_png()), "shaft.png")},
                              content_type="multipart/form-data")
    assert uploaded.status_code == 302
    page = maker_web.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert 'id="balloon-editor"' in page
    saved = maker_web.post_json(f"/recipes/{rid}/tasks/{task['id']}/balloons",
                                {"annotations": [{"marker_number": 1, "x": 0.25, "y": 0.5}]})
    assert saved.status_code == 200 and saved.json["ok"]
    stored = client.get(f"/api/recipes/{rid}", headers=maker.headers).json()["current_version"]["tasks"][0]
    assert stored["annotations_json"] == [{"marker_number": 1, "x": 0.25, "y": 0.5}]
    image = maker_web.get(f"/files/{stored['file_path']}")
    assert image.status_code == 200 and image.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_reorder_tasks(maker_web, client, maker):
    recipe = make_recipe(client, maker.headers, code="R-ORD", tasks=3, per_task=1, drawing=False)
    ids = [t["id"] for t in recipe["current_version"]["tasks"]]
    response = maker_web.post_json(f"/recipes/{recipe['id']}/reorder", {"task_ids": ids[::-1]})
    assert response.status_code == 200
    titles = [t["title"] for t in client.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()["current_version"]["tasks"]]
    assert titles == ["Side 3", "Side 2", "Side 1"]


def test_measured_version_warns_with_count_then_creates_new_version(maker_web, client, maker, admin, operator):
    recipe = make_recipe(client, maker.headers, code="R-FROZEN", per_task=2, drawing=False)
    assign(client, admin.headers, recipe["id"])
    run = client.post("/api/runs", json={"recipe_id": recipe["id"], "serial_number": "S1", "station_code": "ST-DEFAULT"},
                      headers=operator.headers).json()
    for sub in recipe["current_version"]["tasks"][0]["subtasks"]:
        client.post(f"/api/runs/{run['id']}/measurements", json={"subtask_id": sub["id"], "value": 10.0},
                    headers=operator.headers)
    page = maker_web.get(f"/recipes/{recipe['id']}").get_data(as_text=True)
    assert 'data-testid="version-warning"' in page and "2" in page
    # Without confirmation the edit is not applied: a page asks, naming the count.
    asked = maker_web.post(f"/recipes/{recipe['id']}", {"name": "Renamed", "change_notes": "new name"})
    assert asked.status_code == 409 and "2" in asked.get_data(as_text=True)
    assert client.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()["name"] == "Shaft R-FROZEN"
    done = maker_web.post(f"/recipes/{recipe['id']}", {"name": "Renamed", "change_notes": "new name",
                                                        "confirm_new_version": "1"})
    assert done.status_code == 302
    history = maker_web.get(f"/recipes/{recipe['id']}/versions").get_data(as_text=True)
    assert 'data-testid="count-1">2' in history and 'data-testid="count-2">0' in history and "new name" in history


def test_recipe_list_search(maker_web, client, maker):
    make_recipe(client, maker.headers, code="ALPHA-1", drawing=False)
    make_recipe(client, maker.headers, code="BETA-2", drawing=False)
    page = maker_web.get("/recipes/?search=alpha").get_data(as_text=True)
    assert "ALPHA-1" in page and "BETA-2" not in page


def test_duplicate_code_shows_api_message(maker_web, client, maker):
    make_recipe(client, maker.headers, code="DUP-1", drawing=False)
    response = maker_web.post("/recipes/new", {"code": "DUP-1", "name": "Again"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "banner error" in page and 'value="Again"' in page


def test_class_reaction_plan_and_checks_are_edited_with_the_characteristic(maker_web, client, maker):
    recipe = make_recipe(client, maker.headers, code="R-REACT", drawing=False)
    task = recipe["current_version"]["tasks"][0]
    sub = task["subtasks"][0]
    form = {"marker_number": str(sub["marker_number"]), "description": "Bore", "measurement_type": sub["measurement_type"],
            "unit": sub["unit"], "nominal": "10", "ltl": "9.5", "utl": "10.5", "characteristic_class": "critical",
            "cpk_target": "1,67", "gross_error_factor": "3", "reaction_plan": "Stop the lathe and call the setter."}
    saved = maker_web.post(f"/recipes/{recipe['id']}/tasks/{task['id']}/subtasks/{sub['id']}", form)
    assert saved.status_code == 302
    stored_sub = client.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()[
        "current_version"]["tasks"][0]["subtasks"][0]
    assert stored_sub["characteristic_class"] == "critical" and stored_sub["cpk_target"] == 1.67
    assert stored_sub["gross_error_factor"] == 3 and stored_sub["reaction_plan"] == "Stop the lathe and call the setter."
    page = maker_web.get(f"/recipes/{recipe['id']}/tasks/{task['id']}").get_data(as_text=True)
    assert "Stop the lathe and call the setter." in page and 'value="critical" selected' in page
    bad = maker_web.post(f"/recipes/{recipe['id']}/tasks/{task['id']}/subtasks/{sub['id']}",
                         {**form, "cpk_target": "high"}, follow_redirects=True)
    assert "cpk_target" in bad.get_data(as_text=True)
