"""GET /api/audit (filters, paging, roles) and `tmf audit verify` against tampering."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tiemeasureflow.cli import app as cli
from tiemeasureflow.migrations.seed import GENESIS_HASH

from ..fixtures.app import TEST_PEPPER
from ..fixtures.database import USING_POSTGRES
from ..fixtures.roles import check_route


def events(client, admin, **params) -> dict:
    res = client.get("/api/audit", params=params, headers=admin.headers)
    assert res.status_code == 200, res.text
    return res.json()


@pytest.fixture
def history(client, admin, factory):
    """Three users created by the admin, a settings change by the admin, a login by one of the users."""
    ids = []
    for name in ("ann", "ben", "cid"):
        res = client.post("/api/users", json={"username": name, "password": "password-1", "display_name": name},
                          headers=admin.headers)
        ids.append(res.json()["id"])
    client.put("/api/settings/", json={"company_name": "ACME"}, headers=admin.headers)
    client.post("/api/auth/login", json={"username": "ann", "password": "password-1"})
    return ids


def test_events_come_newest_first_with_every_field(client, admin, history):
    page = events(client, admin)
    assert page["total"] == 5 and page["page"] == 1 and page["per_page"] == 50 and page["pages"] == 1
    assert [e["action"] for e in page["items"]] == ["login", "update", "create", "create", "create"]
    create = page["items"][-1]
    assert set(create) == {"id", "occurred_at", "actor_id", "actor_key_id", "action", "entity_type", "entity_id",
                           "old_values", "new_values", "client_ip", "hash"}
    assert create["actor_id"] == admin.id and create["entity_type"] == "user" and create["entity_id"] == str(history[0])
    assert create["new_values"]["username"] == "ann" and create["occurred_at"].endswith("Z")
    assert create["client_ip"] == "testclient" and len(create["hash"]) == 64


def test_filters_by_entity_actor_and_action(client, admin, history):
    assert {e["entity_type"] for e in events(client, admin, entity_type="settings")["items"]} == {"settings"}
    [ben] = events(client, admin, entity_type="user", entity_id=str(history[1]))["items"]
    assert ben["new_values"]["username"] == "ben"
    assert events(client, admin, actor_id=admin.id)["total"] == 4
    assert [e["actor_id"] for e in events(client, admin, actor_id=history[0])["items"]] == [history[0]]
    assert events(client, admin, action="create", entity_type="user")["total"] == 3
    assert events(client, admin, action="nothing-like-this")["items"] == []


def test_filters_by_time(client, admin, history):
    now = datetime.now(UTC)
    past, future = (now - timedelta(hours=1)), (now + timedelta(hours=1))
    assert events(client, admin, date_from=past.isoformat())["total"] == 5
    assert events(client, admin, date_from=future.isoformat())["total"] == 0
    assert events(client, admin, date_to=past.isoformat())["total"] == 0
    # Naive times are UTC, as the reference's examples write them.
    naive_past = past.replace(tzinfo=None).isoformat(timespec="seconds")
    assert events(client, admin, date_from=naive_past, date_to=future.strftime("%Y-%m-%dT%H:%M:%SZ"))["total"] == 5
    newest = events(client, admin)["items"][0]["occurred_at"]
    assert [e["occurred_at"] for e in events(client, admin, date_from=newest)["items"]] == [newest]


@pytest.mark.parametrize("params", [{"date_from": "0.5"}, {"date_to": "1700000000"}, {"date_from": "yesterday"},
                                    {"page": 0}, {"per_page": 501}, {"actor_id": "x"}, {"actor_id": 2**40}])
def test_bad_filters_are_422(client, admin, params):
    assert client.get("/api/audit", params=params, headers=admin.headers).status_code == 422


def test_pages(client, admin, history):
    first = events(client, admin, per_page=2)
    second = events(client, admin, per_page=2, page=2)
    third = events(client, admin, per_page=2, page=3)
    assert (first["total"], first["pages"]) == (5, 3)
    assert [len(p["items"]) for p in (first, second, third)] == [2, 2, 1]
    ids = [e["id"] for p in (first, second, third) for e in p["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5
    assert events(client, admin, per_page=2, page=9)["items"] == []


def test_only_admins_read_the_trail(client, role_users):
    check_route(client, role_users, "GET", "/api/audit", {"admin"})


def verify(database_url: str, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER}
    return CliRunner().invoke(cli, ["audit", "verify"], env=env)


def raw_sql(app, statement: str, **params) -> None:
    tamper(app, [(statement, params)])


def tamper(app, statements: list[tuple[str, dict]]) -> None:
    """Change the database the way someone with its files or its superuser would: past the triggers."""
    with app.state.engine.begin() as conn:
        if USING_POSTGRES:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").all():
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        for statement, params in statements:
            conn.execute(sa.text(statement), params)


def test_verify_accepts_an_untouched_trail(client, admin, history, database_url, tmp_path, monkeypatch):
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "intact: 5 events verified" in result.output


def test_verify_finds_a_row_edited_behind_the_servers_back(app, admin, client, history, database_url, tmp_path,
                                                           monkeypatch):
    target = events(client, admin, action="update")["items"][0]["id"]
    raw_sql(app, "UPDATE audit_events SET client_ip = '203.0.113.9' WHERE id = :id", id=target)
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert f"BROKEN at event {target}" in result.output and "edited" in result.output


def test_verify_finds_an_edit_with_the_plain_chain_recomputed(app, admin, client, history, database_url,
                                                              tmp_path, monkeypatch):
    # Without the audit key a forger can only recompute unkeyed hashes: the first one is caught.
    from tiemeasureflow.audit.chain import plain_digest
    from tiemeasureflow.models import AuditEvent

    target = events(client, admin, action="create")["items"][-1]["id"]
    with Session(app.state.engine) as session:
        rows = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        session.expunge_all()
    statements, prev = [], rows[0].prev_hash
    for row in rows:
        if row.id == target:
            row.new_values = {**row.new_values, "is_admin": True}
        row.prev_hash = prev
        row.hash = prev = plain_digest(row)
        statements.append(("UPDATE audit_events SET new_values = :nv, prev_hash = :p, hash = :h WHERE id = :id",
                           {"nv": json.dumps(row.new_values), "p": row.prev_hash, "h": row.hash, "id": row.id}))
    statements.append(("UPDATE audit_head SET last_hash = :h", {"h": prev}))
    tamper(app, statements)
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 1 and f"BROKEN at event {rows[0].id}" in result.output
    assert "keyed hash" in result.output


def test_verify_finds_a_deleted_row(app, admin, client, history, database_url, tmp_path, monkeypatch):
    ids = [e["id"] for e in events(client, admin)["items"]]
    raw_sql(app, "DELETE FROM audit_events WHERE id = :id", id=ids[2])
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 1 and f"BROKEN at event {ids[1]}" in result.output
    assert "removed" in result.output


def test_verify_finds_the_newest_row_deleted(app, admin, client, history, database_url, tmp_path, monkeypatch):
    newest = events(client, admin)["items"][0]["id"]
    raw_sql(app, "DELETE FROM audit_events WHERE id = :id", id=newest)
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 1 and "removed at the end" in result.output


def test_verify_finds_the_newest_rows_deleted_and_the_head_moved_back(app, admin, client, history, database_url,
                                                                      tmp_path, monkeypatch):
    items = events(client, admin)["items"]
    keep = items[2]
    tamper(app, [("DELETE FROM audit_events WHERE id > :id", {"id": keep["id"]}),
                 ("UPDATE audit_head SET last_event_id = :id, last_hash = :h, event_count = event_count - 2",
                  {"id": keep["id"], "h": keep["hash"]})])
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 1 and "does not reach its checkpoint" in result.output


@pytest.mark.parametrize("wipe", ["DELETE FROM audit_events", "TRUNCATE audit_events"])
def test_verify_finds_every_row_removed(app, admin, client, history, database_url, tmp_path, monkeypatch, wipe):
    if wipe.startswith("TRUNCATE") and not USING_POSTGRES:
        wipe = "DELETE FROM audit_events"  # SQLite has no TRUNCATE; an unqualified DELETE is its form
    tamper(app, [(wipe, {}), ("UPDATE audit_head SET last_event_id = 0, last_hash = :g, event_count = 0",
                              {"g": GENESIS_HASH})])
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 1 and "does not reach its checkpoint" in result.output


def test_verify_needs_the_checkpoint_once_there_are_events(client, admin, history, database_url, tmp_path,
                                                           monkeypatch):
    (tmp_path / "data" / "audit_checkpoint.json").unlink()
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 1 and "no checkpoint" in result.output


def test_verify_rejects_another_audit_key(client, admin, history, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_KEY", "not-the-key-the-trail-was-written-with")
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 1 and "keyed hash" in result.output


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET client_ip = '203.0.113.9'",
    "DELETE FROM audit_events",
    *(["TRUNCATE audit_events"] if USING_POSTGRES else []),
])
def test_the_database_refuses_changing_audit_rows(app, history, statement):
    with pytest.raises(sa.exc.DatabaseError, match="insert-only"):
        with app.state.engine.begin() as conn:
            conn.execute(sa.text(statement))
