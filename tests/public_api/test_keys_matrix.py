"""Which keys open which door: integration keys on /integration, stand keys on /hardpy, session keys on /api."""

from __future__ import annotations

import pytest

from .conftest import HARDPY, INTEGRATION, hardpy_report

READ_PATHS = ("/test_run", "/tested_dut")


def _styles(key: str) -> list[dict[str, str]]:
    return [{"X-API-KEY": key}, {"Authorization": f"Bearer {key}"}, {"x-api-key": key}]


def test_integration_key_in_either_header(client, integration_key):
    for headers in _styles(integration_key):
        for path in READ_PATHS:
            assert client.get(f"{INTEGRATION}{path}", headers=headers).status_code == 200, headers


def test_stand_key_in_either_header(client, stand_key):
    for i, headers in enumerate(_styles(stand_key)):
        res = client.post(f"{HARDPY}/test_report", json=hardpy_report(f"H{i}"), headers=headers)
        assert res.status_code == 201, headers


@pytest.mark.parametrize("who", ["none", "session", "admin_session", "stand", "garbage", "basic"])
def test_other_credentials_are_refused_on_integration(client, factory, who):
    headers = {
        "none": {},
        "session": {"X-API-KEY": factory.user("Metrologist").key},
        "admin_session": {"Authorization": f"Bearer {factory.user(admin=True).key}"},
        "stand": {"X-API-KEY": factory.key("stand")},
        "garbage": {"X-API-KEY": "tmf_1_nope"},
        "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
    }[who]
    for path in READ_PATHS:
        res = client.get(f"{INTEGRATION}{path}", headers=headers)
        assert res.status_code == 401 and res.json() == {"detail": "Invalid or missing API key"}, (who, path)


@pytest.mark.parametrize("kind", ["integration", "session", "none"])
def test_other_credentials_are_refused_on_hardpy(client, factory, kind):
    key = {"integration": factory.key("integration"), "session": factory.user(admin=True).key, "none": ""}[kind]
    res = client.post(f"{HARDPY}/test_report", json=hardpy_report(), headers={"Authorization": f"Bearer {key}"})
    assert res.status_code == 401


def test_integration_and_stand_keys_are_refused_on_api(client, integration_key, stand_key):
    for key in (integration_key, stand_key):
        for headers in ({"X-API-Key": key},):
            for path in ("/api/auth/me", "/api/runs", "/api/users", "/api/integration-keys"):
                assert client.get(path, headers=headers).status_code == 401, path


def test_revoked_keys_get_401(client, admin, integration_key, stand_key):
    headers = {"X-API-KEY": integration_key}
    assert client.get(f"{INTEGRATION}/test_run", headers=headers).status_code == 200
    keys = client.get("/api/integration-keys", headers=admin.headers).json()["items"]
    for key in keys:
        assert client.delete(f"/api/integration-keys/{key['id']}", headers=admin.headers).status_code == 204
    assert client.get(f"{INTEGRATION}/test_run", headers=headers).status_code == 401
    res = client.post(f"{HARDPY}/test_report", json=hardpy_report(), headers={"X-API-KEY": stand_key})
    assert res.status_code == 401


def test_rate_limit_applies(database_url, tmp_path, factory):
    from fastapi.testclient import TestClient

    from tiemeasureflow.app import create_app

    from ..fixtures.app import make_settings

    app = create_app(make_settings(database_url, tmp_path / "limited", rate_limit_general=3))
    key = factory.key("integration")
    with TestClient(app) as limited:
        statuses = [limited.get(f"{INTEGRATION}/test_run", headers={"X-API-KEY": key}).status_code for _ in range(5)]
        assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
        assert limited.get(f"{INTEGRATION}/healthcheck").status_code == 200
    app.state.engine.dispose()
