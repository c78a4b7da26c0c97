"""CSV and XLSX export of a million measurements: the streaming endpoints vs csv.writer over a raw cursor."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import threading
import time
from statistics import median

import httpx
import psycopg

from .common import api_server, database, login, pg_available, report
from .fixtures import generate_history

# About 3.5 values per run: a million measurements (BENCH_EXPORT_RUNS=30000 for a quick look).
RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "300000"))
# Rounds of CSV then XLSX (and of the raw baseline); the figures are their medians.
REPEATS = int(os.environ.get("BENCH_EXPORT_REPEATS", "5"))
# The API's rows and columns: current values only (nothing supersedes them), synced flag from the cursor, id order.
RAW_SQL = (
    "SELECT m.id, m.subtask_id, m.version_id, m.measured_by, m.value, m.pass_fail, m.deviation, m.lot_number, "
    "m.serial_number, m.input_method, m.measured_at, "
    "m.id <= COALESCE((SELECT last_id FROM csv_sync_cursor WHERE id = 1), 0) AS synced_to_csv "
    "FROM measurements m LEFT OUTER JOIN measurements later ON later.supersedes_id = m.id "
    "WHERE later.id IS NULL ORDER BY m.id"
)
HEADER = ("id", "subtask_id", "version_id", "measured_by", "value", "pass_fail", "deviation", "lot_number",
          "serial_number", "input_method", "measured_at", "synced_to_csv")


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def _api_export(base: str, pid: int) -> tuple[int, float, float]:
    """(rows, seconds, peak RSS growth in MiB) of the streamed CSV."""
    key = login(base, "metrologist", "demo-metrologist")
    before, peak, done = _rss_kib(pid), [0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss_kib(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rows = 0
    start = time.perf_counter()
    with httpx.stream("GET", f"{base}/api/measurements/export/csv", params={},
                      headers={"X-API-Key": key}, timeout=600) as res:
        res.raise_for_status()
        for chunk in res.iter_bytes():
            rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return rows - 1, elapsed, (max(peak[0], before) - before) / 1024


def _api_xlsx(base: str, layout: str = "reference") -> float:
    """Seconds to download the streamed XLSX export of the same rows in a layout."""
    key = login(base, "metrologist", "demo-metrologist")
    start = time.perf_counter()
    with httpx.stream("GET", f"{base}/api/measurements/export/xlsx", params={"layout": layout},
                      headers={"X-API-Key": key}, timeout=600) as res:
        res.raise_for_status()
        for _ in res.iter_bytes():
            pass
    return time.perf_counter() - start


def _raw_export(url: str, sql: str = RAW_SQL) -> tuple[int, float]:
    """The same rows through csv.writer from a plain cursor, encoded and counted like the API's bytes."""
    out = io.StringIO()
    start = time.perf_counter()
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        cur = conn.execute(sql)
    else:
        conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        cur = conn.cursor(name="export")
        cur.execute(sql)
    writer = csv.writer(out)
    writer.writerow(HEADER)
    lines = 0
    while batch := cur.fetchmany(10_000):
        writer.writerows(batch)
        lines += out.getvalue().encode("utf-8").count(b"\n")
        out.seek(0)
        out.truncate()
    lines += out.getvalue().encode("utf-8").count(b"\n")
    elapsed = time.perf_counter() - start
    conn.close()
    return lines - 1, elapsed


def run() -> dict:
    """Measure every available database; print and write the figures."""
    figures, table = {}, []
    for kind in ["sqlite"] + (["postgresql"] if pg_available() else []):
        if kind not in os.environ.get("BENCH_EXPORT_DATABASES", kind):
            continue
        with database(kind) as (url, data_dir):
            generate_history(url, data_dir, RUNS)
            csv_s, xlsx_s, raw_s, growths = [], [], [], []
            with api_server(url, data_dir) as server:
                # CSV and XLSX back to back in each round: a burst of load on the machine hits both of a
                # pair, and the median of the rounds ignores the rounds it hit hardest.
                for _ in range(REPEATS):
                    rows, seconds, growth = _api_export(server.base_url, server.pid)
                    csv_s.append(seconds)
                    growths.append(growth)
                    xlsx_s.append(_api_xlsx(server.base_url))
                readable_s = _api_xlsx(server.base_url, "readable")
            for _ in range(REPEATS):
                raw_rows, seconds = _raw_export(url)
                raw_s.append(seconds)
        if rows != raw_rows:
            raise RuntimeError(f"{kind}: the API exported {rows} rows, the raw cursor {raw_rows}")
        api_rate, raw_rate, xlsx_rate = rows / median(csv_s), raw_rows / median(raw_s), rows / median(xlsx_s)
        pair_ratios = sorted(c / x for c, x in zip(csv_s, xlsx_s, strict=True))
        xlsx_vs_csv = median(pair_ratios)
        figures[kind] = {"rows": rows, "repeats": REPEATS, "api_rows_per_s": api_rate, "raw_rows_per_s": raw_rate,
                         "ratio": api_rate / raw_rate, "server_rss_growth_mib": max(growths),
                         "xlsx_rows_per_s": xlsx_rate, "xlsx_vs_csv": xlsx_vs_csv,
                         "xlsx_vs_csv_rounds": pair_ratios, "readable_xlsx_rows_per_s": rows / readable_s}
        table.append([kind, rows, api_rate, raw_rate, api_rate / raw_rate, max(growths), xlsx_rate, xlsx_vs_csv,
                      f"{pair_ratios[0]:.2f}-{pair_ratios[-1]:.2f}", rows / readable_s])
    report("export", f"CSV and XLSX export: rows per second, median of {REPEATS} rounds",
           ["database", "rows", "API CSV", "raw csv.writer", "API/raw", "server RSS growth MiB", "API XLSX",
            "XLSX/CSV (target >= 0.5)", "XLSX/CSV range", "API XLSX readable"], table, figures)
    return figures


if __name__ == "__main__":
    run()
