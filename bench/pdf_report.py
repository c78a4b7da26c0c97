"""PDF SPC report of about 10,000 values: seconds per report, against the same charts drawn directly.

The baseline reads the characteristic's current values with raw SQL, draws the report's two
figures (individuals chart with its limits, histogram) with matplotlib at the report's
resolution and places them on one A4 page with reportlab: the libraries' own floor for such a
page. The report adds the capability analysis, the run rules, tables and a second page.
"""

from __future__ import annotations

import io
import sqlite3
import time

import httpx
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from sqlalchemy import text

from tiemeasureflow.kit.db import make_engine
from tiemeasureflow.reports.charts import DPI

from .common import api_server, database, login, median, report
from .fixtures import generate_history

RUNS = 33_000  # about 10,000 values of the busiest characteristic
REPEAT = 3
CM = 1 / 2.54
CURRENT_VALUES = ("SELECT m.value FROM measurements m JOIN subtasks s ON s.characteristic_id = m.characteristic_id "
                  "WHERE s.id = ? AND NOT EXISTS (SELECT 1 FROM measurements x WHERE x.supersedes_id = m.id) "
                  "ORDER BY m.measured_at, m.id")


def _busiest_subtask(url: str) -> tuple[int, int]:
    """The busiest characteristic of the first recipe (as a current subtask), and how many values it has."""
    engine = make_engine(url)
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT s.id, COUNT(*) FROM measurements m JOIN subtasks s ON s.characteristic_id = m.characteristic_id "
            "JOIN tasks t ON t.id = s.task_id JOIN recipes r ON r.current_version_id = t.version_id "
            "WHERE r.id = 1 GROUP BY s.id ORDER BY 2 DESC LIMIT 1")).one()
    engine.dispose()
    return row[0], row[1]


def _png(fig: Figure) -> io.BytesIO:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buffer, format="png", dpi=DPI)
    buffer.seek(0)
    return buffer


def _direct_page(path: str, subtask: int) -> bytes:
    """The two charts of the same values, drawn straight from a raw cursor onto one PDF page."""
    with sqlite3.connect(path) as conn:
        values = np.fromiter((v for (v,) in conn.execute(CURRENT_VALUES, (subtask,))), float)
    mean, sigma = values.mean(), np.abs(np.diff(values)).mean() / 1.128
    chart = Figure(figsize=(17 * CM, 7 * CM), layout="constrained")
    ax = chart.add_subplot()
    ax.plot(values, linewidth=0.6, marker=".", markersize=2)
    for level in (mean - 3 * sigma, mean, mean + 3 * sigma):
        ax.axhline(level, linewidth=0.8, color="red")
    histogram = Figure(figsize=(17 * CM, 7 * CM), layout="constrained")
    histogram.add_subplot().hist(values, bins=20)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawImage(ImageReader(_png(chart)), 2 * 28.35, 15 * 28.35, 17 * 28.35, 7 * 28.35)
    page.drawImage(ImageReader(_png(histogram)), 2 * 28.35, 6 * 28.35, 17 * 28.35, 7 * 28.35)
    page.save()
    return out.getvalue()


def run() -> dict:
    """Measure on SQLite; print and write the figures."""
    with database("sqlite") as (url, data_dir):
        generate_history(url, data_dir, RUNS, seed_value=3)
        subtask, values = _busiest_subtask(url)
        with api_server(url, data_dir) as server:
            key = login(server.base_url, "metrologist", "demo-metrologist")
            seconds = []
            for _ in range(REPEAT):
                start = time.perf_counter()
                res = httpx.get(f"{server.base_url}/api/reports/spc", params={"recipe_id": 1, "subtask_id": subtask},
                                headers={"X-API-Key": key}, timeout=120)
                res.raise_for_status()
                seconds.append(time.perf_counter() - start)
        direct = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            page = _direct_page(url.removeprefix("sqlite:///"), subtask)
            direct.append(time.perf_counter() - start)
    api_s, direct_s = median(seconds), median(direct)
    figures = {"values": values, "seconds_median": api_s, "direct_charts_seconds_median": direct_s,
               "ratio": api_s / direct_s, "pdf_bytes": len(res.content), "direct_pdf_bytes": len(page)}
    report("pdf_report", f"PDF SPC report of {values:,} values (median of {REPEAT})",
           ["", "seconds", "PDF KiB"],
           [["GET /api/reports/spc (2 pages, over HTTP)", api_s, len(res.content) / 1024],
            ["the two charts drawn directly on one page", direct_s, len(page) / 1024],
            ["report / direct", api_s / direct_s, ""]], figures)
    return figures


if __name__ == "__main__":
    run()
