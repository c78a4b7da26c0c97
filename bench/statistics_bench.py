"""Statistics endpoints on one characteristic with a million measurements.

    .venv/bin/python bench/statistics_bench.py                      # SQLite in a temporary folder
    .venv/bin/python bench/statistics_bench.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/statistics_bench.py --count 200000 --repeat 5 --json bench/results/statistics.json

Builds the database (migrations, then bulk rows: two versions, 0.1% corrections), then times every
/api/statistics route in process over HTTP (TestClient): cold (the values cache emptied first, as
after a new measurement: the values are read from the database) and warm (best of --repeat, the
values shared with the previous request, as when a dashboard asks for capability, chart and
histogram of one selection). Prints a table and writes the figures as JSON. The CPU time of this process is printed beside the
wall time: on a busy machine it shows what the request costs (SQLite runs inside this process;
PostgreSQL's own work is not in it). With a PostgreSQL URL it creates and drops its own
database next to the one named.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import psycopg
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tiemeasureflow.app import create_app
from tiemeasureflow.auth.keys import issue_key
from tiemeasureflow.config import Settings
from tiemeasureflow.db import make_engine, unit_of_work
from tiemeasureflow.migrations import upgrade
from tiemeasureflow.models import Characteristic, Recipe, RecipeVersion, Run, Subtask, Task, User
from tiemeasureflow.statistics.series_cache import SeriesCache, cache_for

COLUMNS = ("id", "run_id", "subtask_id", "version_id", "characteristic_id", "measured_by", "value", "pass_fail",
           "deviation", "lot_number", "serial_number", "input_method", "measured_at", "supersedes_id")


def build_plan(session) -> dict:
    """A metrologist, a recipe with two versions of one characteristic, and one run per version."""
    user = User(username="bench", password_hash="-", display_name="Bench", roles=["Metrologist", "MeasurementTec"],
                is_admin=False, active=True, language_pref="en", theme_pref="light")
    recipe = Recipe(code="BENCH", name="Bench", active=True)
    session.add_all([user, recipe])
    session.flush()
    characteristic = Characteristic(recipe_id=recipe.id)
    session.add(characteristic)
    session.flush()
    ids = {"user": user.id, "recipe": recipe.id, "characteristic": characteristic.id, "versions": [],
           "subtasks": [], "runs": []}
    for number in (1, 2):
        version = RecipeVersion(recipe_id=recipe.id, version_number=number, name="Bench")
        session.add(version)
        session.flush()
        task = Task(version_id=version.id, order_index=0, title="Turning")
        session.add(task)
        session.flush()
        subtask = Subtask(task_id=task.id, characteristic_id=characteristic.id, marker_number=1, unit="mm",
                          measurement_type="diameter", nominal=10.0, ltl=9.85, lwl=9.9, uwl=10.1, utl=10.15)
        run = Run(id=uuid.uuid4(), recipe_id=recipe.id, version_id=version.id, operator_id=user.id,
                  part_number="BENCH", serial_number=f"RUN-{number}", status="pass", started_at=datetime.now(UTC))
        session.add_all([subtask, run])
        session.flush()
        ids["versions"].append(version.id)
        ids["subtasks"].append(subtask.id)
        ids["runs"].append(run.id)
    recipe.current_version_id = ids["versions"][-1]
    return ids


def measurement_rows(ids: dict, count: int, postgres: bool):
    """count rows in time order; half on each version; every 1000th is a correction of the one before."""
    rng = np.random.default_rng(42)
    values = rng.normal(10.0, 0.04, count)
    start = datetime(2024, 1, 1)
    half = count // 2
    for i in range(count):
        v = 0 if i < half else 1
        value = float(values[i])
        judgment = "pass" if 9.9 <= value <= 10.1 else ("warning" if 9.85 <= value <= 10.15 else "fail")
        supersedes = i if i % 1000 == 999 else None  # ids start at 1: row i + 1 supersedes row i
        run_id = ids["runs"][v] if postgres else ids["runs"][v].hex
        yield (i + 1, run_id, ids["subtasks"][v], ids["versions"][v], ids["characteristic"], ids["user"], value,
               judgment, value - 10.0, f"LOT-{i // 5000}", f"SN-{i:07d}", "manual",
               start + timedelta(seconds=i), supersedes)


def load(url: str, count: int) -> dict:
    """Migrate, build the plan, bulk-load the measurements; returns the plan ids."""
    engine = make_engine(url, poolclass=sa.NullPool)
    upgrade(engine)
    with unit_of_work(sa.orm.sessionmaker(engine)) as session:
        ids = build_plan(session)
    postgres = engine.dialect.name == "postgresql"
    started = time.perf_counter()
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        rows = measurement_rows(ids, count, postgres)
        if postgres:
            with raw.cursor().copy(f"COPY measurements ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('measurements', 'id'), %s)" % count)
        else:
            marks = ", ".join("?" * len(COLUMNS))
            raw.executemany(f"INSERT INTO measurements ({', '.join(COLUMNS)}) VALUES ({marks})",
                            ((*r[:12], r[12].isoformat(" ", "microseconds"), r[13]) for r in rows))
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM ANALYZE measurements" if postgres else "ANALYZE")
    print(f"loaded {count} measurements in {time.perf_counter() - started:.1f} s")
    engine.dispose()
    return ids


def call(client: TestClient, route: str, params: dict, key: str, cache: SeriesCache | None = None) -> tuple:
    """(wall, CPU) seconds of one request; with `cache`, emptied first (as after a new measurement)."""
    if cache is not None:
        cache.clear()
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(f"/api/statistics/{route}", params=params, headers={"X-API-Key": key})
    elapsed = (time.perf_counter() - started, time.process_time() - started_cpu)
    assert response.status_code == 200, response.text
    return elapsed


def time_routes(url: str, data_dir: Path, ids: dict, repeat: int) -> list[dict]:
    """Cold (values read from the database) and warm (best of `repeat`) time of every statistics route."""
    settings = Settings(_env_file=None, data_dir=data_dir, database_url=url, secret_key="bench-pepper",
                        rate_limit_general=1_000_000)
    app = create_app(settings)
    cache = cache_for(app.state.engine)
    with unit_of_work(app.state.sessionmaker) as session:
        _, key = issue_key(session, settings.pepper, "session", user_id=ids["user"])
    base = {"recipe_id": ids["recipe"], "subtask_id": ids["subtasks"][0]}
    cases = [
        ("summary", base), ("capability", base), ("capability", {**base, "subgroup_size": 5}),
        ("control-chart", base), ("control-chart", {**base, "rules": "nelson"}),
        ("control-chart", {**base, "chart": "xbar_r", "subgroup_size": 5}), ("histogram", base),
        ("capability", {**base, "version_id": ids["versions"][1]}),
        ("capability", {**base, "date_from": "2024-01-05T00:00:00Z"}),
        ("pareto", {"recipe_id": ids["recipe"]}), ("yield", {"recipe_id": ids["recipe"]}),
    ]
    results = []
    with TestClient(app) as client:
        for route, params in cases:  # one pass first: imports and constants are computed once per process
            call(client, route, params, key)
        for route, params in cases:
            cold, cold_cpu = call(client, route, params, key, cache)
            warm = [call(client, route, params, key) for _ in range(repeat)]
            best, best_cpu = min(w[0] for w in warm), min(w[1] for w in warm)
            extra = {k: v for k, v in params.items() if k not in base}
            results.append({"route": route, "params": extra, "cold_s": round(cold, 3), "cold_cpu_s": round(cold_cpu, 3),
                            "warm_s": round(best, 3), "warm_cpu_s": round(best_cpu, 3)})
            print(f"{route:14} {json.dumps(extra):48} cold {cold:6.3f} s (CPU {cold_cpu:5.3f})"
                  f"   warm {best:6.3f} s (CPU {best_cpu:5.3f})")
    app.state.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL (default: SQLite file)")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=Path(__file__).parent / "results" / "statistics.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        name = None
        if args.database_url:
            name = f"tmf_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(args.database_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            url = args.database_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
        else:
            url = f"sqlite:///{tmp}/bench.db"
        try:
            ids = load(url, args.count)
            results = time_routes(url, Path(tmp) / "data", ids, args.repeat)
        finally:
            if name:
                with psycopg.connect(args.database_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    dialect = "postgresql" if args.database_url else "sqlite"
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"benchmark": "statistics", "database": dialect, "measurements": args.count,
                                     "at": datetime.now(UTC).isoformat(), "cpus": os.cpu_count(),
                                     "load_average": os.getloadavg(), "results": results}, indent=2))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
