"""`make bench-large`: years of history on PostgreSQL, seeded by `tmf demo-data`, answering SPC and the public API.

BENCH_LARGE_VALUES measurements (default 50,000,000: 15-25 GB of disk, hours to seed) over
BENCH_LARGE_DAYS days (default 730: two years of monthly partitions) go into a new database through
`tmf demo-data`, whose rate is recorded. A real `tmf serve` then answers, SAMPLES times each:
- the control chart of the busiest characteristic, last 125 subgroups of 5 (target p95 < 300 ms),
  cold (a new value of another characteristic first, so the series is read again) and warm;
- capability over its newest 10,000 values (target < 1 s, cold);
- public API test_run pages 90 % deep through the history by cursor, and the failed cases of the
  runs on such a page (target p99 < 25 ms);
- the CSV export of the last full month, against csv.writer over a raw cursor of the same rows.
BENCH_LARGE_DATABASE=name keeps the database (reused, not seeded again, when it already holds values).
Not part of `make bench` or CI.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

from tiemeasureflow.public_api.paging import encode_cursor

from .common import PG_SERVER, _migrate, api_server, login, percentile, report, server_env
from .export import HEADER, RAW_SQL, _raw_export

VALUES = int(os.environ.get("BENCH_LARGE_VALUES", 50_000_000))
DAYS = int(os.environ.get("BENCH_LARGE_DAYS", 730))
KEEP = os.environ.get("BENCH_LARGE_DATABASE")
SAMPLES = int(os.environ.get("BENCH_LARGE_SAMPLES", 40))
VALUES_PER_RUN = 3.5
RUN_COLUMNS = "run_id, subtask_id, version_id, characteristic_id, measured_by, value, pass_fail, input_method"


def _database() -> tuple[str, str, bool]:
    """(SQLAlchemy URL, driver URL, whether it already holds values)."""
    name = KEEP or f"tmf_large_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
    driver = PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    url = driver.replace("postgresql://", "postgresql+psycopg://", 1)
    _migrate(url)
    with psycopg.connect(driver) as conn:
        seeded = conn.execute("SELECT EXISTS (SELECT 1 FROM measurements)").fetchone()[0]
    return url, driver, bool(seeded)


def _seed(url: str, driver: str, data_dir: Path) -> dict:
    """Run `tmf demo-data` and read its rate; then VACUUM ANALYZE as autovacuum would soon after."""
    tmf = str(Path(sys.executable).with_name("tmf"))
    start = time.perf_counter()
    done = subprocess.run([tmf, "demo-data", "--runs", str(max(1, round(VALUES / VALUES_PER_RUN))), "--days", str(DAYS)],
                          env=server_env(url, data_dir, COLUMNS="200"), capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)
    rate = re.search(r"\(([\d,]+) measurements/s\)", done.stdout)
    start = time.perf_counter()
    with psycopg.connect(driver, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {"demo_data_wall_s": wall, "history_values_per_s": int(rate.group(1).replace(",", "")) if rate else None,
            "vacuum_analyze_s": time.perf_counter() - start}


def _facts(driver: str) -> dict:
    """The busiest characteristic of the last full month, its plan, the history's span and size."""
    with psycopg.connect(driver, autocommit=True) as conn:
        first, last, count = conn.execute("SELECT min(measured_at), max(measured_at), count(*) FROM measurements "
                                          ).fetchone()
        month_end = date(last.year, last.month, 1)
        month_start = (month_end - timedelta(days=1)).replace(day=1)
        char = conn.execute("SELECT characteristic_id FROM measurements WHERE measured_at >= %s AND measured_at < %s "
                            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", (month_start, month_end)).fetchone()[0]
        recipe, subtask = conn.execute(
            "SELECT v.recipe_id, s.id FROM subtasks s JOIN tasks t ON t.id = s.task_id "
            "JOIN recipe_versions v ON v.id = t.version_id JOIN recipes r ON r.current_version_id = v.id "
            "WHERE s.characteristic_id = %s", (char,)).fetchone()
        char_values = conn.execute("SELECT count(*) FROM measurements WHERE characteristic_id = %s", (char,)).fetchone()[0]
        # The newest 10,000 values (all of them in a small database).
        since = conn.execute("SELECT measured_at FROM measurements WHERE characteristic_id = %s "
                             "ORDER BY measured_at DESC OFFSET %s LIMIT 1", (char, min(9999, char_values - 1))).fetchone()[0]
        other = conn.execute("SELECT id FROM measurements WHERE characteristic_id <> %s AND supersedes_id IS NULL "
                             "ORDER BY id DESC LIMIT 1", (char,)).fetchone()[0]
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        parts = conn.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'measurements'::regclass").fetchone()[0]
    return {"values": count, "first": first, "last": last, "month": (month_start, month_end), "recipe": recipe,
            "subtask": subtask, "since": since, "other": other, "database_gib": size / 2**30, "partitions": parts,
            "characteristic_values": char_values}


class Invalidator:
    """A new value of another characteristic (a new highest id): the next statistics request reads afresh."""

    def __init__(self, driver: str, source: int):
        self.conn, self.source = psycopg.connect(driver, autocommit=True), source

    def __call__(self) -> None:
        self.conn.execute(f"INSERT INTO measurements ({RUN_COLUMNS}, measured_at) SELECT {RUN_COLUMNS}, "
                          "now() AT TIME ZONE 'UTC' FROM measurements WHERE id = %s", (self.source,))


def _ms(client: httpx.Client, path: str, params: dict, before=None) -> float:
    if before:
        before()
    start = time.perf_counter()
    client.get(path, params=params).raise_for_status()
    return (time.perf_counter() - start) * 1000


def _series(client, path, params, before=None) -> dict:
    _ms(client, path, params)  # first call of the process: imports, plan cache
    got = [_ms(client, path, params, before) for _ in range(SAMPLES)]
    return {"p50_ms": percentile(got, 50), "p95_ms": percentile(got, 95), "p99_ms": percentile(got, 99)}


def _iso(value: datetime) -> str:
    return value.replace(tzinfo=UTC).isoformat()


def _deep_cursor(client: httpx.Client, driver: str, f: dict) -> str:
    """A cursor 90 % through the runs in start order, carrying the total and scope of the API's own first cursor."""
    first = client.get("/test_run", params={"limit": 100})
    first.raise_for_status()
    raw = first.headers["X-Next-Cursor"]
    payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    at = f["first"] + (f["last"] - f["first"]) * 0.9
    with psycopg.connect(driver) as conn:
        started, run_id = conn.execute("SELECT started_at, id FROM runs WHERE started_at >= %s AND status <> "
                                       "'in_progress' ORDER BY started_at, id LIMIT 1", (at,)).fetchone()
    return encode_cursor("test_run", "asc", started.replace(tzinfo=UTC), run_id, payload["n"], payload["s"])


def _public_api(base: str, driver: str, f: dict) -> dict:
    admin = login(base, "admin", "demo-admin")
    key = httpx.post(f"{base}/api/integration-keys", json={"kind": "integration", "name": "large"},
                     headers={"X-API-Key": admin}).json()["api_key"]
    with httpx.Client(base_url=f"{base}/integration/api/v1", headers={"X-API-KEY": key}, timeout=120) as client:
        cursor = _deep_cursor(client, driver, f)
        params = {"limit": 100, "cursor": cursor}
        page = _series(client, "/test_run", params)
        runs = [r["test_run_id"] for r in client.get("/test_run", params=params).json()]
        _ms(client, f"/test_run/{runs[0]}/failed_case", {})
        cases = [_ms(client, f"/test_run/{rid}/failed_case", {}) for rid in runs[:SAMPLES]]
    return {"deep_cursor_page": page, "failed_case": {"p50_ms": percentile(cases, 50),
                                                      "p99_ms": percentile(cases, 99)}}


def _export(base: str, driver: str, f: dict) -> dict:
    key = login(base, "metrologist", "demo-metrologist")
    start_m, end_m = f["month"]
    params = {"date_from": _iso(datetime.combine(start_m, datetime.min.time())),
              "date_to": _iso(datetime.combine(end_m, datetime.min.time()) - timedelta(microseconds=1))}
    rows, start = 0, time.perf_counter()
    with httpx.stream("GET", f"{base}/api/measurements/export/csv", params=params, headers={"X-API-Key": key},
                      timeout=3600) as res:
        res.raise_for_status()
        for chunk in res.iter_bytes():
            rows += chunk.count(b"\n")
    api_s = time.perf_counter() - start
    where = f" AND m.measured_at >= '{start_m}' AND m.measured_at < '{end_m}' ORDER BY"
    raw_rows, raw_s = _raw_export(driver, RAW_SQL.replace(" ORDER BY", where, 1))
    return {"rows": rows - 1, "raw_rows": raw_rows, "api_rows_per_s": (rows - 1) / api_s,
            "raw_rows_per_s": raw_rows / raw_s, "ratio": ((rows - 1) / api_s) / (raw_rows / raw_s),
            "columns": len(HEADER)}


def run() -> dict:
    """Seed (or reuse) the large database, measure, print and write the figures."""
    data_dir = Path(tempfile.mkdtemp(prefix="tmf-bench-large-"))
    url, driver, seeded = _database()
    figures: dict = {"seed": None}
    try:
        if not seeded:
            figures["seed"] = _seed(url, driver, data_dir)
        f = _facts(driver)
        figures["data"] = {k: v for k, v in f.items() if k not in ("month",)} | {"export_month": str(f["month"][0])}
        chart = {"recipe_id": f["recipe"], "subtask_id": f["subtask"], "chart": "xbar_r", "subgroup_size": 5, "limit": 125}
        capability = {"recipe_id": f["recipe"], "subtask_id": f["subtask"], "date_from": _iso(f["since"])}
        with api_server(url, data_dir) as server, httpx.Client(
                base_url=server.base_url, timeout=600,
                headers={"X-API-Key": login(server.base_url, "metrologist", "demo-metrologist")}) as client:
            fresh = Invalidator(driver, f["other"])
            figures["chart_cold"] = _series(client, "/api/statistics/control-chart", chart, fresh)
            figures["chart_warm"] = _series(client, "/api/statistics/control-chart", chart)
            figures["capability_10k_cold"] = _series(client, "/api/statistics/capability", capability, fresh)
            figures["capability_n"] = client.get("/api/statistics/capability", params=capability).json().get("n")
            fresh.conn.close()
            figures["public_api"] = _public_api(server.base_url, driver, f)
            figures["export_month"] = _export(server.base_url, driver, f)
    finally:
        if not KEEP:
            with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{driver.rsplit("/", 1)[1]}" WITH (FORCE)')
    _print(figures)
    return figures


def _print(fig: dict) -> None:
    d, p = fig["data"], fig["public_api"]
    rows = [["values", f"{d['values']:,}", f"{d['database_gib']:.1f} GiB, {d['partitions']} partitions", "-"]]
    if fig["seed"]:
        rows.append(["tmf demo-data", f"{fig['seed']['history_values_per_s'] or 0:,} values/s",
                     f"{fig['seed']['demo_data_wall_s']:.0f} s wall", ">= 50,000/s"])
    for name, key, target in (("chart, 125 subgroups, cold", "chart_cold", "p95 < 300 ms"),
                              ("chart, 125 subgroups, warm", "chart_warm", "p95 < 300 ms"),
                              ("capability, 10,000 values, cold", "capability_10k_cold", "< 1000 ms")):
        rows.append([name, f"p95 {fig[key]['p95_ms']:.1f} ms", f"p50 {fig[key]['p50_ms']:.1f} ms", target])
    rows.append(["public API deep cursor page", f"p99 {p['deep_cursor_page']['p99_ms']:.1f} ms",
                 f"p50 {p['deep_cursor_page']['p50_ms']:.1f} ms", "p99 < 25 ms"])
    rows.append(["public API failed_case", f"p99 {p['failed_case']['p99_ms']:.1f} ms",
                 f"p50 {p['failed_case']['p50_ms']:.1f} ms", "p99 < 25 ms"])
    e = fig["export_month"]
    rows.append(["CSV export of a month", f"{e['api_rows_per_s']:,.0f} rows/s ({e['rows']:,} rows)",
                 f"raw {e['raw_rows_per_s']:,.0f} rows/s, ratio {e['ratio']:.2f}", "export benchmark's ratio"])
    report("large", f"{d['values']:,} measurements on PostgreSQL, characteristic of {d['characteristic_values']:,} "
           "values", ["what", "figure", "detail", "target"], rows, fig)


if __name__ == "__main__":
    run()
