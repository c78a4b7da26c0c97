"""/api/integration-keys and `tmf keys create`: keys an admin hands to BI tools and HardPy stands."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from tiemeasureflow.cli import app as cli_app
from tiemeasureflow.models import AuditEvent

from ..fixtures.app import TEST_PEPPER
from ..fixtures.roles import check_route

INTEGRATION = "/integration/api/v1"
KEYS = "/api/integration-keys"


def test_admin_creates_lists_and_revokes(client, admin):
    res = client.post(KEYS, json={"kind": "integration", "name": "Power BI"}, headers=admin.headers)
    assert res.status_code == 201, res.text
    created = res.json()
    assert created["api_key"].startswith("tmf_") and created["kind"] == "integration"
    assert created["created_by"] == admin.id and created["revoked_at"] is None
    stand = client.post(KEYS, json={"kind": "stand", "name": "EOL 1"}, headers=admin.headers).json()
    listed = client.get(KEYS, headers=admin.headers).json()
    assert [k["id"] for k in listed["items"]] == [stand["id"], created["id"]] and listed["total"] == 2
    assert all("api_key" not in k for k in listed["items"])
    assert [k["id"] for k in client.get(KEYS, params={"kind": "stand"}, headers=admin.headers).json()["items"]] == [
        stand["id"]]
    reading = {"X-API-KEY": created["api_key"]}
    assert client.get(f"{INTEGRATION}/test_run", headers=reading).status_code == 200
    assert client.delete(f"{KEYS}/{created['id']}", headers=admin.headers).status_code == 204
    assert client.get(f"{INTEGRATION}/test_run", headers=reading).status_code == 401
    assert client.delete(f"{KEYS}/{created['id']}", headers=admin.headers).status_code == 204
    assert [k["id"] for k in client.get(KEYS, headers=admin.headers).json()["items"]] == [stand["id"]]
    everything = client.get(KEYS, params={"include_revoked": True}, headers=admin.headers).json()["items"]
    assert next(k for k in everything if k["id"] == created["id"])["revoked_at"].endswith("Z")


def test_session_keys_are_not_managed_here(client, admin, factory):
    user = factory.user("Maker")
    assert client.get(KEYS, headers=admin.headers).json()["items"] == []
    session_key_id = int(user.key.split("_")[1])
    assert client.delete(f"{KEYS}/{session_key_id}", headers=admin.headers).status_code == 404
    assert client.get("/api/auth/me", headers=user.headers).status_code == 200
    assert client.delete(f"{KEYS}/999999", headers=admin.headers).status_code == 404


def test_bad_payloads_get_422(client, admin):
    for body in ({"kind": "session", "name": "x"}, {"kind": "integration", "name": ""}, {"kind": "stand"},
                 {"kind": "stand", "name": "x", "extra": 1}):
        assert client.post(KEYS, json=body, headers=admin.headers).status_code == 422, body
    assert client.get(KEYS, headers=admin.headers).json()["total"] == 0


def test_only_admins(client, role_users):
    check_route(client, role_users, "GET", KEYS, {"admin"})
    check_route(client, role_users, "POST", KEYS, {"admin"}, json={"kind": "stand", "name": "x"})
    check_route(client, role_users, "DELETE", f"{KEYS}/1", {"admin"})


def test_creation_and_revocation_are_audited(client, admin, app):
    key = client.post(KEYS, json={"kind": "stand", "name": "EOL 2"}, headers=admin.headers).json()
    client.delete(f"{KEYS}/{key['id']}", headers=admin.headers)
    events = client.get("/api/audit", params={"entity_type": "api_key"}, headers=admin.headers)
    assert events.status_code == 200, events.text
    actions = [(e["action"], e["entity_id"], e["actor_id"]) for e in events.json()["items"]]
    assert ("create", str(key["id"]), admin.id) in actions and ("revoke", str(key["id"]), admin.id) in actions
    with app.state.engine.connect() as conn:
        dumped = repr(conn.execute(sa.select(AuditEvent.new_values)).all())
    assert key["api_key"] not in dumped


def test_cli_creates_a_working_key(client, database_url, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.setenv("SECRET_KEY", TEST_PEPPER)
    result = CliRunner().invoke(cli_app, ["keys", "create", "--kind", "integration", "--name", "ERP"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip().splitlines()[-1]
    assert client.get(f"{INTEGRATION}/tested_dut", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert client.get("/api/auth/me", headers={"X-API-Key": raw}).status_code == 401
    refused = CliRunner().invoke(cli_app, ["keys", "create", "--kind", "session", "--name", "x"])
    assert refused.exit_code == 2


def test_a_key_never_used_shows_no_last_use(client, admin):
    created = client.post(KEYS, json={"kind": "integration", "name": "unused"}, headers=admin.headers).json()
    assert created["last_used_at"] is None
    listed = client.get(KEYS, headers=admin.headers).json()["items"]
    assert next(k for k in listed if k["id"] == created["id"])["last_used_at"] is None
    assert client.get(f"{INTEGRATION}/test_run", headers={"X-API-KEY": created["api_key"]}).status_code == 200
    listed = client.get(KEYS, headers=admin.headers).json()["items"]
    assert next(k for k in listed if k["id"] == created["id"])["last_used_at"].endswith("Z")
