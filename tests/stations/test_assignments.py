"""Recipe assignments, the station's own recipe list, and what deleting a station keeps."""

from __future__ import annotations

from .helpers import create_recipe, deactivate_recipe, measure


def new_station(client, admin, code="ST-LINEA-A", active=True) -> dict:
    res = client.post("/api/stations", headers=admin.headers, json={"code": code, "name": code, "active": active})
    assert res.status_code == 201, res.text
    return res.json()


def assign(client, admin, station_id, recipe_id):
    return client.post(f"/api/stations/{station_id}/recipes", headers=admin.headers, json={"recipe_id": recipe_id})


def test_assign_recipe_as_in_the_reference(client, admin, maker):
    station = new_station(client, admin)
    recipe = create_recipe(client, maker, "DEMO-001")
    res = assign(client, admin, station["id"], recipe["id"])
    assert res.status_code == 201
    body = res.json()
    assert set(body) == {"id", "station_id", "recipe_id", "assigned_by", "assigned_at"}
    assert (body["station_id"], body["recipe_id"], body["assigned_by"]) == (station["id"], recipe["id"], admin.id)
    assert body["assigned_at"].endswith("Z")
    listed = client.get(f"/api/stations/{station['id']}/recipes", headers=admin.headers)
    assert listed.status_code == 200
    assert listed.json() == [{"id": recipe["id"], "code": "DEMO-001", "name": "Recipe DEMO-001", "active": True}]
    events = client.get("/api/audit", headers=admin.headers,
                        params={"entity_type": "station", "action": "assign_recipe"}).json()["items"]
    assert events[0]["entity_id"] == str(station["id"]) and events[0]["new_values"]["recipe_id"] == recipe["id"]


def test_station_list_carries_each_stations_assigned_recipes(client, admin, maker):
    first, second = new_station(client, admin, "ST-A"), new_station(client, admin, "ST-B")
    later, earlier = create_recipe(client, maker, "R-B"), create_recipe(client, maker, "R-A")
    for station, recipe in ((first, later), (first, earlier), (second, earlier)):
        assert assign(client, admin, station["id"], recipe["id"]).status_code == 201
    deactivate_recipe(client, maker, later["id"])
    listed = client.get("/api/stations", headers=admin.headers).json()
    assert {s["code"]: [r["code"] for r in s["assigned_recipes"]] for s in listed} == {
        "ST-A": ["R-A", "R-B"], "ST-B": ["R-A"], "ST-DEFAULT": []}
    for station in listed:
        one = client.get(f"/api/stations/{station['id']}/recipes", headers=admin.headers).json()
        assert station["assigned_recipes"] == one
    only_active = client.get("/api/stations", headers=admin.headers, params={"active_only": "true"}).json()
    assert [s["assigned_recipes"] for s in only_active if s["code"] == "ST-A"] == [listed[0]["assigned_recipes"]]


def test_duplicate_assignment_is_409(client, admin, maker):
    station = new_station(client, admin)
    recipe = create_recipe(client, maker, "DEMO-001")
    assert assign(client, admin, station["id"], recipe["id"]).status_code == 201
    res = assign(client, admin, station["id"], recipe["id"])
    assert res.status_code == 409 and res.json() == {"detail": "Recipe already assigned to this station"}


def test_assign_to_unknown_station_or_recipe_is_404(client, admin, maker):
    station = new_station(client, admin)
    recipe = create_recipe(client, maker, "DEMO-001")
    res = assign(client, admin, 999, recipe["id"])
    assert res.status_code == 404 and res.json() == {"detail": "Station not found"}
    res = assign(client, admin, station["id"], 999)
    assert res.status_code == 404 and res.json() == {"detail": "Recipe not found"}
    assert client.get(f"/api/stations/{station['id']}/recipes", headers=admin.headers).json() == []


def test_invalid_assignment_payload_is_400(client, admin):
    station = new_station(client, admin)
    for payload in ({}, {"recipe_id": "1"}, {"recipe_id": 0}, {"recipe_id": 1.5}, {"recipe_id": True},
                    {"recipe_id": 1, "extra": True}):
        res = client.post(f"/api/stations/{station['id']}/recipes", headers=admin.headers, json=payload)
        assert res.status_code == 400, payload


def test_station_recipes_of_unknown_station_is_404(client, admin):
    res = client.get("/api/stations/999/recipes", headers=admin.headers)
    assert res.status_code == 404 and res.json() == {"detail": "Station not found"}


def test_unassign(client, admin, maker):
    station = new_station(client, admin)
    recipe = create_recipe(client, maker, "DEMO-001")
    assign(client, admin, station["id"], recipe["id"])
    res = client.delete(f"/api/stations/{station['id']}/recipes/{recipe['id']}", headers=admin.headers)
    assert res.status_code == 204 and res.content == b""
    assert client.get(f"/api/stations/{station['id']}/recipes", headers=admin.headers).json() == []
    again = client.delete(f"/api/stations/{station['id']}/recipes/{recipe['id']}", headers=admin.headers)
    assert again.status_code == 404 and again.json() == {"detail": "Recipe is not assigned to this station"}
    events = client.get("/api/audit", headers=admin.headers,
                        params={"entity_type": "station", "action": "unassign_recipe"}).json()["items"]
    assert len(events) == 1 and events[0]["old_values"]["recipe_id"] == recipe["id"]


def test_unassign_unknown_station_or_recipe_is_404(client, admin, maker):
    station = new_station(client, admin)
    recipe = create_recipe(client, maker, "DEMO-001")
    assert client.delete(f"/api/stations/999/recipes/{recipe['id']}", headers=admin.headers).json() == {
        "detail": "Station not found"}
    assert client.delete(f"/api/stations/{station['id']}/recipes/999", headers=admin.headers).json() == {
        "detail": "Recipe not found"}


def test_station_sees_only_its_active_recipes(client, admin, maker, operator):
    station = new_station(client, admin)
    other = new_station(client, admin, code="ST-OTHER")
    shown = create_recipe(client, maker, "SHOWN")
    retired = create_recipe(client, maker, "RETIRED")
    elsewhere = create_recipe(client, maker, "ELSEWHERE")
    for recipe in (shown, retired):
        assign(client, admin, station["id"], recipe["id"])
    assign(client, admin, other["id"], elsewhere["id"])
    deactivate_recipe(client, maker, retired["id"])
    res = client.get("/api/stations/by-code/ST-LINEA-A/recipes", headers=operator.headers)
    assert res.status_code == 200
    assert res.json() == [{"id": shown["id"], "code": "SHOWN", "name": "Recipe SHOWN", "active": True}]
    # The admin view still lists the retired recipe, flagged inactive.
    admin_view = client.get(f"/api/stations/{station['id']}/recipes", headers=admin.headers).json()
    assert [(r["code"], r["active"]) for r in admin_view] == [("RETIRED", False), ("SHOWN", True)]


def test_unknown_and_inactive_stations_look_the_same(client, admin, maker, operator):
    station = new_station(client, admin, code="ST-OFF", active=False)
    assign(client, admin, station["id"], create_recipe(client, maker, "DEMO-001")["id"])
    inactive = client.get("/api/stations/by-code/ST-OFF/recipes", headers=operator.headers)
    unknown = client.get("/api/stations/by-code/ST-NOWHERE/recipes", headers=operator.headers)
    odd = client.get("/api/stations/by-code/bad%00code/recipes", headers=operator.headers)
    assert inactive.status_code == unknown.status_code == odd.status_code == 404
    assert inactive.json() == unknown.json() == odd.json() == {"detail": "Station not found"}


def test_station_recipes_need_a_key(client):
    assert client.get("/api/stations/by-code/ST-DEFAULT/recipes").status_code == 401


def test_delete_cascades_assignments_but_keeps_runs_and_measurements(client, admin, maker, operator, metrologist):
    station = new_station(client, admin)
    recipe = create_recipe(client, maker, "DEMO-001", subtask=True)
    assign(client, admin, station["id"], recipe["id"])
    run_id, measurement_id = measure(client, operator, recipe, station_code="ST-LINEA-A")
    assert client.delete(f"/api/stations/{station['id']}", headers=admin.headers).status_code == 204
    run = client.get(f"/api/runs/{run_id}", headers=metrologist.headers)
    assert run.status_code == 200 and run.json()["station_id"] is None
    measurement = client.get(f"/api/measurements/{measurement_id}", headers=metrologist.headers)
    assert measurement.status_code == 200 and measurement.json()["value"] == 10.0
    # No assignment row survives: a new station with the same code starts empty.
    again = new_station(client, admin)
    assert client.get(f"/api/stations/{again['id']}/recipes", headers=admin.headers).json() == []
    [event] = client.get("/api/audit", headers=admin.headers,
                         params={"entity_type": "station", "action": "delete"}).json()["items"]
    assert event["old_values"]["assigned_recipe_ids"] == [recipe["id"]]
    # The recipe itself is untouched.
    assert client.get(f"/api/recipes/{recipe['id']}", headers=admin.headers).status_code == 200
