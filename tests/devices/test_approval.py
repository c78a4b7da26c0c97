"""Approving stands: who may, what is audited, the approved list, revocation, and tokens on the stand API."""

from __future__ import annotations

from ..public_api.conftest import hardpy_report
from .conftest import approve, poll, refresh, signed_in, start

HARDPY = "/hardpy/api/v1"
INTEGRATION = "/integration/api/v1"


def test_only_admins_and_granted_roles_approve(client, admin, factory):
    maker = factory.user("Maker")
    grant = start(client)
    res = approve(client, maker, grant["user_code"])
    assert res.status_code == 403
    assert client.get(f"/api/device-authorizations/{grant['user_code']}", headers=maker.headers).status_code == 403
    res = client.put("/api/settings/", json={"device_approver_roles": "Maker"}, headers=admin.headers)
    assert res.status_code == 200, res.text
    shown = client.get(f"/api/device-authorizations/{grant['user_code']}", headers=maker.headers)
    assert shown.status_code == 200 and shown.json()["status"] == "pending"
    assert shown.json()["client_id"] == "hardpy-report-uploader"
    assert approve(client, maker, grant["user_code"]).status_code == 200
    assert approve(client, maker, grant["user_code"]).status_code == 409
    assert client.post("/api/device-authorizations/BCDF-GHJK", json={"approve": False},
                       headers=admin.headers).status_code == 404


def test_approval_needs_a_name_and_a_real_station(client, admin, plans):
    grant = start(client)
    code = grant["user_code"]
    res = client.post(f"/api/device-authorizations/{code}", json={"approve": True}, headers=admin.headers)
    assert res.status_code == 422
    assert approve(client, admin, code, station_id=999_999).status_code == 422
    station_code = plans.station(name="Bench 4")
    stations = client.get("/api/stations", headers=admin.headers).json()
    station_id = next(s["id"] for s in stations if s["code"] == station_code)
    res = approve(client, admin, code, name="EOL 9", station_id=station_id)
    assert res.status_code == 200 and res.json()["station_id"] == station_id and res.json()["stand_name"] == "EOL 9"


def test_approval_is_audited_and_stands_are_listed_with_last_use(client, admin):
    tokens = signed_in(client, admin, name="EOL stand 7")
    events = client.get("/api/audit", params={"entity_type": "device_authorization"}, headers=admin.headers).json()
    assert [(e["action"], e["new_values"]["stand_name"]) for e in events["items"]] == [("approve", "EOL stand 7")]
    stands = client.get("/api/approved-stands", headers=admin.headers).json()
    assert [(s["name"], s["client_id"]) for s in stands] == [("EOL stand 7", "hardpy-report-uploader")]
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get(f"{HARDPY}/test_run", headers=auth).status_code == 200
    stands = client.get("/api/approved-stands", headers=admin.headers).json()
    assert stands[0]["last_used_at"] is not None and stands[0]["revoked_at"] is None


def test_revoked_stand_is_refused_at_once(client, admin):
    tokens = signed_in(client, admin)
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post(f"{HARDPY}/test_report", json=hardpy_report(), headers=auth).status_code == 201
    key_id = client.get("/api/approved-stands", headers=admin.headers).json()[0]["key_id"]
    assert client.delete(f"/api/approved-stands/{key_id}", headers=admin.headers).status_code == 204
    assert client.post(f"{HARDPY}/test_report", json=hardpy_report(), headers=auth).status_code == 401
    assert client.get(f"{HARDPY}/test_run", headers=auth).status_code == 401
    assert refresh(client, tokens["refresh_token"]).json()["error"] == "invalid_grant"
    assert client.get("/api/approved-stands", headers=admin.headers).json() == []
    listed = client.get("/api/approved-stands", params={"include_revoked": True}, headers=admin.headers)
    assert listed.json()[0]["revoked_at"] is not None
    events = client.get("/api/audit", params={"entity_type": "api_key", "action": "revoke"}, headers=admin.headers)
    assert events.json()["total"] == 1


def test_tokens_upload_and_read_like_integration_keys(client, admin, factory):
    integration_key = factory.key("integration", "BI")
    tokens = signed_in(client, admin)
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    up = client.post(f"{HARDPY}/test_report", json=hardpy_report("SN-1", failed_case=True, status="failed"),
                     headers=auth)
    assert up.status_code == 201, up.text
    run_id = up.json()["test_run_id"]
    key = {"X-API-KEY": integration_key}
    for path, params in [("/test_run", {"status": "fail"}), (f"/test_run/{run_id}", {}),
                         (f"/test_run/{run_id}/failed_case", {}), ("/tested_dut", {"firmware_version": "1.2.3"}),
                         ("/test_run", {"limit": 1})]:
        mine = client.get(f"{HARDPY}{path}", params=params, headers=auth)
        theirs = client.get(f"{INTEGRATION}{path}", params=params, headers=key)
        assert mine.status_code == theirs.status_code == 200, (path, mine.text)
        assert mine.json() == theirs.json() and mine.json()
        assert mine.headers.get("x-total-count") == theirs.headers.get("x-total-count")
    # A token is a stand's credential, never an integration reader's.
    assert client.get(f"{INTEGRATION}/test_run", headers=auth).status_code == 401
    assert client.get(f"{HARDPY}/test_run", headers={"Authorization": "Bearer tmfa_forged"}).status_code == 401
    assert poll(client, "x").status_code == 400
