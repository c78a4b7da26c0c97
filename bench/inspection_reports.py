"""Per-part inspection reports, the FAI forms (PDF, XLSX) and unit histories on the demo plant, over HTTP.

Used by `measurement_report`, which seeds the plant once: each request is timed REPEAT times and
the figures are p50 and max per kind of report. The parts: every recipe's newest finished station
run, the runs with the most corrections and the first article; both FAIs of the plant.
"""

from __future__ import annotations

import time
import uuid

import httpx
from sqlalchemy import text

from tiemeasureflow.kit.db import make_engine

from .common import percentile

REPEAT = 3
PARTS_PER_RECIPE = 1
CORRECTED_PARTS = 3
NEWEST_RUN = ("SELECT id, part_number, serial_number FROM runs r WHERE r.source = 'station' AND r.recipe_id = :recipe "
              "AND r.status IN ('pass', 'warning', 'fail') ORDER BY r.started_at DESC LIMIT :n")
MOST_CORRECTED = ("SELECT r.id, r.part_number, r.serial_number FROM runs r JOIN measurements m ON m.run_id = r.id "
                  "WHERE m.supersedes_id IS NOT NULL GROUP BY r.id, r.part_number, r.serial_number "
                  "ORDER BY COUNT(*) DESC, r.id LIMIT :n")
FIRST_ARTICLE = "SELECT id, part_number, serial_number FROM runs WHERE serial_number LIKE 'FA-%' AND source = 'station'"


def _parts(url: str) -> list[tuple[str, str, str]]:
    """(run id, part number, serial) of the parts whose reports are timed."""
    engine = make_engine(url)
    with engine.connect() as conn:
        recipes = [r[0] for r in conn.execute(text("SELECT id FROM recipes ORDER BY id"))]
        rows = [r for recipe in recipes for r in conn.execute(text(NEWEST_RUN), {"recipe": recipe, "n": PARTS_PER_RECIPE})]
        rows += conn.execute(text(MOST_CORRECTED), {"n": CORRECTED_PARTS}).all()
        rows += conn.execute(text(FIRST_ARTICLE)).all()
    engine.dispose()
    parts = {str(uuid.UUID(str(run_id))): (part, serial) for run_id, part, serial in rows}  # ids as the URL has them
    return [(run_id, part, serial) for run_id, (part, serial) in parts.items()]


def _time(client: httpx.Client, path: str) -> list[float]:
    seconds = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        res = client.get(path)
        res.raise_for_status()
        seconds.append(time.perf_counter() - start)
    return seconds


def measure(client: httpx.Client, url: str) -> list[dict]:
    """p50 and max seconds per kind of report, with how many reports and requests each covers."""
    kinds: dict[str, list[float]] = {}
    parts = _parts(url)
    for run_id, part, serial in parts:
        kinds.setdefault("per-part report (PDF)", []).extend(_time(client, f"/api/runs/{run_id}/report.pdf"))
        kinds.setdefault("unit history (JSON)", []).extend(_time(client, f"/api/units/{part}/{serial}"))
    fais = client.get("/api/fai", params={"per_page": 100}).json()["items"]
    for fai in fais:
        for form in ("pdf", "xlsx"):
            kinds.setdefault(f"FAI forms ({form.upper()})", []).extend(
                _time(client, f"/api/fai/{fai['id']}/report.{form}"))
    counts = {"per-part report (PDF)": len(parts), "unit history (JSON)": len(parts),
              "FAI forms (PDF)": len(fais), "FAI forms (XLSX)": len(fais)}
    return [{"report": name, "reports": counts[name], "requests": len(samples),
             "p50": percentile(samples, 50), "max": max(samples)} for name, samples in kinds.items()]
