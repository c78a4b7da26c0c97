"""Who may call the health and auth routes: every role and no key."""

from __future__ import annotations

from ..fixtures.roles import check_route

EVERYONE = {"anonymous", "admin", "maker", "operator", "metrologist"}
SIGNED_IN = EVERYONE - {"anonymous"}


def test_health_is_public(client, role_users):
    seen = check_route(client, role_users, "GET", "/api/health", EVERYONE)
    assert set(seen.values()) == {200}


def test_login_is_public_and_ignores_any_key_sent(client, role_users, factory):
    # Login answers on credentials alone: 200 for good ones whatever key comes along, 401 for bad ones.
    for role, user in role_users.items():
        account = user or factory.user(username="matrix_newcomer")
        headers = {"X-API-Key": user.key} if user else {}
        good = client.post("/api/auth/login", json={"username": account.username, "password": account.password},
                           headers=headers)
        bad = client.post("/api/auth/login", json={"username": account.username, "password": "wrong-wrong"},
                          headers=headers)
        assert (good.status_code, bad.status_code) == (200, 401), role


def test_profile_routes_need_a_signed_in_user(client, role_users):
    seen = check_route(client, role_users, "GET", "/api/auth/me", SIGNED_IN)
    assert {seen[r] for r in SIGNED_IN} == {200}
    seen = check_route(client, role_users, "PUT", "/api/auth/me", SIGNED_IN, json={"theme_pref": "dark"})
    assert {seen[r] for r in SIGNED_IN} == {200}


def test_logout_needs_a_signed_in_user(client, role_users):
    seen = check_route(client, role_users, "POST", "/api/auth/logout", SIGNED_IN)
    assert {seen[r] for r in SIGNED_IN} == {204}
