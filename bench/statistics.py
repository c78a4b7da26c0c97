"""Statistics of one characteristic with 1,000,000 values: the API vs raw SQL into numpy.

The data: one characteristic measured 1,000,000 times over two recipe versions, every 1000th
value corrected (the corrected one is no longer current), bulk-loaded on a migrated database.
A second characteristic exists only to receive the values that force cold requests.

The API side is a real server with a Metrologist key; capability, control chart (I-MR, Western
Electric rules, newest 1000 points) and histogram (20 bins) are timed REPEAT times each:
- cold: before the request one value of the other characteristic is inserted through the
  driver (untimed). The server's series cache is keyed by the highest measurement id, so the
  request reads the 1,000,000 values from the database again, exactly as after a new
  measurement in production; the selection itself does not change.
- warm: the same request again at once, its values taken from the series cache (as when a
  dashboard asks for capability, chart and histogram of one selection).
The baseline, timed as often in the same run: one raw SQL query of the same current values in
time order (sqlite3 / psycopg) into numpy, then numpy computes the route's figures (capability:
mean, sd, MR-bar sigma, Cp/Cpk/Pp/Ppk; chart: I-MR limits, moving ranges, beyond-limit flags and
the newest 1000 points; histogram: np.histogram with the same bins and the normal curve).
The target applies to the cold ratio: API cold p50 <= 2x raw p50.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta
from operator import itemgetter

import httpx
import numpy as np
import psycopg
import sqlalchemy as sa

from tiemeasureflow.auth.keys import issue_key
from tiemeasureflow.kit.db import make_engine, make_sessionmaker, unit_of_work
from tiemeasureflow.models import Characteristic, Recipe, RecipeVersion, Run, Subtask, Task, User

from .common import api_server, database, percentile, pg_available, report
from .fixtures import settings_for

COUNT = 1_000_000
REPEAT = 5
LIMIT = 1000
BINS = 20
ROUTES = ("capability", "control-chart", "histogram")
LSL, USL, NOMINAL = 9.85, 10.15, 10.0
COLUMNS = ("id", "run_id", "subtask_id", "version_id", "characteristic_id", "measured_by", "value", "pass_fail",
           "deviation", "lot_number", "serial_number", "input_method", "measured_at", "supersedes_id")
CURRENT_VALUES = ("SELECT value FROM measurements m WHERE characteristic_id = {mark} AND NOT EXISTS "
                  "(SELECT 1 FROM measurements s WHERE s.supersedes_id = m.id) ORDER BY measured_at, id")


def _build_plan(session) -> dict:
    """A metrologist, a recipe with two versions of the measured characteristic plus another one, one run each."""
    user = User(username="bench", password_hash="-", display_name="Bench", roles=["Metrologist", "MeasurementTec"],
                is_admin=False, active=True, language_pref="en", theme_pref="light")
    recipe = Recipe(code="BENCH", name="Bench", active=True)
    session.add_all([user, recipe])
    session.flush()
    measured, other = Characteristic(recipe_id=recipe.id), Characteristic(recipe_id=recipe.id)
    session.add_all([measured, other])
    session.flush()
    ids = {"user": user.id, "recipe": recipe.id, "characteristic": measured.id, "other": other.id,
           "versions": [], "subtasks": [], "runs": []}
    for number in (1, 2):
        version = RecipeVersion(recipe_id=recipe.id, version_number=number, name="Bench")
        session.add(version)
        session.flush()
        task = Task(version_id=version.id, order_index=0, title="Turning")
        session.add(task)
        session.flush()
        subtask = Subtask(task_id=task.id, characteristic_id=measured.id, marker_number=1, unit="mm",
                          measurement_type="diameter", nominal=NOMINAL, ltl=LSL, lwl=9.9, uwl=10.1, utl=USL)
        run = Run(id=uuid.uuid4(), recipe_id=recipe.id, version_id=version.id, operator_id=user.id,
                  part_number="BENCH", serial_number=f"RUN-{number}", status="pass", started_at=datetime.now(UTC))
        session.add_all([subtask, run])
        session.flush()
        ids["versions"].append(version.id)
        ids["subtasks"].append(subtask.id)
        ids["runs"].append(run.id)
    other_subtask = Subtask(task_id=task.id, characteristic_id=other.id, marker_number=2, unit="mm",
                            measurement_type="length", nominal=50.0, ltl=49.0, utl=51.0)
    session.add(other_subtask)
    session.flush()
    ids["other_subtask"] = other_subtask.id
    recipe.current_version_id = ids["versions"][-1]
    return ids


def _row(ids: dict, i: int, value: float, postgres: bool, version: int, characteristic: int, subtask: int,
         at: datetime, supersedes: int | None) -> tuple:
    judgment = "pass" if 9.9 <= value <= 10.1 else ("warning" if LSL <= value <= USL else "fail")
    run_id = ids["runs"][version] if postgres else ids["runs"][version].hex
    measured_at = at if postgres else at.isoformat(" ", "microseconds")
    return (i + 1, run_id, subtask, ids["versions"][version], characteristic, ids["user"], value, judgment,
            value - NOMINAL, f"LOT-{i // 5000}", f"SN-{i:07d}", "manual", measured_at, supersedes)


def _measurement_rows(ids: dict, count: int, postgres: bool):
    """count rows in time order; half on each version; every 1000th corrects the one before."""
    values = np.random.default_rng(42).normal(NOMINAL, 0.04, count)
    start, half = datetime(2024, 1, 1), count // 2
    for i in range(count):
        v = 0 if i < half else 1
        supersedes = i if i % 1000 == 999 else None  # ids start at 1: row i + 1 supersedes row i
        yield _row(ids, i, float(values[i]), postgres, v, ids["characteristic"], ids["subtasks"][v],
                   start + timedelta(seconds=i), supersedes)


def _load(url: str, data_dir, count: int) -> tuple[dict, str]:
    """The plan, the bulk-loaded values and a Metrologist key."""
    engine = make_engine(url, poolclass=sa.NullPool)
    with unit_of_work(make_sessionmaker(engine)) as session:
        ids = _build_plan(session)
        _, key = issue_key(session, settings_for(url, data_dir).pepper, "session", user_id=ids["user"])
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        rows = _measurement_rows(ids, count, postgres)
        if postgres:
            with raw.cursor().copy(f"COPY measurements ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('measurements', 'id'), {count})")
        else:
            raw.executemany(f"INSERT INTO measurements ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                            rows)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM ANALYZE measurements" if postgres else "ANALYZE")
    engine.dispose()
    return ids, key


def _connect(url: str):
    if url.startswith("sqlite"):
        return sqlite3.connect(url.removeprefix("sqlite:///"))
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


class Invalidator:
    """Inserts one value of the other characteristic: a new highest id, so the next request reads afresh."""

    def __init__(self, url: str, ids: dict, first_id: int):
        self.conn, self.ids, self.next = _connect(url), ids, first_id
        self.postgres = not url.startswith("sqlite")

    def __call__(self) -> None:
        row = _row(self.ids, self.next - 1, 50.0, self.postgres, 1, self.ids["other"], self.ids["other_subtask"],
                   datetime(2025, 1, 1) + timedelta(seconds=self.next), None)
        mark = "%s" if self.postgres else "?"
        marks = ", ".join([mark] * len(COLUMNS))
        self.conn.execute(f"INSERT INTO measurements ({', '.join(COLUMNS)}) VALUES ({marks})", row)
        if not self.postgres:
            self.conn.commit()
        self.next += 1


def _raw_values(url: str, conn, characteristic_id: int) -> np.ndarray:
    """The current values in time order, one query straight into numpy."""
    if url.startswith("sqlite"):
        rows = conn.execute(CURRENT_VALUES.format(mark="?"), (characteristic_id,)).fetchall()
    else:
        with conn.cursor(binary=True) as cur:
            rows = cur.execute(CURRENT_VALUES.format(mark="%s"), (characteristic_id,)).fetchall()
    return np.fromiter(map(itemgetter(0), rows), dtype=float, count=len(rows))


def _raw_capability(x: np.ndarray) -> dict:
    mean, sd = x.mean(), x.std(ddof=1)
    within = np.abs(np.diff(x)).mean() / 1.128379167095513  # d2(2) = 2 / sqrt(pi)
    return {"cp": (USL - LSL) / (6 * within), "cpk": min(USL - mean, mean - LSL) / (3 * within),
            "pp": (USL - LSL) / (6 * sd), "ppk": min(USL - mean, mean - LSL) / (3 * sd)}


def _raw_control_chart(x: np.ndarray) -> dict:
    mr = np.abs(np.diff(x))
    center, mr_bar = x.mean(), mr.mean()
    ucl, lcl = center + 2.659574 * mr_bar, center - 2.659574 * mr_bar  # 3 / d2(2)
    beyond = (x > ucl) | (x < lcl)
    start = len(x) - LIMIT
    return {"ucl": ucl, "lcl": lcl, "mr_ucl": 3.267 * mr_bar, "points": x[start:].tolist(),
            "mr": mr[start - 1:].tolist(), "flagged": np.flatnonzero(beyond[start:]).tolist()}


def _raw_histogram(x: np.ndarray) -> dict:
    counts, edges = np.histogram(x, bins=BINS)
    mean, sd = x.mean(), x.std(ddof=1)
    centers = (edges[:-1] + edges[1:]) / 2
    curve = len(x) * (edges[1] - edges[0]) * np.exp(-0.5 * ((centers - mean) / sd) ** 2) / (sd * np.sqrt(2 * np.pi))
    return {"counts": counts.tolist(), "edges": edges.tolist(), "curve": curve.tolist()}


RAW = {"capability": _raw_capability, "control-chart": _raw_control_chart, "histogram": _raw_histogram}


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _measure(url: str, data_dir, count: int) -> tuple[dict, int]:
    """{route: {"cold": [...], "warm": [...], "raw": [...]}} seconds, and the number of current values."""
    ids, key = _load(url, data_dir, count)
    params = {"recipe_id": ids["recipe"], "subtask_id": ids["subtasks"][0]}
    invalidate = Invalidator(url, ids, count + 1)
    raw_conn = _connect(url)
    samples = {route: {"cold": [], "warm": [], "raw": []} for route in ROUTES}
    with api_server(url, data_dir) as server, \
            httpx.Client(base_url=server.base_url, headers={"X-API-Key": key}, timeout=600) as client:

        def get(route: str) -> None:
            client.get(f"/api/statistics/{route}", params=params).raise_for_status()

        for route in ROUTES:  # imports and constants are computed once per process
            get(route)
            RAW[route](_raw_values(url, raw_conn, ids["characteristic"]))
        for _ in range(REPEAT):
            for route in ROUTES:
                invalidate()
                samples[route]["cold"].append(_timed(lambda route=route: get(route)))
                samples[route]["warm"].append(_timed(lambda route=route: get(route)))
                samples[route]["raw"].append(_timed(
                    lambda route=route: RAW[route](_raw_values(url, raw_conn, ids["characteristic"]))))
        n = client.get("/api/statistics/histogram", params=params).json()["n"]
    raw_conn.close()
    invalidate.conn.close()
    return samples, n


def run(count: int = COUNT) -> dict:
    """Measure every available database; print and write the figures."""
    figures, rows = {}, []
    for kind in ["sqlite"] + (["postgresql"] if pg_available() else []):
        with database(kind) as (url, data_dir):
            samples, n = _measure(url, data_dir, count)
        figures[kind] = {"values": n, "repeat": REPEAT}
        for route in ROUTES:
            cold, warm, raw = (percentile(samples[route][k], 50) for k in ("cold", "warm", "raw"))
            figures[kind][route] = {"api_cold_p50_s": cold, "api_warm_p50_s": warm, "raw_p50_s": raw,
                                    "cold_vs_raw": cold / raw, "warm_vs_raw": warm / raw,
                                    "target_met": cold / raw <= 2.0}
            rows.append([kind, route, cold * 1000, warm * 1000, raw * 1000, cold / raw, warm / raw])
    report("statistics", f"Statistics of {count:,} values: p50 ms over {REPEAT} (target cold/raw <= 2)",
           ["database", "route", "API cold", "API warm", "raw SQL + numpy", "cold/raw", "warm/raw"], rows, figures)
    return figures


if __name__ == "__main__":
    run()
