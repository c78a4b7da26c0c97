"""Public API paging over a million runs: first page, deep by cursor, deep by offset, tested_dut."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.orm import Session

from tiemeasureflow.db import make_engine, make_sessionmaker
from tiemeasureflow.demodata.bulk import RUN_COLUMNS, copy_rows, formats_for

from .common import api_server, database, percentile, pg_available, report
from .fixtures import build_plant

RUNS = 1_000_000
DEVICES_EVERY = 4  # every fourth run is a retest of the previous serial
SAMPLES = 60
CHUNK = 50_000


def _fill(url: str, plan: dict) -> None:
    """A million finished runs of one part and their device index, inserted in bulk."""
    engine = make_engine(url)
    session: Session = make_sessionmaker(engine)()
    fmt = formats_for(session)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    statuses = ("pass", "pass", "pass", "warning", "fail")
    duts: dict[str, tuple] = {}
    for base in range(0, RUNS, CHUNK):
        rows = []
        for i in range(base, min(RUNS, base + CHUNK)):
            retest = i % DEVICES_EVERY == 1
            serial = f"SN{i - retest:08d}"
            at = start + timedelta(seconds=30 * i)
            rid = fmt.uuid(uuid.UUID(int=i + 1, version=4))
            rows.append((rid, "station", plan["recipe_id"], plan["version_id"], plan["station_id"], None,
                         "SHAFT-042", serial, f"LOT{i // 500:05d}", statuses[i % 5], 1 + retest, fmt.time(at),
                         fmt.time(at + timedelta(seconds=25)), False))
            duts[serial] = ("SHAFT-042", serial, rid, fmt.time(at), 1 + retest)
        copy_rows(session, "runs", RUN_COLUMNS, rows)
    copy_rows(session, "tested_duts", ("part_number", "serial_number", "last_run_id", "last_started_at",
                                        "attempt_count"), list(duts.values()))
    session.commit()
    session.close()
    engine.dispose()


def _latencies(client: httpx.Client, path: str, params: dict) -> list[float]:
    out = []
    for _ in range(SAMPLES):
        start = time.perf_counter()
        client.get(path, params=params).raise_for_status()
        out.append((time.perf_counter() - start) * 1000)
    return out


def run() -> dict:
    """Measure every available database; print and write the figures."""
    figures, table = {}, []
    for kind in ["sqlite"] + (["postgresql"] if pg_available() else []):
        with database(kind) as (url, data_dir):
            plan = build_plant(url, data_dir)
            _fill(url, plan)
            with api_server(url, data_dir) as server:
                key = httpx.post(f"{server.base_url}/api/integration-keys", json={"kind": "integration", "name": "b"},
                                 headers={"X-API-Key": _admin_key(server.base_url)}).json()["api_key"]
                with httpx.Client(base_url=f"{server.base_url}/integration/api/v1",
                                  headers={"X-API-KEY": key}, timeout=60) as client:
                    deep = client.get("/test_run", params={"limit": 100, "offset": RUNS - 1000})
                    cursor = deep.headers["X-Next-Cursor"]
                    cases = {
                        "test_run first page": ("/test_run", {"limit": 100}),
                        "test_run deep, cursor": ("/test_run", {"limit": 100, "cursor": cursor}),
                        "test_run deep, offset": ("/test_run", {"limit": 100, "offset": RUNS - 1000}),
                        "tested_dut first page": ("/tested_dut", {"limit": 100}),
                    }
                    for name, (path, params) in cases.items():
                        ms = _latencies(client, path, params)
                        p50, p99 = percentile(ms, 50), percentile(ms, 99)
                        figures.setdefault(kind, {})[name] = {"p50_ms": p50, "p99_ms": p99}
                        table.append([kind, name, p50, p99])
    report("public_api", f"Public API over {RUNS:,} runs: latency in ms ({SAMPLES} requests each)",
           ["database", "request", "p50 ms", "p99 ms"], table, figures)
    return figures


def _admin_key(base: str) -> str:
    from .common import login

    return login(base, "admin", "demo-admin")


if __name__ == "__main__":
    run()
