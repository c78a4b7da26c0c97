"""Ingest: POST /api/measurements/batch (100 per request) on a real server vs the raw database.

Baselines, on the same rows: executemany + a commit per 100 into the project's own `measurements`
table (all its indexes and triggers), and into a bare table with one index (the hardware's limit).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
from sqlalchemy import text

from tiemeasureflow.kit.bulk import copy_rows
from tiemeasureflow.kit.db import SQLITE_SYNCHRONOUS, make_engine, make_sessionmaker
from tiemeasureflow.runs.layouts import MEASUREMENTS, RUNS

from .common import api_server, database, login, pg_available, report
from .fixtures import build_plant

BATCHES = 150
PER_BATCH = 100
BARE_DDL = ("CREATE TABLE bare_measurements (id BIGINT PRIMARY KEY, characteristic_id INTEGER, value DOUBLE PRECISION,"
            " measured_at TIMESTAMP)", "CREATE INDEX ix_bare ON bare_measurements (characteristic_id, measured_at)")


def _payloads(plan: dict, tag: str, batches: int = BATCHES) -> list[dict]:
    """BATCHES request bodies; each measures 100 values over whole parts."""
    per_part = len(plan["subtask_ids"])
    bodies = []
    for b in range(batches):
        items = []
        for i in range(PER_BATCH):
            part, k = divmod(i, per_part)
            items.append({"subtask_id": plan["subtask_ids"][k], "version_id": plan["version_id"],
                          "value": plan["nominals"][k] + (i % 7 - 3) * 0.001, "lot_number": f"LOT-{tag}",
                          "serial_number": f"{tag}-{b:04d}-{part:03d}", "input_method": "usb_caliper"})
        bodies.append({"measurements": items})
    return bodies


def _api_rate(base: str, bodies: list[dict]) -> float:
    key = login(base, "operator", "demo-operator")
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as client:
        start = time.perf_counter()
        for body in bodies:
            client.post("/api/measurements/batch", json=body).raise_for_status()
        elapsed = time.perf_counter() - start
    return BATCHES * PER_BATCH / elapsed


def _raw_rows(url: str, plan: dict, bodies: list[dict]) -> list[list[tuple]]:
    """The same values as measurement rows in the driver's form, their runs inserted beforehand (untimed)."""
    engine = make_engine(url)
    session = make_sessionmaker(engine)()
    characteristics = dict(session.execute(text("SELECT id, characteristic_id FROM subtasks")).all())
    now = datetime.now(UTC)
    runs, batches, next_id = [], [], 10_000_000
    for body in bodies:
        rows = []
        run_ids: dict[str, uuid.UUID] = {}
        for item in body["measurements"]:
            serial = "raw-" + item["serial_number"]
            if serial not in run_ids:
                run_ids[serial] = uuid.uuid4()
                runs.append({"id": run_ids[serial], "recipe_id": plan["recipe_id"], "version_id": plan["version_id"],
                             "station_id": plan["station_id"], "part_number": "SHAFT-042", "serial_number": serial,
                             "lot_number": item["lot_number"], "status": "pass", "started_at": now, "finished_at": now})
            next_id += 1
            rows.append({"id": next_id, "run_id": run_ids[serial], "subtask_id": item["subtask_id"],
                         "version_id": plan["version_id"], "characteristic_id": characteristics[item["subtask_id"]],
                         "value": item["value"], "pass_fail": "pass", "deviation": 0.0, "lot_number": item["lot_number"],
                         "serial_number": serial, "input_method": "usb_caliper",
                         "measured_at": now + timedelta(microseconds=next_id)})
        batches.append(MEASUREMENTS.rows(session, rows))
    copy_rows(session, RUNS, RUNS.rows(session, runs))
    session.commit()
    session.close()
    engine.dispose()
    return batches


def _raw_rate(url: str, batches: list[list[tuple]], bare: bool) -> float:
    sqlite = url.startswith("sqlite")
    if sqlite:
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        # The connection settings the project's engine uses (tiemeasureflow.kit.db): the table's
        # foreign keys are part of what an insert into it costs, as they are on PostgreSQL.
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        conn.execute("PRAGMA foreign_keys=ON")
        mark = "?"
    else:
        conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        mark = "%s"
    if bare:
        for ddl in BARE_DDL:
            conn.execute(ddl.replace("DOUBLE PRECISION", "REAL") if sqlite else ddl)
        if not sqlite:
            conn.commit()
        sql = f"INSERT INTO bare_measurements VALUES ({', '.join([mark] * 4)})"
        bare_columns = [MEASUREMENTS.names.index(c) for c in ("id", "characteristic_id", "value", "measured_at")]
        batches = [[tuple(r[i] for i in bare_columns) for r in rows] for rows in batches]
    else:
        sql = (f"INSERT INTO measurements ({', '.join(MEASUREMENTS.names)}) "
               f"VALUES ({', '.join([mark] * len(MEASUREMENTS.names))})")
    start = time.perf_counter()
    for rows in batches:
        if sqlite:
            conn.execute("BEGIN")
            conn.executemany(sql, rows)
            conn.execute("COMMIT")
        else:
            with conn.cursor() as cur:
                cur.executemany(sql, rows)
            conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return sum(len(r) for r in batches) / elapsed


def run() -> dict:
    """Measure every available database; print and write the figures."""
    figures, rows = {}, []
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    for kind in kinds:
        with database(kind) as (url, data_dir):
            plan = build_plant(url, data_dir)
            bodies = _payloads(plan, "api")
            with api_server(url, data_dir) as server:
                api = _api_rate(server.base_url, bodies)
            batches = _raw_rows(url, plan, bodies)
            raw = _raw_rate(url, batches, bare=False)
            bare = _raw_rate(url, batches, bare=True)
        figures[kind] = {"api_per_s": api, "raw_project_table_per_s": raw, "raw_bare_table_per_s": bare,
                         "api_vs_raw": api / raw, "api_vs_bare": api / bare, "measurements": BATCHES * PER_BATCH}
        rows.append([kind, api, raw, bare, api / raw, api / bare])
    report("ingest", "Ingest: measurements per second (100 per request / commit)",
           ["database", "API batch", "raw, project table", "raw, bare table", "API/raw", "API/bare"], rows, figures)
    return figures


if __name__ == "__main__":
    run()
