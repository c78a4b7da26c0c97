"""HTTP helpers shared by the measurement and run tests."""

from __future__ import annotations

import json

import sqlalchemy as sa


def call(client, user, method: str, path: str, expected: int | None = None, **kwargs):
    """Call /api<path> as a user; assert the status when one is expected."""
    headers = {**(user.headers if user else {}), **kwargs.pop("headers", {})}
    res = client.request(method, f"/api{path}", headers=headers, **kwargs)
    if expected is not None:
        assert res.status_code == expected, (method, path, res.status_code, res.text)
    return res


def start_run(client, user, plan, station: str, serial: str = "SN-1", lot: str | None = "LOT-1",
              expected: int = 201, **extra) -> dict:
    """POST /api/runs for the plan's recipe."""
    body = {"recipe_id": plan.recipe_id, "serial_number": serial, "lot_number": lot, "station_code": station, **extra}
    return call(client, user, "POST", "/runs", expected, json=body).json()


def add(client, user, run_id: str, subtask_id: int, value, expected: int = 201, **extra) -> dict:
    """Store one value in a run."""
    body = {"subtask_id": subtask_id, "value": value, **extra}
    return call(client, user, "POST", f"/runs/{run_id}/measurements", expected, json=body).json()


def single(plan, subtask_index: int, value, serial: str = "SN-1", lot: str | None = "LOT-1", **extra) -> dict:
    """A reference-API measurement body for the plan's current version."""
    return {"subtask_id": plan.subtask_ids[subtask_index], "version_id": plan.version_id, "value": value,
            "serial_number": serial, "lot_number": lot, **extra}


def count_rows(app, table: str) -> int:
    """Rows in a table, counted with raw SQL."""
    with app.state.engine.connect() as conn:
        return conn.execute(sa.text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()


def audit_actions(app, entity_type: str) -> list[tuple[str, str]]:
    """(action, entity_id) of the audit events of one entity type, oldest first."""
    with app.state.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT action, entity_id FROM audit_events WHERE entity_type = :t ORDER BY id"),
                            {"t": entity_type})
        return [tuple(r) for r in rows]


def raw_json(payload) -> dict:
    """Request arguments sending a payload as JSON text (NaN and Infinity included, as some clients do)."""
    return {"content": json.dumps(payload), "headers": {"Content-Type": "application/json"}}
