"""Recipes through HTTP: create, list, search, read, look up by code, update, deactivate, versions."""

from __future__ import annotations

from sqlalchemy import select

from tiemeasureflow.kit.db import unit_of_work
from tiemeasureflow.models import AuditEvent


def audit_events(app, entity_type: str) -> list[AuditEvent]:
    with unit_of_work(app.state.sessionmaker, write=False) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.entity_type == entity_type)
                                    .order_by(AuditEvent.id)))


def test_create_returns_recipe_with_first_version(api, maker):
    body = api.recipe(code="RECIPE_001", name="Measurement Recipe 1", description="Optional description",
                      change_notes="Initial version")
    assert body["code"] == "RECIPE_001" and body["name"] == "Measurement Recipe 1"
    assert body["description"] == "Optional description" and body["active"] is True
    assert body["created_by"] == maker.id and body["created_at"].endswith("Z")
    version = body["current_version"]
    assert version["version_number"] == 1 and version["change_notes"] == "Initial version"
    assert version["recipe_id"] == body["id"] and version["created_by"] == maker.id and version["tasks"] == []
    assert set(version) == {"id", "recipe_id", "version_number", "change_notes", "created_at", "created_by", "tasks",
                            "status", "change_summary", "signature"}


def test_create_is_audited_with_its_version(api, app):
    recipe = api.recipe()
    recipes, versions = audit_events(app, "recipe"), audit_events(app, "recipe_version")
    assert [(e.action, e.entity_id) for e in recipes] == [("create", str(recipe["id"]))]
    assert recipes[0].new_values["code"] == "R-001"
    assert [(e.action, e.new_values["version_number"]) for e in versions] == [("create", 1)]


def test_duplicate_code_is_409_even_when_inactive(api):
    first = api.recipe(code="DUP")
    assert api.call("POST", "/recipes", json={"code": "DUP", "name": "Other"}).status_code == 409
    api.call("DELETE", f"/recipes/{first['id']}", 200)
    res = api.call("POST", "/recipes", json={"code": "DUP", "name": "Other"})
    assert res.status_code == 409 and res.json() == {"detail": "Recipe code already exists"}


def test_create_refuses_bad_payloads(api):
    for body in ({"code": "A", "name": "x", "extra": 1}, {"code": "", "name": "x"}, {"code": "has space", "name": "x"},
                 {"code": "A"}, {"code": 5, "name": "x"}, {"code": "A", "name": "nul\x00"}):
        assert api.call("POST", "/recipes", json=body).status_code == 422, body
    assert api.call("GET", "/recipes", 200).json()["total"] == 0


def test_list_pages_active_recipes_by_code(api):
    ids = [api.recipe(code=f"C{i:02d}", name=f"Part {i}")["id"] for i in range(5)]
    api.call("DELETE", f"/recipes/{ids[0]}", 200)
    page = api.call("GET", "/recipes", 200, params={"page": 2, "per_page": 2}).json()
    assert [r["code"] for r in page["items"]] == ["C03", "C04"]
    assert (page["total"], page["page"], page["per_page"], page["pages"]) == (4, 2, 2, 2)
    assert page["items"][0]["current_version"]["version_number"] == 1
    default = api.call("GET", "/recipes", 200).json()
    assert default["per_page"] == 20 and len(default["items"]) == 4
    for params in ({"per_page": 101}, {"per_page": 0}, {"page": 0}, {"search": "x" * 201}, {"sort": "name"}):
        assert api.call("GET", "/recipes", params=params).status_code == 422, params


def test_search_matches_code_or_name_in_any_case(api):
    api.recipe(code="SHAFT-10", name="Drive shaft")
    api.recipe(code="FLANGE-2", name="Pump flange")
    api.recipe(code="X_100", name="Odd 100% one")

    def codes(search):
        return [r["code"] for r in api.call("GET", "/recipes", 200, params={"search": search}).json()["items"]]

    assert codes("shaft") == ["SHAFT-10"]
    assert codes("PUMP") == ["FLANGE-2"]
    assert codes("-") == ["FLANGE-2", "SHAFT-10"]
    assert codes("_1") == ["X_100"] and codes("%") == ["X_100"] and codes("0%") == ["X_100"]
    assert codes("nothing") == [] and codes("shaft\x00") == []


def test_detail_and_404(api):
    recipe = api.recipe()
    assert api.get(recipe["id"]) == recipe
    for path in ("/recipes/999", "/recipes/99999999999999999999"):
        res = api.call("GET", path)
        assert res.status_code == 404 and res.json() == {"detail": "Recipe not found"}


def test_lookup_by_code_finds_active_recipes_only(api, client, operator):
    recipe = api.recipe(code="BARCODE-7")
    res = client.get("/api/recipes/code/BARCODE-7", headers=operator.headers)
    assert res.status_code == 200 and res.json()["id"] == recipe["id"]
    for code in ("NOPE", "BARCODE-7%0A", "BAR%00CODE", "a b", "x" * 101):
        assert client.get(f"/api/recipes/code/{code}", headers=operator.headers).status_code == 404, code
    api.call("DELETE", f"/recipes/{recipe['id']}", 200)
    assert client.get("/api/recipes/code/BARCODE-7", headers=operator.headers).status_code == 404


def test_update_in_place_while_unmeasured(api, app):
    recipe = api.recipe(change_notes="Initial")
    body = api.call("PUT", f"/recipes/{recipe['id']}", 200, json={"name": "Renamed", "description": "New"}).json()
    assert body["name"] == "Renamed" and body["description"] == "New"
    assert body["current_version"]["id"] == recipe["current_version"]["id"]
    assert body["current_version"]["change_notes"] == "Initial"
    updates = [e for e in audit_events(app, "recipe") if e.action == "update"]
    assert updates[0].old_values["name"] == "Shaft" and updates[0].new_values["name"] == "Renamed"


def test_change_notes_alone_replace_a_drafts_notes(api):
    recipe = api.recipe(change_notes="Initial")
    body = api.call("PUT", f"/recipes/{recipe['id']}", 200, json={"change_notes": "First release"}).json()
    assert body["current_version"]["change_notes"] == "First release"
    assert len(api.call("GET", f"/recipes/{recipe['id']}/versions", 200).json()) == 1


def test_update_errors(api):
    recipe = api.recipe()
    assert api.call("PUT", "/recipes/999", json={"name": "x"}).status_code == 404
    assert api.call("PUT", f"/recipes/{recipe['id']}", json={"name": None}).status_code == 422
    assert api.call("PUT", f"/recipes/{recipe['id']}", json={"code": "NEW"}).status_code == 422
    api.call("DELETE", f"/recipes/{recipe['id']}", 200)
    res = api.call("PUT", f"/recipes/{recipe['id']}", json={"name": "x"})
    assert res.status_code == 409 and res.json() == {"detail": "Recipe is inactive"}


def test_soft_delete_keeps_the_recipe_readable(api, app):
    recipe = api.recipe()
    body = api.call("DELETE", f"/recipes/{recipe['id']}", 200).json()
    assert body["active"] is False and body["current_version"]["id"] == recipe["current_version"]["id"]
    assert api.get(recipe["id"])["active"] is False
    assert api.call("GET", "/recipes", 200).json()["total"] == 0
    assert api.call("DELETE", f"/recipes/{recipe['id']}").status_code == 409
    assert api.call("DELETE", "/recipes/999").status_code == 404
    assert [e.action for e in audit_events(app, "recipe")] == ["create", "deactivate"]


def test_versions_list_and_detail(api, record_measurement):
    recipe = api.recipe(change_notes="Initial")
    task = api.task(recipe["id"])
    record_measurement(task["subtasks"][0], recipe["current_version"]["id"], 10.0)
    api.call("PUT", f"/recipes/{recipe['id']}", 200, json={"name": "Renamed", "change_notes": "Renamed"})
    versions = api.call("GET", f"/recipes/{recipe['id']}/versions", 200).json()
    assert [(v["version_number"], v["change_notes"]) for v in versions] == [(1, "Initial"), (2, "Renamed")]
    assert [t["title"] for t in versions[0]["tasks"]] == [t["title"] for t in versions[1]["tasks"]] == ["Turning"]
    one = api.call("GET", f"/recipes/{recipe['id']}/versions/1", 200).json()
    assert one == {k: v for k, v in versions[0].items() if k != "measurement_count"}
    assert api.call("GET", f"/recipes/{recipe['id']}/versions/3").json() == {"detail": "Version not found"}
    assert api.call("GET", "/recipes/999/versions").status_code == 404
    assert api.call("GET", "/recipes/999/versions/1").status_code == 404


def test_measurement_count(api, record_measurement):
    recipe = api.recipe()
    task = api.task(recipe["id"])
    version_id = recipe["current_version"]["id"]
    path = f"/recipes/{recipe['id']}/versions/1/measurement-count"
    assert api.call("GET", path, 200).json() == {"recipe_id": recipe["id"], "version_number": 1, "measurement_count": 0}
    for value in (10.0, 10.3, 11.0):
        record_measurement(task["subtasks"][0], version_id, value)
    assert api.call("GET", path, 200).json()["measurement_count"] == 3
    assert api.call("GET", f"/recipes/{recipe['id']}/versions/2/measurement-count").status_code == 404
    assert api.call("GET", "/recipes/999/versions/1/measurement-count").status_code == 404


def test_version_list_counts_each_versions_measurements(api, record_measurement):
    recipe = api.recipe()
    task = api.task(recipe["id"])
    for value in (10.0, 10.3):
        record_measurement(task["subtasks"][0], recipe["current_version"]["id"], value)
    api.call("PUT", f"/recipes/{recipe['id']}", 200, json={"name": "Renamed", "change_notes": "Renamed"})
    second = api.get(recipe["id"])["current_version"]
    record_measurement(second["tasks"][0]["subtasks"][0], second["id"], 10.1)
    api.call("POST", f"/recipes/{recipe['id']}/drafts", 201, json={})
    versions = api.call("GET", f"/recipes/{recipe['id']}/versions", 200).json()
    assert [(v["version_number"], v["measurement_count"]) for v in versions] == [(1, 2), (2, 1), (3, 0)]
    for version in versions:
        path = f"/recipes/{recipe['id']}/versions/{version['version_number']}/measurement-count"
        assert api.call("GET", path, 200).json()["measurement_count"] == version["measurement_count"]
