"""A plant's load: 200 operators saving a value every 3 s (start, values, finish, next part) and 10 BI
readers paging the public API, for 60 s against one real server; p99 of saving a value, errors."""

from __future__ import annotations

import asyncio
import os
import random
import ssl
import time
from collections import defaultdict

import httpx

from .common import api_server, database, login, percentile, pg_available, report
from .fixtures import build_plant

OPERATORS = 200
READERS = 10
THINK_S = 3.0
SECONDS = int(os.environ.get("BENCH_PLANT_SECONDS", "60"))
SAVE = "POST /api/runs/{id}/measurements"
# Below the server's keep-alive timeout (uvicorn: 5 s): an operator idle for 3 s plus a slow answer
# must not reuse a connection the server is closing at that moment.
LIMITS = httpx.Limits(keepalive_expiry=2.0)
# One TLS context for every client: httpx builds a new one per client otherwise (about 19 ms of CPU
# each), and 210 of them built while the clock runs stalled the load generator's own event loop.
TLS = ssl.create_default_context()


async def _timed(stats, client: httpx.AsyncClient, route: str, method: str, url: str, **kw):
    """One request, timed; a connection failure counts as an error (status 599), not a crash."""
    start = time.perf_counter()
    try:
        res = await client.request(method, url, **kw)
    except httpx.TransportError:
        stats[route].append(((time.perf_counter() - start) * 1000, 599))
        return None
    stats[route].append(((time.perf_counter() - start) * 1000, res.status_code))
    return res


async def _operator(n: int, base: str, key: str, plan: dict, stats, deadline: float) -> None:
    rng = random.Random(n)
    # Operators do not work in step: each starts somewhere in the first part's cycle. (Started within
    # one think time, all 200 finished and started their parts in the same 3 s, every 15 s.)
    await asyncio.sleep(rng.uniform(0, THINK_S * len(plan["subtask_ids"])))
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, timeout=60, limits=LIMITS, verify=TLS) as client:
        part = 0
        while time.perf_counter() < deadline:
            part += 1
            res = await _timed(stats, client, "POST /api/runs", "POST", "/api/runs", json={
                "recipe_id": plan["recipe_id"], "serial_number": f"PLANT-{n:03d}-{part:04d}",
                "lot_number": f"PLANT-{n:03d}", "station_code": "ST-LATHE-1"})
            if res is None or res.status_code != 201:
                continue
            run_id = res.json()["id"]
            for subtask, nominal in zip(plan["subtask_ids"], plan["nominals"], strict=True):
                await asyncio.sleep(THINK_S)
                await _timed(stats, client, SAVE, "POST", f"/api/runs/{run_id}/measurements",
                             json={"subtask_id": subtask, "value": nominal + rng.gauss(0, 0.005),
                                   "input_method": "usb_caliper"})
            await _timed(stats, client, "POST /api/runs/{id}/finish", "POST", f"/api/runs/{run_id}/finish", json={})


async def _reader(base: str, key: str, stats, deadline: float) -> None:
    async with httpx.AsyncClient(base_url=f"{base}/integration/api/v1", headers={"X-API-KEY": key},
                                 timeout=60, limits=LIMITS, verify=TLS) as client:
        cursor = None
        while time.perf_counter() < deadline:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            res = await _timed(stats, client, "GET /integration/api/v1/test_run", "GET", "/test_run", params=params)
            cursor = res.headers.get("X-Next-Cursor") if res is not None else None
            await _timed(stats, client, "GET /integration/api/v1/tested_dut", "GET", "/tested_dut",
                         params={"limit": 100})


async def _drive(base: str, plan: dict) -> dict:
    key = login(base, "operator", "demo-operator")
    admin = login(base, "admin", "demo-admin")
    reader_key = httpx.post(f"{base}/api/integration-keys", json={"kind": "integration", "name": "plant"},
                            headers={"X-API-Key": admin}).json()["api_key"]
    stats: dict[str, list] = defaultdict(list)
    deadline = time.perf_counter() + SECONDS
    await asyncio.gather(*[_operator(i, base, key, plan, stats, deadline) for i in range(OPERATORS)],
                         *[_reader(base, reader_key, stats, deadline) for _ in range(READERS)])
    return stats


def run_on(kind: str) -> dict:
    """The plant's load on one database; print and write the figures."""
    with database(kind) as (url, data_dir):
        plan = build_plant(url, data_dir)
        with api_server(url, data_dir) as server:
            stats = asyncio.run(_drive(server.base_url, plan))
    table, figures = [], {"seconds": SECONDS, "operators": OPERATORS, "readers": READERS, "think_s": THINK_S,
                          "routes": {}, "database": kind}
    errors = 0
    for route, samples in sorted(stats.items()):
        ms = [s[0] for s in samples]
        failed = sum(1 for s in samples if s[1] >= 400)
        errors += failed
        figures["routes"][route] = {"requests": len(samples), "p50_ms": percentile(ms, 50),
                                    "p99_ms": percentile(ms, 99), "errors": failed}
        table.append([route, len(samples), percentile(ms, 50), percentile(ms, 99), failed])
    figures.update(errors=errors, save_p99_ms=figures["routes"].get(SAVE, {}).get("p99_ms"))
    report(f"plant_load_{kind}", f"Plant load for {SECONDS}s on {kind}: {OPERATORS} operators every {THINK_S:g} s, "
           f"{READERS} BI readers", ["route", "requests", "p50 ms", "p99 ms", "errors"], table, figures)
    return figures


def run() -> dict:
    """The plant's load on SQLite and, when it answers, PostgreSQL."""
    return {kind: run_on(kind) for kind in ["sqlite"] + (["postgresql"] if pg_available() else [])}


if __name__ == "__main__":
    run()
