"""GET/PUT /api/auth/me: one's own profile."""

from __future__ import annotations


def test_profile_update_changes_only_what_is_sent(client, factory):
    user = factory.user("Metrologist", username="grace")
    res = client.put("/api/auth/me", json={"theme_pref": "dark"}, headers=user.headers)
    assert res.status_code == 200
    assert res.json()["theme_pref"] == "dark" and res.json()["display_name"] == "Grace"
    res = client.put("/api/auth/me", json={"display_name": "Grace H.", "language_pref": "it"}, headers=user.headers)
    body = client.get("/api/auth/me", headers=user.headers).json()
    assert res.json() == body
    assert (body["display_name"], body["language_pref"], body["theme_pref"]) == ("Grace H.", "it", "dark")


def test_profile_cannot_grant_roles_or_admin(client, factory):
    user = factory.user(username="mallory")
    for change in ({"roles": ["Maker"]}, {"is_admin": True}, {"active": False}, {"username": "root"}):
        assert client.put("/api/auth/me", json=change, headers=user.headers).status_code == 422, change
    body = client.get("/api/auth/me", headers=user.headers).json()
    assert body["roles"] == [] and body["is_admin"] is False


def test_profile_values_are_validated(client, factory):
    user = factory.user(username="henry")
    for change in ({"theme_pref": "neon"}, {"language_pref": "de"}, {"display_name": ""},
                   {"display_name": None}, {"display_name": 5}, {"display_name": "tab\there"}):
        assert client.put("/api/auth/me", json=change, headers=user.headers).status_code == 422, change
    assert client.get("/api/auth/me", headers=user.headers).json()["display_name"] == "Henry"


def test_profile_change_is_audited(client, factory, admin):
    user = factory.user(username="ivan")
    client.put("/api/auth/me", json={"theme_pref": "dark"}, headers=user.headers)
    [event] = client.get("/api/audit", params={"action": "update_profile"}, headers=admin.headers).json()["items"]
    assert event["actor_id"] == user.id and event["entity_id"] == str(user.id)
    assert event["old_values"]["theme_pref"] == "light" and event["new_values"]["theme_pref"] == "dark"


def test_a_toggle_to_the_value_already_set_is_not_audited(client, factory, admin):
    user = factory.user(username="idle-toggler")
    for _ in range(3):
        assert client.put("/api/auth/me", json={"theme_pref": "light", "language_pref": "en"},
                          headers=user.headers).status_code == 200
    assert client.put("/api/auth/me", json={"theme_pref": "dark"}, headers=user.headers).status_code == 200
    events = client.get("/api/audit", params={"entity_type": "user", "action": "update_profile"},
                        headers=admin.headers).json()["items"]
    mine = [e for e in events if e["entity_id"] == str(user.id)]
    assert [(e["old_values"]["theme_pref"], e["new_values"]["theme_pref"]) for e in mine] == [("light", "dark")]
