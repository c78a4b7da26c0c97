"""Station management: the reference's examples and every error code it lists."""

from __future__ import annotations

import pytest

LINEA_A = {
    "code": "ST-LINEA-A",
    "name": "Linea A — Tornitura alberi",
    "location": "Reparto 2 — Cella 3",
    "notes": "Provisioned 2026-04-26 by Adriano",
    "active": True,
}


def create(client, admin, **overrides) -> dict:
    res = client.post("/api/stations", headers=admin.headers, json={**LINEA_A, **overrides})
    assert res.status_code == 201, res.text
    return res.json()


def audit(client, admin, **filters) -> list[dict]:
    res = client.get("/api/audit", headers=admin.headers, params={"entity_type": "station", **filters})
    assert res.status_code == 200
    return res.json()["items"]


def test_default_station_exists_after_migrations(client, admin):
    stations = client.get("/api/stations", headers=admin.headers).json()
    assert [s["code"] for s in stations] == ["ST-DEFAULT"]
    default = stations[0]
    assert default["name"] == "Default Station" and default["location"] == "Initial seed - change me"
    assert default["active"] is True and default["notes"] is None


def test_create_station_as_in_the_reference(client, admin):
    res = client.post("/api/stations", headers=admin.headers, json=LINEA_A)
    assert res.status_code == 201
    body = res.json()
    assert {k: body[k] for k in LINEA_A} == LINEA_A
    assert set(body) == {"id", "code", "name", "location", "notes", "active", "created_by", "created_at"}
    assert body["created_by"] == admin.id and body["created_at"].endswith("Z")
    assert client.get(f"/api/stations/{body['id']}", headers=admin.headers).json() == body
    [event] = audit(client, admin, action="create")
    assert event["entity_id"] == str(body["id"]) and event["new_values"]["code"] == "ST-LINEA-A"


def test_active_defaults_to_true_and_location_is_optional(client, admin):
    res = client.post("/api/stations", headers=admin.headers, json={"code": "ST-B", "name": "B"})
    body = res.json()
    assert res.status_code == 201 and body["active"] is True and body["location"] is None


@pytest.mark.parametrize("payload", [
    {"name": "No code"},
    {"code": "ST-X"},
    {"code": "", "name": "Empty code"},
    {"code": "C" * 101, "name": "Code too long"},
    {"code": "ST-X", "name": ""},
    {"code": "ST-X", "name": "N" * 256},
    {"code": "ST-X", "name": "Long location", "location": "L" * 256},
    {"code": "ST X", "name": "Space in code"},
    {"code": "ST/X", "name": "Slash in code"},
    {"code": "ST-X", "name": "Not a bool", "active": "true"},
    {"code": "ST-X", "name": "Unknown field", "colour": "red"},
    {"code": "ST-X", "name": "NUL \u0000 in name"},
    {"code": 12, "name": "Number as code"},
])
def test_invalid_create_payload_is_400_and_creates_nothing(client, admin, payload):
    res = client.post("/api/stations", headers=admin.headers, json=payload)
    assert res.status_code == 400
    assert res.json()["detail"].startswith("Invalid payload: ")
    assert len(client.get("/api/stations", headers=admin.headers).json()) == 1
    assert audit(client, admin) == []


def test_malformed_json_is_400(client, admin):
    res = client.post("/api/stations", headers={**admin.headers, "Content-Type": "application/json"}, content=b"{bad")
    assert res.status_code == 400 and res.json()["detail"].startswith("Invalid payload")


def test_code_at_the_length_limits_is_accepted(client, admin):
    assert create(client, admin, code="C" * 100, name="N" * 255, location="L" * 255)["code"] == "C" * 100
    assert create(client, admin, code="X", name="Y")["code"] == "X"


def test_duplicate_code_is_409(client, admin):
    create(client, admin)
    res = client.post("/api/stations", headers=admin.headers, json={**LINEA_A, "name": "Another"})
    assert res.status_code == 409 and res.json() == {"detail": "Station with that code already exists"}
    res = client.post("/api/stations", headers=admin.headers, json={"code": "ST-DEFAULT", "name": "Copy"})
    assert res.status_code == 409


def test_list_active_only(client, admin):
    active = create(client, admin)
    inactive = create(client, admin, code="ST-OLD", active=False)
    every = [s["code"] for s in client.get("/api/stations", headers=admin.headers).json()]
    assert every == ["ST-DEFAULT", "ST-LINEA-A", "ST-OLD"]
    only = client.get("/api/stations", headers=admin.headers, params={"active_only": "true"}).json()
    assert [s["id"] for s in only] == [1, active["id"]] and inactive["id"] not in [s["id"] for s in only]
    explicit = client.get("/api/stations", headers=admin.headers, params={"active_only": "false"}).json()
    assert len(explicit) == 3
    assert client.get("/api/stations", headers=admin.headers, params={"active_only": "maybe"}).status_code == 400


def test_get_unknown_station_is_404(client, admin):
    for station_id in (999, 0, -1, 2**40):
        res = client.get(f"/api/stations/{station_id}", headers=admin.headers)
        assert res.status_code == 404 and res.json() == {"detail": "Station not found"}
    assert client.get("/api/stations/abc", headers=admin.headers).status_code == 400


def test_update_as_in_the_reference(client, admin):
    station = create(client, admin)
    changes = {"name": "Linea A — riconfigurata", "location": "Reparto 2 — Cella 4",
               "notes": "Moved cell on 2026-05-12", "active": False}
    res = client.put(f"/api/stations/{station['id']}", headers=admin.headers, json=changes)
    assert res.status_code == 200
    assert res.json() == {**station, **changes}
    [event] = audit(client, admin, action="update")
    assert event["old_values"]["name"] == LINEA_A["name"] and event["new_values"]["active"] is False


def test_partial_update_keeps_other_fields_and_null_clears_optional_ones(client, admin):
    station = create(client, admin)
    res = client.put(f"/api/stations/{station['id']}", headers=admin.headers, json={"location": None})
    assert res.status_code == 200 and res.json() == {**station, "location": None}
    same = client.put(f"/api/stations/{station['id']}", headers=admin.headers, json={})
    assert same.status_code == 200 and same.json() == {**station, "location": None}
    assert len(audit(client, admin, action="update")) == 1  # the empty update changed nothing


@pytest.mark.parametrize("payload", [
    {"code": "ST-NEW"},
    {"code": "ST-LINEA-A", "name": "Same code, still refused"},
    {"name": None},
    {"active": None},
    {"name": ""},
    {"name": "N" * 256},
    {"active": 0},
    {"unknown": 1},
])
def test_invalid_update_is_400_and_changes_nothing(client, admin, payload):
    station = create(client, admin)
    res = client.put(f"/api/stations/{station['id']}", headers=admin.headers, json=payload)
    assert res.status_code == 400 and res.json()["detail"].startswith("Invalid payload")
    assert client.get(f"/api/stations/{station['id']}", headers=admin.headers).json() == station
    assert audit(client, admin, action="update") == []


def test_code_change_is_refused_with_a_clear_reason(client, admin):
    station = create(client, admin)
    res = client.put(f"/api/stations/{station['id']}", headers=admin.headers, json={"code": "ST-NEW"})
    assert "immutable" in res.json()["detail"]


def test_update_unknown_station_is_404(client, admin):
    res = client.put("/api/stations/999", headers=admin.headers, json={"name": "Nobody"})
    assert res.status_code == 404 and res.json() == {"detail": "Station not found"}


def test_delete_station(client, admin):
    station = create(client, admin)
    res = client.delete(f"/api/stations/{station['id']}", headers=admin.headers)
    assert res.status_code == 204 and res.content == b""
    assert client.get(f"/api/stations/{station['id']}", headers=admin.headers).status_code == 404
    assert client.delete(f"/api/stations/{station['id']}", headers=admin.headers).status_code == 404
    [event] = audit(client, admin, action="delete")
    assert event["old_values"]["code"] == "ST-LINEA-A" and event["new_values"] is None


def test_deleted_code_can_be_reused(client, admin):
    station = create(client, admin)
    client.delete(f"/api/stations/{station['id']}", headers=admin.headers)
    assert create(client, admin)["code"] == station["code"]


def test_unknown_query_parameters_are_refused(client, admin, operator):
    res = client.get("/api/stations", headers=admin.headers, params={"active": "true"})
    assert res.status_code == 400 and res.json() == {"detail": "Invalid payload: unknown query parameter(s): active"}
    res = client.get("/api/stations/by-code/ST-DEFAULT/recipes", headers=operator.headers, params={"x": "1"})
    assert res.status_code == 400
