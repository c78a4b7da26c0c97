"""READ_DATABASE_URL: statistics, reports and the public API read the replica; writes go to the primary.

The replica is a copy of the primary taken after three parts were measured, so it lags by what
is written afterwards: a fourth part measured through the server lands on the primary, while the
reads routed to the replica still answer three.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from tiemeasureflow.app import create_app

from .fixtures.app import make_settings
from .fixtures.database import PG_SERVER_URL, USING_POSTGRES

INTEGRATION = "/integration/api/v1"


def _measure(client: TestClient, operator, plan, station: str, serial: str, value: float) -> None:
    """One finished part with one value, written through the reference API."""
    run = client.post("/api/runs", json={"recipe_id": plan.recipe_id, "serial_number": serial,
                                         "station_code": station}, headers=operator.headers)
    assert run.status_code == 201, run.text
    res = client.post(f"/api/runs/{run.json()['id']}/measurements", headers=operator.headers,
                      json={"subtask_id": plan.subtask_ids[0], "value": value})
    assert res.status_code == 201, res.text
    res = client.post(f"/api/runs/{run.json()['id']}/finish", json={"allow_incomplete": True}, headers=operator.headers)
    assert res.status_code == 200, res.text


def _libpq(url: str) -> str:
    """The URL as PostgreSQL's own tools read it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def replica_of(database_url: str, tmp_path: Path) -> Iterator:
    """Copies the primary into a new database standing in for a replica; yields its URL."""
    made: list[str] = []

    def copy() -> str:
        if not USING_POSTGRES:
            source = Path(make_url(database_url).database)
            target = tmp_path / "replica.db"
            for suffix in ("", "-wal"):
                if Path(f"{source}{suffix}").exists():
                    shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
            return f"sqlite:///{target}"
        name = f"tmf_replica_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_SERVER_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        replica_url = database_url.rsplit("/", 1)[0] + f"/{name}"
        # A dump is a consistent snapshot however many sessions the suite keeps open on the primary
        # (CREATE DATABASE ... TEMPLATE needs it idle).
        dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", "--dbname", _libpq(database_url)],
                              capture_output=True, check=True, timeout=120)
        subprocess.run(["psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--dbname", _libpq(replica_url)],
                       input=dump.stdout, capture_output=True, check=True, timeout=120)
        return replica_url

    yield copy
    for name in made:
        with psycopg.connect(PG_SERVER_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_reads_answer_from_the_replica_and_writes_go_to_the_primary(app, database_url, tmp_path, plans, factory,
                                                                     operator, metrologist, replica_of):
    plan, station = plans.recipe(), plans.station()
    reader_key = factory.key("integration", "BI reader")
    with TestClient(app) as primary_only:
        for n, value in enumerate((10.0, 10.1, 9.9)):
            _measure(primary_only, operator, plan, station, f"SN-{n}", value)
    app.state.engine.dispose()  # the copy needs the primary idle
    replica_url = replica_of()

    routed = create_app(make_settings(database_url, tmp_path / "routed", read_database_url=replica_url))
    try:
        with TestClient(routed) as client:
            _measure(client, operator, plan, station, "SN-NEW", 10.4)  # a write: on the primary
            stats = {"recipe_id": plan.recipe_id, "subtask_id": plan.subtask_ids[0]}
            summary = client.get("/api/statistics/summary", params=stats, headers=metrologist.headers)
            assert summary.status_code == 200, summary.text
            assert summary.json()["total"] == 3
            chart = client.get("/api/statistics/control-chart", params=stats, headers=metrologist.headers)
            assert [p["serial_number"] for p in chart.json()["points"]] == ["SN-0", "SN-1", "SN-2"]
            runs = client.get(f"{INTEGRATION}/test_run", headers={"X-API-KEY": reader_key})
            assert runs.status_code == 200, runs.text
            assert sorted(r["serial_number"] for r in runs.json()) == ["SN-0", "SN-1", "SN-2"]
            # The reference API's own lists read the primary: the new part is there.
            listed = client.get("/api/measurements/", params={"recipe_id": plan.recipe_id},
                                headers=metrologist.headers)
            assert listed.status_code == 200, listed.text
            assert sorted(m["serial_number"] for m in listed.json()["items"]) == ["SN-0", "SN-1", "SN-2", "SN-NEW"]
    finally:
        routed.state.engine.dispose()
        routed.state.read_engine.dispose()
    with TestClient(app) as primary_only:
        summary = primary_only.get("/api/statistics/summary", params=stats, headers=metrologist.headers)
        assert summary.json()["total"] == 4


def test_a_replica_away_answers_503_on_reads_and_leaves_writes_alone(database_url, tmp_path, plans, operator,
                                                                    metrologist):
    plan, station = plans.recipe(), plans.station()
    away = "postgresql://tmf@127.0.0.1:1/replica" if USING_POSTGRES else f"sqlite:///{tmp_path}/missing/replica.db"
    routed = create_app(make_settings(database_url, tmp_path / "routed", read_database_url=away))
    try:
        with TestClient(routed, raise_server_exceptions=False) as client:
            stats = {"recipe_id": plan.recipe_id, "subtask_id": plan.subtask_ids[0]}
            res = client.get("/api/statistics/summary", params=stats, headers=metrologist.headers)
            assert res.status_code == 503, res.text
            _measure(client, operator, plan, station, "SN-1", 10.0)  # the primary still takes writes at once
    finally:
        routed.state.engine.dispose()
        routed.state.read_engine.dispose()
