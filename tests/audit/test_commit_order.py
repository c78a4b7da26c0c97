"""PostgreSQL: audited writers never wait for each other; events join the chain in commit order, keyed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import psycopg
import pytest

from tiemeasureflow.audit.chain import content_digest
from tiemeasureflow.config.server import audit_hmac_key
from tiemeasureflow.models import AuditEvent

from ..fixtures.database import USING_POSTGRES
from .test_audit import events, verify

NEXT_ID = "SELECT nextval(pg_get_serial_sequence('audit_events', 'id'))"
INSERT = ("INSERT INTO audit_events (id, occurred_at, actor_id, action, entity_type, entity_id, new_values, "
          "client_ip, content_hash) VALUES (%s, %s, NULL, 'import', 'plan', 'P-1', %s, '192.0.2.7', %s)")


def _event(settings, event_id: int, content_hash: str | None = None) -> tuple:
    """A writer's event as its transaction sends it, with the keyed content digest (or a forged one)."""
    event = AuditEvent(occurred_at=datetime.now(UTC), actor_id=None, actor_key_id=None, action="import",
                       entity_type="plan", entity_id="P-1", old_values=None, new_values={"rows": 3},
                       client_ip="192.0.2.7")
    digest = content_hash or content_digest(event, audit_hmac_key(settings))
    return event_id, event.occurred_at, json.dumps(event.new_values), digest


def _user(client, admin, name: str) -> None:
    res = client.post("/api/users", json={"username": name, "password": "password-1", "display_name": name},
                      headers=admin.headers)
    assert res.status_code == 201, res.text


if USING_POSTGRES:
    @pytest.fixture
    def pg_url(settings) -> str:
        return settings.resolved_database_url.replace("postgresql+psycopg://", "postgresql://", 1)

    def test_an_event_committed_late_with_a_lower_id_joins_the_chain_after_the_one_before_it(
            client, admin, settings, pg_url, database_url, tmp_path, monkeypatch):
        _user(client, admin, "ann")
        with psycopg.connect(pg_url) as slow:
            low = slow.execute(NEXT_ID).fetchone()[0]
            _user(client, admin, "ben")  # committed and sealed while the slow writer is still open
            slow.execute(INSERT, _event(settings, low))
            newest = events(client, admin)["items"][0]
            assert newest["action"] == "create" and newest["id"] > low and len(newest["hash"]) == 64
            slow.commit()
        _user(client, admin, "cid")  # its commit seals what is behind the watermark, the late event first
        listed = {e["id"]: e for e in events(client, admin)["items"]}
        assert all(e["hash"] for e in listed.values()) and listed[low]["action"] == "import"
        result = verify(database_url, tmp_path, monkeypatch)
        assert result.exit_code == 0, result.output
        assert f"intact: {len(listed)} events verified" in result.output

    def test_an_event_written_without_the_key_is_never_sealed_and_verify_names_it(
            client, admin, settings, pg_url, database_url, tmp_path, monkeypatch):
        _user(client, admin, "ann")
        with psycopg.connect(pg_url) as forger:
            forged = forger.execute(NEXT_ID).fetchone()[0]
            forger.execute(INSERT, _event(settings, forged, content_hash="0" * 64))
        _user(client, admin, "ben")
        listed = {e["id"]: e for e in events(client, admin)["items"]}
        assert listed[forged]["hash"] is None and max(listed) > forged and listed[max(listed)]["hash"] is None
        result = verify(database_url, tmp_path, monkeypatch)
        assert result.exit_code == 1 and f"BROKEN at event {forged}" in result.output

    def test_a_sealed_event_cannot_be_sealed_again(client, admin, pg_url):
        _user(client, admin, "ann")
        target = events(client, admin)["items"][0]["id"]
        with psycopg.connect(pg_url) as conn:
            with pytest.raises(psycopg.errors.RaiseException, match="insert-only"):
                conn.execute("UPDATE audit_events SET prev_hash = hash, seq = seq + 100 WHERE id = %s", (target,))
