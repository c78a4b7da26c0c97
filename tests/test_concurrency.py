"""Bursts against a real server: more concurrent requests than it has worker threads, none lost or failed."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

from .fixtures.app import TEST_PEPPER
from .fixtures.live import one_at_a_time, servers

pytestmark = one_at_a_time

# More than the server's worker threads (40): waiting for the database must not take them all.
OPERATORS = 60
READERS = 20


async def _operator(client: httpx.AsyncClient, n: int, plan, station: str) -> list[int]:
    start = await client.post("/api/runs", json={"recipe_id": plan.recipe_id, "serial_number": f"BURST-{n:03d}",
                                                 "station_code": station})
    codes = [start.status_code]
    if start.status_code != 201:
        return codes
    run_id = start.json()["id"]
    for subtask_id, spec in zip(plan.subtask_ids, plan.subtasks, strict=True):
        res = await client.post(f"/api/runs/{run_id}/measurements",
                                json={"subtask_id": subtask_id, "value": spec["nominal"], "input_method": "manual"})
        codes.append(res.status_code)
    codes.append((await client.post(f"/api/runs/{run_id}/finish", json={})).status_code)
    return codes


async def _burst(base: str, operator_key: str, reader_key: str, plan, station: str) -> tuple[list, list]:
    limits = httpx.Limits(max_connections=OPERATORS + READERS)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": operator_key}, timeout=120,
                                 limits=limits) as writers, \
            httpx.AsyncClient(base_url=base, headers={"X-API-Key": reader_key}, timeout=120, limits=limits) as readers:
        writes = asyncio.gather(*[_operator(writers, n, plan, station) for n in range(OPERATORS)])
        reads = asyncio.gather(*[readers.get("/api/runs", params={"per_page": 10}) for _ in range(READERS)])
        return await writes, [r.status_code for r in await reads]


def test_a_burst_beyond_the_worker_threads_is_served_completely(database_url, tmp_path, plans, operator,
                                                                 metrologist):
    plan = plans.recipe()
    station = plans.station()
    env = {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER,
           "RATE_LIMIT_GENERAL": "1000000", "LOG_LEVEL": "warning"}
    with servers(1, env, tmp_path) as (base,):
        # Its own thread and event loop: other tests (the browser's) may leave one running in this thread.
        with ThreadPoolExecutor(1) as pool:
            writes, reads = pool.submit(asyncio.run, _burst(base, operator.key, metrologist.key, plan, station)).result()
        finished = httpx.get(f"{base}/api/runs", params={"per_page": 100, "status": "pass"},
                             headers=metrologist.headers, timeout=30).json()
    expected = [201] + [201] * len(plan.subtask_ids) + [200]
    assert [codes for codes in writes if codes != expected] == []
    assert reads == [200] * READERS
    assert sorted(r["serial_number"] for r in finished["items"]) == [f"BURST-{n:03d}" for n in range(OPERATORS)]


def test_a_waiting_writer_goes_before_readers_that_arrive_after_it():
    """Saves do not queue behind a reader paging as fast as it can: new readers wait for queued writers."""
    from tiemeasureflow.kit.admission import admitted

    order: list[str] = []

    async def enter(name: str, write: bool, hold: asyncio.Event) -> None:
        async with admitted(write, writers=1):
            order.append(name)
            await hold.wait()

    async def scenario() -> None:
        first, second, reader = asyncio.Event(), asyncio.Event(), asyncio.Event()
        tasks = [asyncio.create_task(enter("writer 1", True, first))]
        await asyncio.sleep(0.01)
        tasks.append(asyncio.create_task(enter("writer 2", True, second)))  # queued behind writer 1
        await asyncio.sleep(0.01)
        tasks.append(asyncio.create_task(enter("reader", False, reader)))
        await asyncio.sleep(0.05)
        assert order == ["writer 1"]  # the reader waits while writer 2 is queued
        first.set()
        await asyncio.sleep(0.05)
        # Writer 2 is in; with no writer queued the reader is admitted beside it.
        assert order == ["writer 1", "writer 2", "reader"]
        second.set(), reader.set()
        await asyncio.gather(*tasks)

    # A loop of its own in a thread of its own: a browser test may leave a loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()


def test_reads_of_history_are_admitted_a_few_at_a_time_and_plain_reads_beside_them():
    """BI pages and reports take the interpreter from the saves: a process runs MAX_HISTORY_READERS at once."""
    from tiemeasureflow.kit.admission import MAX_HISTORY_READERS, admitted

    order: list[str] = []

    async def enter(name: str, history: bool, hold: asyncio.Event) -> None:
        async with admitted(False, history=history):
            order.append(name)
            await hold.wait()

    async def scenario() -> None:
        release = asyncio.Event()
        history = [asyncio.create_task(enter(f"history {n}", True, release)) for n in range(MAX_HISTORY_READERS + 2)]
        await asyncio.sleep(0.05)
        plain = asyncio.create_task(enter("station page", False, release))
        await asyncio.sleep(0.05)
        assert order == [f"history {n}" for n in range(MAX_HISTORY_READERS)] + ["station page"]
        release.set()
        await asyncio.gather(*history, plain)
        assert len(order) == MAX_HISTORY_READERS + 3

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()


def test_the_routes_that_read_history_are_the_ones_admitted_as_such(app):
    """Statistics, reports and the public API's lists read history; the station's own reads do not."""
    from fastapi.testclient import TestClient
    from starlette.requests import Request

    from tiemeasureflow.auth.deps import reads_history

    scopes: list[dict] = []

    async def recording(scope, receive, send):
        scopes.append(scope)  # routing marks the scope with the route it chose
        await app(scope, receive, send)

    def route_reads_history(client: TestClient, path: str) -> bool:
        assert client.get(path).status_code == 401  # routed and admitted; no key given
        return reads_history(Request(scopes[-1]))

    with TestClient(recording) as client:
        assert route_reads_history(client, "/integration/api/v1/test_run")
        assert route_reads_history(client, "/api/statistics/capability")
        assert not route_reads_history(client, "/api/runs")
        assert not route_reads_history(client, "/api/recipes")
