"""Session keys: header only, idle expiry, revocation, and one identical 401 for every bad key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tiemeasureflow.app import create_app
from tiemeasureflow.kit.db import unit_of_work
from tiemeasureflow.models import ApiKey, utcnow

from ..fixtures.app import make_settings
from ..fixtures.factories import Factory

UNAUTHORIZED = {"detail": "Invalid or missing API key"}


def me(client, key: str | None):
    return client.get("/api/auth/me", headers={"X-API-Key": key} if key is not None else {})


def key_id(raw: str) -> int:
    return int(raw.split("_")[1])


def age_key(app, raw: str, idle: timedelta) -> None:
    """Pretend the key was last used `idle` ago."""
    with unit_of_work(app.state.sessionmaker) as session:
        session.get(ApiKey, key_id(raw)).last_used_at = utcnow() - idle


def test_unknown_malformed_revoked_expired_and_missing_keys_get_the_same_401(client, factory, app):
    revoked, expired = factory.user(username="rev"), factory.user(username="exp")
    assert client.post("/api/auth/logout", headers=revoked.headers).status_code == 204
    age_key(app, expired.key, timedelta(minutes=app.state.settings.session_idle_minutes + 1))
    forged = f"tmf_{key_id(expired.key)}_{'x' * 43}"
    candidates = [None, "", "tmf_", "tmf_999999_abc", "not-a-key", forged, "tmf_99999999999999999999_x",
                  revoked.key, expired.key]
    for key in candidates:
        res = me(client, key)
        assert (res.status_code, res.json()) == (401, UNAUTHORIZED), key


def test_integration_and_stand_keys_are_refused_on_the_reference_api(client, factory):
    for kind in ("integration", "stand"):
        res = me(client, factory.key(kind))
        assert (res.status_code, res.json()) == (401, UNAUTHORIZED), kind


def test_key_is_read_from_the_header_only(client, factory):
    user = factory.user(username="header")
    assert client.get("/api/auth/me", params={"api_key": user.key}).status_code == 401
    assert client.get("/api/auth/me", params={"X-API-Key": user.key}).status_code == 401
    assert client.get("/api/auth/me", cookies={"X-API-Key": user.key}).status_code == 401
    assert me(client, user.key).status_code == 200


def test_a_key_idle_longer_than_the_limit_expires(database_url, tmp_path):
    app = create_app(make_settings(database_url, tmp_path / "idle", session_idle_minutes=30))
    try:
        user = Factory(app).user(username="idler")
        with TestClient(app) as client:
            age_key(app, user.key, timedelta(minutes=29))
            assert me(client, user.key).status_code == 200
            # That request counted as use: the idle clock starts again.
            age_key(app, user.key, timedelta(minutes=31))
            assert me(client, user.key).status_code == 401
            assert me(client, user.key).status_code == 401
    finally:
        app.state.engine.dispose()


def test_use_refreshes_the_idle_clock(client, factory, app):
    user = factory.user(username="busy")
    limit = timedelta(minutes=app.state.settings.session_idle_minutes)
    age_key(app, user.key, limit - timedelta(minutes=1))
    assert me(client, user.key).status_code == 200
    with unit_of_work(app.state.sessionmaker, write=False) as session:
        last_used = session.get(ApiKey, key_id(user.key)).last_used_at
    assert utcnow() - last_used < timedelta(minutes=1)


@pytest.mark.parametrize("revoke", ["regenerate", "deactivate", "password"])
def test_admin_actions_revoke_every_session_key_of_the_user(client, factory, admin, revoke):
    user = factory.user("Maker", username="target")
    second = client.post("/api/auth/login", json={"username": "target", "password": user.password}).json()["api_key"]
    if revoke == "regenerate":
        res = client.post(f"/api/users/{user.id}/regenerate-key", headers=admin.headers)
    elif revoke == "deactivate":
        res = client.delete(f"/api/users/{user.id}", headers=admin.headers)
    else:
        res = client.put(f"/api/users/{user.id}", json={"password": "a-brand-new-one"}, headers=admin.headers)
    assert res.status_code in (200, 204), res.text
    assert me(client, user.key).status_code == 401 and me(client, second).status_code == 401
    if revoke == "regenerate":
        assert me(client, res.json()["api_key"]).status_code == 200


def test_deactivation_also_blocks_keys_issued_later(client, factory, admin):
    user = factory.user(username="gone")
    assert client.put(f"/api/users/{user.id}", json={"active": False}, headers=admin.headers).status_code == 200
    assert me(client, user.key).status_code == 401
    login = client.post("/api/auth/login", json={"username": "gone", "password": user.password})
    assert login.status_code == 401


def test_a_regeneration_leaves_other_users_keys_alone(client, factory, admin):
    other = factory.user(username="bystander")
    target = factory.user(username="target2")
    assert client.post(f"/api/users/{target.id}/regenerate-key", headers=admin.headers).status_code == 200
    assert me(client, other.key).status_code == 200 and me(client, admin.key).status_code == 200


@pytest.mark.parametrize("key_id_text", [str(2**31), str(2**32 + 5), str(2**63 - 1), "0" * 5 + str(2**40),
                                         "\u0661\u0662"])
def test_key_ids_no_row_can_have_get_the_same_401(client, key_id_text):
    for path in ("/api/auth/me", "/integration/api/v1/test_run"):
        res = client.get(path, headers={"X-API-Key": f"tmf_{key_id_text}_{'x' * 43}".encode()})
        assert (res.status_code, res.json()) == (401, UNAUTHORIZED), (path, key_id_text)
