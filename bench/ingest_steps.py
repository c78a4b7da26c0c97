"""Where the time of one POST /api/measurements/batch goes: wall time per step, in process.

The application runs in this process (Starlette's TestClient, the same app `tmf serve` builds),
its steps wrapped with timers: the route's service call and, inside it, the plan lookups, the gauge
check, the inserts (runs, values, the device index), the audit event, the response, the commit
and the audit seal. What is left of the request's wall time is HTTP, JSON, validation of the 100
items, the key check and the test client itself. Alarm detection is off (it runs after commit, in
the background). Figures are means per request over BATCHES requests after WARMUP.
"""

from __future__ import annotations

import functools
import os
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .common import database, pg_available, report, server_env
from .fixtures import build_plant
from .ingest import PER_BATCH, _payloads

BATCHES = int(os.environ.get("BENCH_INGEST_STEPS_BATCHES", "300"))
WARMUP = 30
REQUEST = "request, as the client saw it"
# (module, function, label): the steps timed, in the order a request passes them.
STEPS = [
    ("writes", "create_batch", "service: the whole batch"),
    ("writes", "_version_and_specs", "  plan lookups (version, recipe, characteristics)"),
    ("writes", "check_gauges", "  gauge check"),
    ("batch", "allocate_measurement_ids", "  measurement ids"),
    ("batch", "copy_rows", "  inserts: runs and values"),
    ("batch", "note_runs", "  device index upsert"),
    ("batch", "record", "  audit event"),
    ("routes", "fresh_responses", "response rows"),
    ("session", "commit", "commit (with the checkpoint)"),
    ("sealer", "_seal", "audit seal (PostgreSQL, after the answer)"),
]


def _timed(owner: Any, name: str, label: str, spent: dict[str, float]) -> Callable[[], None]:
    """Wrap owner.name with a timer adding to spent[label]; returns the undo."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    setattr(owner, name, timed)
    return lambda: setattr(owner, name, original)


def _measure(kind: str) -> dict[str, float]:
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    from tiemeasureflow.app import create_app
    from tiemeasureflow.audit import sealer
    from tiemeasureflow.runs import batch, measurement_routes, measurement_writes

    spent: dict[str, float] = defaultdict(float)
    owners = {"writes": measurement_writes, "batch": batch, "routes": measurement_routes, "session": Session,
              "sealer": sealer}
    steps = [(owners[owner], name, label) for owner, name, label in STEPS]
    with database(kind) as (url, data_dir):
        plan = build_plant(url, data_dir)
        saved = dict(os.environ)
        os.environ.update(server_env(url, data_dir, ALARM_DETECTION="false"))
        undo = [_timed(owner, name, label, spent) for owner, name, label in steps]
        try:
            app = create_app()
            bodies = _payloads(plan, "steps", BATCHES + WARMUP)
            with TestClient(app) as client:
                login = client.post("/api/auth/login", json={"username": "operator", "password": "demo-operator"})
                headers = {"X-API-Key": login.json()["api_key"]}
                for body in bodies[:WARMUP]:
                    client.post("/api/measurements/batch", json=body, headers=headers).raise_for_status()
                spent.clear()
                start = time.perf_counter()
                for body in bodies[WARMUP:]:
                    client.post("/api/measurements/batch", json=body, headers=headers).raise_for_status()
                spent[REQUEST] = time.perf_counter() - start
            app.state.engine.dispose()
        finally:
            for restore in undo:
                restore()
            os.environ.clear()
            os.environ.update(saved)
    return {label: seconds / BATCHES * 1000 for label, seconds in spent.items()}


def run() -> dict:
    """Per-step milliseconds of a batch of 100 on each available database; print and write them."""
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    figures = {kind: _measure(kind) for kind in kinds}
    labels = [REQUEST, *(label for _, _, label in STEPS)]
    rows = [[label, *[figures[kind].get(label, 0.0) for kind in kinds]] for label in labels]
    report("ingest_steps", f"Batch of {PER_BATCH}: milliseconds per request, by step (in process)",
           ["step", *kinds], rows, figures)
    return figures


if __name__ == "__main__":
    run()
