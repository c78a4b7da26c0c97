"""Role x route matrix of the measurement and run routes."""

from __future__ import annotations

import uuid

import pytest

from tests.fixtures.roles import check_route

OPERATOR = {"operator"}
READERS = {"operator", "metrologist"}
METROLOGIST = {"metrologist"}


@pytest.fixture
def plan(plans):
    return plans.recipe()


def test_measurement_routes(client, role_users, plan):
    body = {"subtask_id": plan.subtask_ids[0], "version_id": plan.version_id, "value": 10.0, "serial_number": "S"}
    check_route(client, role_users, "POST", "/api/measurements/", OPERATOR, json=body)
    check_route(client, role_users, "POST", "/api/measurements/batch", OPERATOR, json={"measurements": [body]})
    check_route(client, role_users, "GET", "/api/measurements/", METROLOGIST)
    check_route(client, role_users, "GET", "/api/measurements/export/csv", READERS)
    check_route(client, role_users, "GET", "/api/measurements/export/xlsx", READERS)
    seen = check_route(client, role_users, "GET", "/api/measurements/1", READERS)
    assert seen["operator"] == seen["metrologist"] == 200
    seen = check_route(client, role_users, "POST", "/api/measurements/1/corrections", READERS,
                       json={"value": 10.1, "reason": "misread"})
    assert seen["operator"] == 201 and seen["metrologist"] == 409


def test_run_routes(client, role_users, plans, plan):
    station = plans.station()
    start = {"recipe_id": plan.recipe_id, "serial_number": "S", "station_code": station}
    seen = check_route(client, role_users, "POST", "/api/runs", OPERATOR, json=start)
    assert seen["operator"] == 201
    run_id = client.get("/api/runs/open", headers={"X-API-Key": role_users["operator"].key}).json()[0]["id"]
    check_route(client, role_users, "GET", "/api/runs", READERS)
    check_route(client, role_users, "GET", "/api/runs/open", READERS)
    check_route(client, role_users, "GET", f"/api/runs/{run_id}", READERS)
    seen = check_route(client, role_users, "POST", f"/api/runs/{run_id}/measurements", OPERATOR,
                       json={"subtask_id": plan.subtask_ids[0], "value": 10.0})
    assert seen["operator"] == 201
    seen = check_route(client, role_users, "POST", f"/api/runs/{run_id}/finish", OPERATOR,
                       json={"allow_incomplete": True})
    assert seen["operator"] == 200
    seen = check_route(client, role_users, "POST", f"/api/runs/{uuid.uuid4()}/abort", {"operator", "admin"})
    assert seen["operator"] == seen["admin"] == 404
