"""The device authorization grant (RFC 8628) and refresh-token rotation, over HTTP."""

from __future__ import annotations

import time

from .conftest import CLIENT, DEVICE, TOKEN, approve, poll, refresh, signed_in, start


def test_start_answers_codes_and_the_approval_page(client):
    grant = start(client)
    assert set(grant) >= {"device_code", "user_code", "verification_uri", "verification_uri_complete",
                          "expires_in", "interval"}
    assert grant["verification_uri"] == "https://station.example/device"
    assert grant["verification_uri_complete"] == f"https://station.example/device?user_code={grant['user_code']}"
    assert (grant["expires_in"], grant["interval"]) == (600, 1)
    assert len(grant["user_code"]) == 9 and grant["user_code"][4] == "-"


def test_only_configured_clients_may_start(client):
    res = client.post(DEVICE, data={"client_id": "someone-else"})
    assert res.status_code == 401 and res.json()["error"] == "invalid_client"
    res = client.post(DEVICE, data={})
    assert res.status_code == 400 and res.json()["error"] == "invalid_request"
    res = client.post(DEVICE, json={"client_id": CLIENT})
    assert res.status_code == 400 and res.json()["error"] == "invalid_request"


def test_poll_pending_slow_down_then_tokens(client, admin):
    grant = start(client)
    first = poll(client, grant["device_code"])
    assert first.status_code == 400 and first.json()["error"] == "authorization_pending"
    assert first.headers["cache-control"] == "no-store"
    assert poll(client, grant["device_code"]).json()["error"] == "slow_down"
    time.sleep(1.05)
    assert poll(client, grant["device_code"]).json()["error"] == "authorization_pending"
    assert approve(client, admin, grant["user_code"].lower().replace("-", "")).status_code == 200
    time.sleep(1.05)
    res = poll(client, grant["device_code"])
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["access_token"] and body["refresh_token"]
    # A device code is good for one pair of tokens.
    again = poll(client, grant["device_code"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_denied_and_unknown_codes(client, admin):
    grant = start(client)
    res = client.post(f"/api/device-authorizations/{grant['user_code']}", json={"approve": False},
                      headers=admin.headers)
    assert res.status_code == 200 and res.json()["status"] == "denied"
    assert poll(client, grant["device_code"]).json()["error"] == "access_denied"
    assert poll(client, "nope").json()["error"] == "invalid_grant"
    assert poll(client, grant["device_code"], client_id="other").json()["error"] == "invalid_client"
    res = client.post(TOKEN, data={"grant_type": "password", "client_id": CLIENT})
    assert res.status_code == 400 and res.json()["error"] == "unsupported_grant_type"


def test_expired_device_code(client, app, admin):
    app.state.settings.device_code_ttl_seconds = 1
    grant = start(client)
    time.sleep(1.1)
    assert poll(client, grant["device_code"]).json()["error"] == "expired_token"
    assert approve(client, admin, grant["user_code"]).status_code == 409


def test_refresh_rotates_the_pair(client, admin):
    tokens = signed_in(client, admin)
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/hardpy/api/v1/test_run", headers=auth).status_code == 200
    res = refresh(client, tokens["refresh_token"])
    assert res.status_code == 200, res.text
    new = res.json()
    assert new["token_type"] == "Bearer" and new["expires_in"] == 3600
    assert new["refresh_token"] != tokens["refresh_token"]
    # The old refresh token and the old access token stop working.
    old = refresh(client, tokens["refresh_token"])
    assert old.status_code == 400 and old.json()["error"] == "invalid_grant"
    assert client.get("/hardpy/api/v1/test_run", headers=auth).status_code == 401
    fresh = {"Authorization": f"Bearer {new['access_token']}"}
    assert client.get("/hardpy/api/v1/test_run", headers=fresh).status_code == 200


def test_expired_access_token_gets_invalid_token(client, app, admin):
    app.state.settings.stand_access_token_ttl_seconds = 1
    tokens = signed_in(client, admin)
    time.sleep(1.1)
    res = client.get("/hardpy/api/v1/test_run", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert res.status_code == 401
    assert res.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert "expired" in res.headers["www-authenticate"]
    assert refresh(client, tokens["refresh_token"]).status_code == 200
