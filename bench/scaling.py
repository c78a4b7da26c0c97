"""Write scaling on PostgreSQL: POST /api/measurements/batch from concurrent clients against `tmf serve
--workers 1, 2, 4` (Redis shared for rate limits): measurements/s, the ratio to one worker, and the CPU
seconds each party used (server processes, PostgreSQL, the load generator), so the figures can be read
for a machine with more cores."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from .common import api_server, database, login, pg_available, report
from .cpu import sample, used
from .fixtures import build_plant
from .ingest import PER_BATCH, _payloads

WORKERS = (1, 2, 4)
CLIENTS = 8
BATCHES = int(os.environ.get("BENCH_SCALING_BATCHES", "240"))
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def _drive(base: str, bodies: list[dict]) -> float:
    """Post every body from CLIENTS threads at once; measurements per second."""
    key = login(base, "operator", "demo-operator")
    shares = [bodies[i::CLIENTS] for i in range(CLIENTS)]

    def client(share: list[dict]) -> None:
        with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=120) as http:
            for body in share:
                http.post("/api/measurements/batch", json=body).raise_for_status()

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, shares))
    return len(bodies) * PER_BATCH / (time.perf_counter() - start)


def run() -> dict:
    """Measure 1, 2 and 4 workers on PostgreSQL; print and write the figures."""
    if not pg_available():
        return {}
    figures, rows, base_rate = {}, [], None
    with database("postgresql") as (url, data_dir):
        plan = build_plant(url, data_dir)
        for workers in WORKERS:
            bodies = _payloads(plan, f"w{workers}", BATCHES)
            with api_server(url, data_dir, workers=workers, RATE_LIMIT_STORAGE_URL=REDIS) as server:
                _drive(server.base_url, _payloads(plan, f"warm{workers}", CLIENTS))  # every worker warmed up
                before = sample(server.pid)
                rate = _drive(server.base_url, bodies)
                cpu = used(before, sample(server.pid))
            base_rate = base_rate or rate
            per_k = {party: seconds / (len(bodies) * PER_BATCH / 1000) for party, seconds in cpu.items()}
            figures[str(workers)] = {"measurements_per_s": rate, "ratio_to_one_worker": rate / base_rate,
                                     "cpu_s": cpu, "cpu_ms_per_1000_values": {k: v * 1000 for k, v in per_k.items()}}
            rows.append([workers, CLIENTS, rate, rate / base_rate, cpu["server"], cpu["postgres"],
                         cpu["load generator"]])
    figures.update(clients=CLIENTS, batches=BATCHES, per_batch=PER_BATCH, cores=os.cpu_count())
    report("scaling", f"Write scaling on PostgreSQL: {CLIENTS} clients, {BATCHES} batches of {PER_BATCH}",
           ["workers", "clients", "measurements/s", "vs 1 worker", "CPU s server", "CPU s PostgreSQL",
            "CPU s load generator"], rows, figures)
    return figures


if __name__ == "__main__":
    run()
