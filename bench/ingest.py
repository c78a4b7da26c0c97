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

from tiemeasureflow.kit.bulk import MEASUREMENT_COLUMNS, RUN_COLUMNS, copy_rows
from tiemeasureflow.kit.db import SQLITE_SYNCHRONOUS, make_engine, make_sessionmaker

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
    """The same values as measurement rows, their runs inserted beforehand (untimed)."""
    engine = make_engine(url)
    session = make_sessionmaker(engine)()
    sqlite = url.startswith("sqlite")
    now = datetime.now(UTC)
    fmt_time = (lambda t: t.strftime("%Y-%m-%d %H:%M:%S.%f")) if sqlite else (lambda t: t.replace(tzinfo=None))
    runs, batches, next_id = [], [], 10_000_000
    for body in bodies:
        rows = []
        run_ids = {}
        for item in body["measurements"]:
            serial = "raw-" + item["serial_number"]
            if serial not in run_ids:
                rid = uuid.uuid4()
                run_ids[serial] = rid.hex if sqlite else rid
                runs.append((run_ids[serial], "station", plan["recipe_id"], plan["version_id"], plan["station_id"],
                             None, "SHAFT-042", serial, item["lot_number"], "pass", 1, fmt_time(now), fmt_time(now), False))
            next_id += 1
            at = fmt_time(now + timedelta(microseconds=next_id))
            rows.append((next_id, run_ids[serial], item["subtask_id"], plan["version_id"], item["subtask_id"], None,
                         item["value"], "pass", 0.0, item["lot_number"], serial, "usb_caliper", at, None, None))
        batches.append(rows)
    copy_rows(session, "runs", RUN_COLUMNS, runs)
    session.commit()
    session.close()
    engine.dispose()
    return batches


def _characteristic_ids(url: str, batches: list[list[tuple]]) -> list[list[tuple]]:
    # Rows above carry subtask ids in the characteristic column; map them to real characteristic ids.
    engine = make_engine(url)
    with engine.connect() as conn:
        mapping = dict(conn.exec_driver_sql("SELECT id, characteristic_id FROM subtasks").all())
    engine.dispose()
    return [[r[:4] + (mapping[r[4]],) + r[5:] for r in rows] for rows in batches]


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
        batches = [[(r[0], r[4], r[6], r[12]) for r in rows] for rows in batches]
    else:
        sql = f"INSERT INTO measurements ({', '.join(MEASUREMENT_COLUMNS)}) VALUES ({', '.join([mark] * 15)})"
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
            batches = _characteristic_ids(url, _raw_rows(url, plan, bodies))
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
