"""PDF SPC report of 10,000 values: seconds per report."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import text

from tiemeasureflow.db import make_engine

from .common import api_server, database, login, median, report
from .fixtures import generate_history

RUNS = 33_000  # about 10,000 values of the busiest characteristic
REPEAT = 3


def run() -> dict:
    """Measure on SQLite; print and write the figures."""
    with database("sqlite") as (url, data_dir):
        generate_history(url, data_dir, RUNS, seed_value=3)
        engine = make_engine(url)
        with engine.connect() as conn:
            # The busiest characteristic of the first recipe, and how many values it has.
            subtask, values = conn.execute(text(
                "SELECT s.id, COUNT(*) FROM measurements m JOIN subtasks s ON s.characteristic_id = m.characteristic_id "
                "JOIN tasks t ON t.id = s.task_id JOIN recipes r ON r.current_version_id = t.version_id "
                "WHERE r.id = 1 GROUP BY s.id ORDER BY 2 DESC LIMIT 1")).one()
        engine.dispose()
        with api_server(url, data_dir) as server:
            key = login(server.base_url, "metrologist", "demo-metrologist")
            seconds = []
            for _ in range(REPEAT):
                start = time.perf_counter()
                res = httpx.get(f"{server.base_url}/api/reports/spc", params={"recipe_id": 1, "subtask_id": subtask},
                                headers={"X-API-Key": key}, timeout=120)
                res.raise_for_status()
                seconds.append(time.perf_counter() - start)
    figures = {"values": values, "seconds_median": median(seconds), "pdf_bytes": len(res.content)}
    report("pdf_report", "PDF SPC report", ["values", "seconds (median of 3)", "PDF KiB"],
           [[values, median(seconds), len(res.content) / 1024]], figures)
    return figures


if __name__ == "__main__":
    run()
