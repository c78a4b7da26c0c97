"""User administration through /api/users, as the reference describes it."""

from __future__ import annotations

import pytest

from ..fixtures.roles import check_route

NEW_USER = {"username": "newuser", "password": "securepass", "display_name": "New User"}


def create(client, admin, **fields):
    return client.post("/api/users", json={**NEW_USER, **fields}, headers=admin.headers)


def test_create_fills_the_optional_fields_with_their_defaults(client, admin):
    res = create(client, admin)
    assert res.status_code == 201
    body = res.json()
    assert body == {"id": body["id"], "username": "newuser", "display_name": "New User", "email": None, "roles": [],
                    "is_admin": False, "active": True, "language_pref": "it", "theme_pref": "light"}
    login = client.post("/api/auth/login", json={"username": "newuser", "password": "securepass"})
    assert login.status_code == 200 and login.json()["user"] == body


def test_create_takes_every_field_of_the_reference(client, admin):
    res = create(client, admin, email="user@example.com", roles=["Metrologist", "Maker", "Maker"], is_admin=True,
                 language_pref="en", theme_pref="dark")
    assert res.status_code == 201
    body = res.json()
    assert body["email"] == "user@example.com" and body["roles"] == ["Maker", "Metrologist"]
    assert (body["is_admin"], body["language_pref"], body["theme_pref"]) == (True, "en", "dark")
    assert client.get(f"/api/users/{body['id']}", headers=admin.headers).json() == body


def test_duplicate_username_is_409_and_changes_nothing(client, admin):
    assert create(client, admin).status_code == 201
    res = create(client, admin, display_name="Impostor")
    assert res.status_code == 409 and res.json() == {"detail": "Username already exists"}
    users = client.get("/api/users", headers=admin.headers).json()
    assert [u["display_name"] for u in users if u["username"] == "newuser"] == ["New User"]


@pytest.mark.parametrize("fields", [
    {"roles": ["Admin"]}, {"roles": ["maker"]}, {"roles": "Maker"}, {"is_admin": "false"}, {"is_admin": 0},
    {"language_pref": "fr"}, {"theme_pref": "blue"}, {"email": "not-an-email"}, {"password": "short"},
    {"username": "has space"}, {"username": ""}, {"display_name": ""}, {"nickname": "extra field"},
])
def test_invalid_payloads_are_422_and_create_nothing(client, admin, fields):
    res = create(client, admin, **fields)
    assert res.status_code == 422, res.text
    assert isinstance(res.json()["detail"], list)
    assert [u["username"] for u in client.get("/api/users", headers=admin.headers).json()] == ["admin"]


def test_missing_required_fields_are_422(client, admin):
    for missing in NEW_USER:
        body = {k: v for k, v in NEW_USER.items() if k != missing}
        assert client.post("/api/users", json=body, headers=admin.headers).status_code == 422, missing


def test_list_returns_every_user_with_the_response_shape(client, admin, factory):
    factory.user("Maker", username="zed")
    res = client.get("/api/users", headers=admin.headers)
    assert res.status_code == 200
    assert [u["username"] for u in res.json()] == ["admin", "zed"]
    assert set(res.json()[1]) == {"id", "username", "display_name", "email", "roles", "is_admin", "active",
                                  "language_pref", "theme_pref"}


def test_update_changes_only_the_fields_sent(client, admin):
    user = create(client, admin, email="old@example.com").json()
    res = client.put(f"/api/users/{user['id']}", json={"roles": ["Maker", "MeasurementTec"], "is_admin": True},
                     headers=admin.headers)
    assert res.status_code == 200
    assert res.json() == {**user, "roles": ["Maker", "MeasurementTec"], "is_admin": True}
    cleared = client.put(f"/api/users/{user['id']}", json={"email": None}, headers=admin.headers).json()
    assert cleared["email"] is None and cleared["display_name"] == "New User"


@pytest.mark.parametrize("fields", [{"roles": ["Boss"]}, {"display_name": None}, {"is_admin": None},
                                    {"active": "yes"}, {"username": "renamed"}, {"password": "short"}])
def test_invalid_updates_are_422_and_change_nothing(client, admin, fields):
    user = create(client, admin).json()
    assert client.put(f"/api/users/{user['id']}", json=fields, headers=admin.headers).status_code == 422
    assert client.get(f"/api/users/{user['id']}", headers=admin.headers).json() == user


def test_password_change_takes_effect(client, admin):
    user = create(client, admin).json()
    assert client.put(f"/api/users/{user['id']}", json={"password": "another-pass"},
                      headers=admin.headers).status_code == 200
    old = client.post("/api/auth/login", json={"username": "newuser", "password": "securepass"})
    new = client.post("/api/auth/login", json={"username": "newuser", "password": "another-pass"})
    assert (old.status_code, new.status_code) == (401, 200)


def test_deactivate_is_a_soft_delete(client, admin):
    user = create(client, admin).json()
    res = client.delete(f"/api/users/{user['id']}", headers=admin.headers)
    assert res.status_code == 204 and res.content == b""
    assert client.get(f"/api/users/{user['id']}", headers=admin.headers).json() == {**user, "active": False}
    reactivated = client.put(f"/api/users/{user['id']}", json={"active": True}, headers=admin.headers)
    assert reactivated.json()["active"] is True
    assert client.post("/api/auth/login", json={"username": "newuser", "password": "securepass"}).status_code == 200


def test_admins_cannot_deactivate_themselves(client, admin):
    res = client.delete(f"/api/users/{admin.id}", headers=admin.headers)
    assert res.status_code == 400 and res.json() == {"detail": "Cannot deactivate yourself"}
    res = client.put(f"/api/users/{admin.id}", json={"active": False}, headers=admin.headers)
    assert res.status_code == 400
    assert client.get("/api/auth/me", headers=admin.headers).json()["active"] is True


def test_unknown_users_are_404(client, admin):
    for method, path, kwargs in [("GET", "/api/users/4242", {}), ("PUT", "/api/users/4242", {"json": {}}),
                                 ("DELETE", "/api/users/4242", {}), ("POST", "/api/users/4242/regenerate-key", {})]:
        res = client.request(method, path, headers=admin.headers, **kwargs)
        assert (res.status_code, res.json()) == (404, {"detail": "User not found"}), (method, path)


def test_ids_no_row_can_have_are_refused_not_crashed(client, admin):
    for user_id in ("0", "-1", str(2**31), str(2**70), "abc"):
        assert client.get(f"/api/users/{user_id}", headers=admin.headers).status_code == 422, user_id


def test_regenerate_key_answers_a_new_key_and_message(client, admin):
    user = create(client, admin).json()
    res = client.post(f"/api/users/{user['id']}/regenerate-key", headers=admin.headers)
    assert res.status_code == 200
    body = res.json()
    assert body["message"] == "API key regenerated for user newuser" and body["api_key"].startswith("tmf_")
    assert client.get("/api/auth/me", headers={"X-API-Key": body["api_key"]}).json()["id"] == user["id"]


def test_regenerate_key_of_an_inactive_user_is_a_conflict(client, admin):
    user = create(client, admin).json()
    client.delete(f"/api/users/{user['id']}", headers=admin.headers)
    assert client.post(f"/api/users/{user['id']}/regenerate-key", headers=admin.headers).status_code == 409


def test_user_changes_are_audited_without_secrets(client, admin):
    user = create(client, admin).json()
    client.put(f"/api/users/{user['id']}", json={"roles": ["Maker"], "password": "another-pass"},
               headers=admin.headers)
    client.post(f"/api/users/{user['id']}/regenerate-key", headers=admin.headers)
    client.delete(f"/api/users/{user['id']}", headers=admin.headers)
    events = client.get("/api/audit", params={"entity_type": "user", "entity_id": str(user["id"])},
                        headers=admin.headers).json()["items"]
    assert [e["action"] for e in events] == ["deactivate", "regenerate_key", "update", "create"]
    assert all(e["actor_id"] == admin.id for e in events)
    update = events[2]
    assert update["old_values"]["roles"] == [] and update["new_values"]["roles"] == ["Maker"]
    assert update["new_values"]["password_changed"] is True
    dumped = str(events)
    assert "securepass" not in dumped and "another-pass" not in dumped and "password_hash" not in dumped


def test_only_admins_manage_users(client, role_users, factory):
    admin_only = {"admin"}
    # Targets outside the matrix, so that acting on them leaves the callers' own keys alone.
    target, victim = factory.user(username="target"), factory.user(username="victim")
    check_route(client, role_users, "GET", "/api/users", admin_only)
    check_route(client, role_users, "GET", f"/api/users/{target.id}", admin_only)
    seen = check_route(client, role_users, "POST", "/api/users", admin_only, json=NEW_USER)
    assert seen["admin"] == 201
    seen = check_route(client, role_users, "PUT", f"/api/users/{target.id}", admin_only, json={"theme_pref": "dark"})
    assert seen["admin"] == 200
    seen = check_route(client, role_users, "POST", f"/api/users/{target.id}/regenerate-key", admin_only)
    assert seen["admin"] == 200
    seen = check_route(client, role_users, "DELETE", f"/api/users/{victim.id}", admin_only)
    assert seen["admin"] == 204
