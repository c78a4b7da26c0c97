"""Every report of the demo plant (90 days), over HTTP against a real `tmf serve`, against a 5 s budget.

The measurement report of each recipe (the summary, by default, and the detailed table), then the
per-part inspection reports, the FAI forms and unit histories (`inspection_reports`). The baseline,
measured in the same run, is the whole table as the measurement report used to print it (every
current value of the busiest recipe, hundreds of pages), rendered in this process by the same renderer.
"""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import httpx
from pypdf import PdfReader

from tiemeasureflow.demodata.history import Options
from tiemeasureflow.demodata.seed import seed
from tiemeasureflow.kit.db import make_engine, make_sessionmaker
from tiemeasureflow.reports import measurement_rows
from tiemeasureflow.reports.data import MeasurementsReport, ReportContext
from tiemeasureflow.reports.measurements_pdf import render_measurements_report
from tiemeasureflow.statistics.scope import StatisticsFilters, resolve

from . import inspection_reports
from .common import api_server, database, login, median, pg_available, report
from .fixtures import settings_for

REPEAT = 3
BUDGET_SECONDS = 5.0
VARIANTS = (("summary", {}), ("detailed (500 rows)", {"detail": "true"}))


def _recipes(url: str) -> list[tuple[int, str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, code FROM recipes ORDER BY id").all()
    engine.dispose()
    return [(r[0], r[1]) for r in rows]


def _whole_table(url: str, recipe_id: int) -> tuple[float, int, int]:
    """(seconds, rows, pages) of every current value of a recipe drawn as the detailed table."""
    engine = make_engine(url)
    session = make_sessionmaker(engine)()
    try:
        start = time.perf_counter()
        scope = resolve(session, StatisticsFilters(recipe_id=recipe_id))
        rows = measurement_rows.table_rows(session, scope, limit=10**9)
        context = ReportContext("en", "Bench", None, datetime.now(UTC), "bench")
        pdf = render_measurements_report(MeasurementsReport(
            context=context, recipe_code="", recipe_name="", filters=[], rows=rows, total=len(rows),
            counts={}, period=(None, None), detail=True, detail_limit=len(rows)))
        seconds = time.perf_counter() - start
    finally:
        session.close()
        engine.dispose()
    return seconds, len(rows), len(PdfReader(io.BytesIO(pdf)).pages)


def _measure(kind: str) -> dict:
    with database(kind) as (url, data_dir):
        summary = seed(settings_for(url, data_dir), Options(days=90, seed=42))
        recipes = _recipes(url)
        results = []
        with api_server(url, data_dir) as server:
            key = login(server.base_url, "metrologist", "demo-metrologist")
            with httpx.Client(base_url=server.base_url, headers={"X-API-Key": key}, timeout=120) as client:
                for recipe_id, code in recipes:
                    for name, extra in VARIANTS:
                        seconds, pages = [], 0
                        for _ in range(REPEAT):
                            start = time.perf_counter()
                            res = client.get("/api/reports/measurements", params={"recipe_id": recipe_id, **extra})
                            res.raise_for_status()
                            seconds.append(time.perf_counter() - start)
                            pages = len(PdfReader(io.BytesIO(res.content)).pages)
                        results.append({"recipe": code, "variant": name, "seconds_median": median(seconds),
                                        "seconds_max": max(seconds), "pages": pages})
                inspection = inspection_reports.measure(client, url)
        busiest = recipes[0][0]
        whole_s, whole_rows, whole_pages = _whole_table(url, busiest)
    return {"measurements": summary.measurements, "reports": results, "inspection": inspection,
            "baseline": {"recipe": recipes[0][1], "rows": whole_rows, "pages": whole_pages, "seconds": whole_s}}


def run() -> dict:
    """Measure on SQLite and, when it answers, PostgreSQL; print and write the figures."""
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    figures = {kind: _measure(kind) for kind in kinds}
    rows = []
    for kind, data in figures.items():
        base = data["baseline"]
        rows.append([kind, f"{base['recipe']}: whole table as before ({base['rows']:,} rows, in process)",
                     base["pages"], base["seconds"], base["seconds"], ""])
        for r in data["reports"]:
            rows.append([kind, f"{r['recipe']}: measurement report, {r['variant']}", r["pages"], r["seconds_median"],
                         r["seconds_max"], "yes" if r["seconds_max"] < BUDGET_SECONDS else "NO"])
        for r in data["inspection"]:
            rows.append([kind, f"{r['report']}: {r['reports']} x {inspection_reports.REPEAT}", "", r["p50"],
                         r["max"], "yes" if r["max"] < BUDGET_SECONDS else "NO"])
    slowest = max([r["seconds_max"] for data in figures.values() for r in data["reports"]]
                  + [r["max"] for data in figures.values() for r in data["inspection"]])
    figures["slowest_report_seconds"] = slowest
    report("measurement_report", f"Reports of the demo plant, 90 days ({REPEAT} requests each)",
           ["database", "report", "pages", "p50 s", "max s", f"< {BUDGET_SECONDS:g} s"], rows, figures)
    return figures


if __name__ == "__main__":
    run()
