"""Who may call each stations route, and how the routes are described in OpenAPI."""

from __future__ import annotations

import pytest

from tests.fixtures.roles import check_route

ADMIN_ONLY = {"admin"}
SIGNED_IN = {"admin", "maker", "operator", "metrologist"}


@pytest.fixture
def station_with_recipe(client, admin, maker):
    from .helpers import create_recipe

    station = client.post("/api/stations", headers=admin.headers, json={"code": "ST-M", "name": "M"}).json()
    recipe = create_recipe(client, maker, "MATRIX")
    return station["id"], recipe["id"]


def test_role_matrix(client, role_users, station_with_recipe):
    station_id, recipe_id = station_with_recipe
    check_route(client, role_users, "GET", "/api/stations", ADMIN_ONLY)
    check_route(client, role_users, "POST", "/api/stations", ADMIN_ONLY, json={"code": "ST-NEW", "name": "New"})
    check_route(client, role_users, "GET", f"/api/stations/{station_id}", ADMIN_ONLY)
    check_route(client, role_users, "PUT", f"/api/stations/{station_id}", ADMIN_ONLY, json={"name": "Renamed"})
    check_route(client, role_users, "GET", f"/api/stations/{station_id}/recipes", ADMIN_ONLY)
    seen = check_route(client, role_users, "POST", f"/api/stations/{station_id}/recipes", ADMIN_ONLY,
                       json={"recipe_id": recipe_id})
    assert seen["admin"] == 201
    seen = check_route(client, role_users, "GET", "/api/stations/by-code/ST-M/recipes", SIGNED_IN)
    assert set(seen.values()) == {401, 200}
    seen = check_route(client, role_users, "DELETE", f"/api/stations/{station_id}/recipes/{recipe_id}", ADMIN_ONLY)
    assert seen["admin"] == 204
    seen = check_route(client, role_users, "DELETE", f"/api/stations/{station_id}", ADMIN_ONLY)
    assert seen["admin"] == 204


def test_refusals_change_nothing(client, role_users, station_with_recipe):
    station_id, _ = station_with_recipe
    maker = role_users["maker"]
    assert client.put(f"/api/stations/{station_id}", headers=maker.headers, json={"name": "X"}).status_code == 403
    assert client.delete(f"/api/stations/{station_id}", headers=maker.headers).status_code == 403
    admin = role_users["admin"]
    assert client.get(f"/api/stations/{station_id}", headers=admin.headers).json()["name"] == "M"


def test_openapi_documents_400_for_invalid_payloads(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    routes = [(p, m) for p, ops in paths.items() if p.startswith("/api/stations") for m in ops]
    assert len(routes) == 9  # the reference announces "eight routes" and lists nine
    for path, method in routes:
        responses = paths[path][method]["responses"]
        assert {"400", "401"} <= set(responses), (method, path)
    assert paths["/api/stations"]["post"]["responses"]["400"]["description"].startswith("Invalid payload")
    assert "409" in paths["/api/stations"]["post"]["responses"]
    assert "409" in paths["/api/stations/{station_id}/recipes"]["post"]["responses"]
    assert "404" in paths["/api/stations/by-code/{code}/recipes"]["get"]["responses"]
