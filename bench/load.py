"""Load: 50 simulated operators (start run, values one by one, finish) and 5 BI readers paging the
public API, for 60 seconds against one real server: requests per second, p50/p99 per route, 5xx count."""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict

import httpx

from .common import api_server, database, login, percentile, pg_available, report
from .fixtures import build_plant

OPERATORS = 50
READERS = 5
SECONDS = 60


async def _timed(stats, client: httpx.AsyncClient, route: str, method: str, url: str, **kw) -> httpx.Response:
    start = time.perf_counter()
    res = await client.request(method, url, **kw)
    stats[route].append(((time.perf_counter() - start) * 1000, res.status_code))
    return res


async def _operator(n: int, base: str, key: str, plan: dict, stats, deadline: float) -> None:
    rng = random.Random(n)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, timeout=60) as client:
        part = 0
        while time.perf_counter() < deadline:
            part += 1
            res = await _timed(stats, client, "POST /api/runs", "POST", "/api/runs", json={
                "recipe_id": plan["recipe_id"], "serial_number": f"LOAD-{n:02d}-{part:05d}",
                "lot_number": f"LOAD-{n:02d}", "station_code": "ST-LATHE-1"})
            if res.status_code != 201:
                continue
            run_id = res.json()["id"]
            for subtask, nominal in zip(plan["subtask_ids"], plan["nominals"], strict=False):
                await _timed(stats, client, "POST /api/runs/{id}/measurements", "POST",
                             f"/api/runs/{run_id}/measurements",
                             json={"subtask_id": subtask, "value": nominal + rng.gauss(0, 0.005),
                                   "input_method": "usb_caliper"})
            await _timed(stats, client, "POST /api/runs/{id}/finish", "POST", f"/api/runs/{run_id}/finish", json={})


async def _reader(base: str, key: str, stats, deadline: float) -> None:
    async with httpx.AsyncClient(base_url=f"{base}/integration/api/v1", headers={"X-API-KEY": key},
                                 timeout=60) as client:
        cursor = None
        while time.perf_counter() < deadline:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            res = await _timed(stats, client, "GET /integration/api/v1/test_run", "GET", "/test_run", params=params)
            cursor = res.headers.get("X-Next-Cursor")
            await _timed(stats, client, "GET /integration/api/v1/tested_dut", "GET", "/tested_dut",
                         params={"limit": 100})


async def _drive(base: str, plan: dict) -> dict:
    keys = [login(base, "operator", "demo-operator") for _ in range(OPERATORS)]
    admin = login(base, "admin", "demo-admin")
    reader_key = httpx.post(f"{base}/api/integration-keys", json={"kind": "integration", "name": "load"},
                            headers={"X-API-Key": admin}).json()["api_key"]
    stats: dict[str, list] = defaultdict(list)
    deadline = time.perf_counter() + SECONDS
    await asyncio.gather(*[_operator(i, base, keys[i], plan, stats, deadline) for i in range(OPERATORS)],
                         *[_reader(base, reader_key, stats, deadline) for _ in range(READERS)])
    return stats


def run_on(kind: str) -> dict:
    """Run the load on one database; print and write the figures."""
    with database(kind) as (url, data_dir):
        plan = build_plant(url, data_dir)
        with api_server(url, data_dir) as server:
            stats = asyncio.run(_drive(server.base_url, plan))
    table, figures = [], {"seconds": SECONDS, "operators": OPERATORS, "readers": READERS, "routes": {}}
    total = errors = 0
    for route, samples in sorted(stats.items()):
        ms = [s[0] for s in samples]
        five = sum(1 for s in samples if s[1] >= 500)
        total, errors = total + len(samples), errors + five
        figures["routes"][route] = {"requests": len(samples), "p50_ms": percentile(ms, 50),
                                    "p99_ms": percentile(ms, 99), "5xx": five}
        table.append([route, len(samples), percentile(ms, 50), percentile(ms, 99), five])
    figures.update(requests_per_s=total / SECONDS, total_5xx=errors, database=kind)
    table.append(["all routes", total, f"{total / SECONDS:.1f} req/s", "", errors])
    report(f"load_{kind}", f"Load for {SECONDS}s on {kind}: {OPERATORS} operators, {READERS} BI readers",
           ["route", "requests", "p50 ms", "p99 ms", "5xx"], table, figures)
    return figures


def run() -> dict:
    """The load on SQLite and, when it answers, PostgreSQL."""
    return {kind: run_on(kind) for kind in ["sqlite"] + (["postgresql"] if pg_available() else [])}


if __name__ == "__main__":
    run()
