"""Pages that list stations or versions ask the API as often for many rows as for one."""

from __future__ import annotations

from collections.abc import Callable

from .helpers import assign, make_recipe


def api_paths(client, visit: Callable[[], object]) -> list[str]:
    """The API paths the station client requests while a page is built."""
    seen: list[str] = []
    hooks = client.event_hooks
    hooks["request"].append(lambda request: seen.append(request.url.path))
    client.event_hooks = hooks
    try:
        response = visit()
    finally:
        hooks["request"].pop()
        client.event_hooks = hooks
    assert response.status_code == 200
    return seen


def test_the_stations_page_asks_once_however_many_stations(signed_in, admin, maker, client):
    web = signed_in(admin)
    few = api_paths(client, lambda: web.get("/admin/stations"))
    recipe = make_recipe(client, maker.headers, code="R-LIST", drawing=False)
    for code in ("ST-A", "ST-B", "ST-C"):
        assert client.post("/api/stations", json={"code": code, "name": code}, headers=admin.headers).status_code == 201
        assign(client, admin.headers, recipe["id"], code)
    many = api_paths(client, lambda: web.get("/admin/stations"))
    assert len(many) == len(few)
    assert not [path for path in many if path.startswith("/api/stations/")]


def test_the_version_history_asks_once_however_many_versions(signed_in, maker, client):
    web = signed_in(maker)
    recipe = make_recipe(client, maker.headers, code="R-HISTORY", drawing=False)
    few = api_paths(client, lambda: web.get(f"/recipes/{recipe['id']}/versions"))
    detail_few = api_paths(client, lambda: web.get(f"/recipes/{recipe['id']}"))
    for number in (2, 3):
        assert client.post(f"/api/recipes/{recipe['id']}/drafts", json={}, headers=maker.headers).status_code == 201
        released = client.post(f"/api/recipes/{recipe['id']}/versions/{number}/release", headers=maker.headers,
                               json={"change_notes": f"v{number}", "password": maker.password, "meaning": "Approved"})
        assert released.status_code == 200, released.text
    many = api_paths(client, lambda: web.get(f"/recipes/{recipe['id']}/versions"))
    assert len(many) == len(few)
    assert not [path for path in many if path.endswith("/measurement-count")]
    assert len(api_paths(client, lambda: web.get(f"/recipes/{recipe['id']}"))) == len(detail_few)
