"""Two server processes on one database behave as one system: each alarm, webhook, CSV row and audit link once."""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor

import httpx

from .alarms.conftest import wait_for
from .alarms.receivers import WebhookReceiver
from .audit.test_audit import verify
from .fixtures.app import TEST_PEPPER
from .fixtures.live import one_at_a_time, servers

pytestmark = one_at_a_time

SECRET = "two-nodes-secret"
RUNS = 8


def _run(base: str, key: str, plan, station: str, n: int) -> list[int]:
    """One part measured through one node: the first characteristic out of tolerance (an alarm at once)."""
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as http:
        run = http.post("/api/runs", json={"recipe_id": plan.recipe_id, "serial_number": f"NODE-{n}",
                                           "station_code": station})
        assert run.status_code == 201, run.text
        ids = []
        for subtask_id, value in zip(plan.subtask_ids, (12.0, 20.0), strict=True):
            res = http.post(f"/api/runs/{run.json()['id']}/measurements", json={"subtask_id": subtask_id, "value": value})
            assert res.status_code == 201, res.text
            ids.append(res.json()["id"])
        assert http.post(f"/api/runs/{run.json()['id']}/finish", json={}).status_code == 200
        return ids


def test_two_server_processes_raise_deliver_sync_and_chain_once(database_url, tmp_path, plans, operator, admin,
                                                                metrologist, monkeypatch):
    plan, station = plans.recipe(), plans.station()
    sync_file = tmp_path / "sync" / "measurements.csv"
    env = {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER,
           "RATE_LIMIT_GENERAL": "1000000", "LOG_LEVEL": "warning", "CSV_SYNC_PATH": str(sync_file),
           "CSV_SYNC_INTERVAL_SECONDS": "0.2", "ALARM_INTERVAL_SECONDS": "0.1", "WEBHOOK_RETRY_SECONDS": "0.2"}
    with WebhookReceiver() as receiver, servers(2, env, tmp_path) as nodes:
        hook = httpx.post(f"{nodes[0]}/api/webhooks", headers=admin.headers, timeout=30,
                          json={"url": receiver.url, "secret": SECRET, "events": ["alarm.raised"]})
        assert hook.status_code == 201, hook.text
        with ThreadPoolExecutor(4) as pool:
            stored = [i for ids in pool.map(lambda n: _run(nodes[n % 2], operator.key, plan, station, n), range(RUNS))
                      for i in ids]

        def delivered():
            log = httpx.get(f"{nodes[1]}/api/webhooks/{hook.json()['id']}/deliveries", headers=admin.headers,
                            timeout=30).json()
            return log if log["total"] == RUNS and {d["status"] for d in log["items"]} == {"delivered"} else None

        wait_for(delivered, "every alarm delivered")
        raised = [e["data"]["id"] for e in receiver.verified(SECRET)]
        assert len(raised) == RUNS and len(set(raised)) == RUNS

        def synced():
            listed = httpx.get(f"{nodes[0]}/api/measurements/", headers=metrologist.headers, timeout=30,
                               params={"per_page": 100}).json()["items"]
            return all(m["synced_to_csv"] for m in listed) and len(listed) == len(stored)

        wait_for(synced, "every value in the CSV sync file")
    with sync_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    assert sorted(int(r[0]) for r in rows) == sorted(stored)
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
