"""CSV sync: every measurement appended exactly once, across kill -9, torn lines and lost cursors."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.fixtures.app import make_settings
from tests.fixtures.factories import Factory
from tests.fixtures.plans import PlanFactory
from tests.measurements.bulk import bulk_measurements
from tests.measurements.helpers import call, single
from tiemeasureflow.app import create_app
from tiemeasureflow.cli import app as cli_app
from tiemeasureflow.measurements.csv_format import CSV_COLUMNS


@pytest.fixture
def plan(plans):
    return plans.recipe()


@pytest.fixture
def sync_env(settings, tmp_path, monkeypatch) -> Path:
    """The CLI pointed at this test's database and a sync file; returns the file's path."""
    target = tmp_path / "sync" / "measurements.csv"
    env = {"DATABASE_URL": settings.resolved_database_url, "CSV_SYNC_PATH": str(target),
           "DATA_DIR": str(tmp_path / "cli-data"), "SECRET_KEY": "not-used"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return target


def run_cli(*args: str) -> str:
    result = CliRunner().invoke(cli_app, ["csv-sync", *args])
    assert result.exit_code == 0, result.output
    return result.output


def file_ids(path: Path) -> list[int]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(CSV_COLUMNS)
    return [int(r[0]) for r in rows[1:]]


def db_ids(app) -> list[int]:
    with app.state.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text("SELECT id FROM measurements ORDER BY id"))]


def test_sync_appends_new_measurements_once_and_flags_them(client, plan, operator, metrologist, sync_env):
    first = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.25)).json()
    assert first["synced_to_csv"] is False
    assert "1 measurements appended" in run_cli()
    assert call(client, metrologist, "GET", f"/measurements/{first['id']}", 200).json()["synced_to_csv"] is True
    second = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.5)).json()
    assert second["synced_to_csv"] is False
    run_cli()
    run_cli()
    assert file_ids(sync_env) == [first["id"], second["id"]]
    with sync_env.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["value"] == "10.25" and rows[0]["synced_to_csv"] == "true" and rows[1]["pass_fail"] == "pass"
    listed = call(client, metrologist, "GET", "/measurements/", 200).json()["items"]
    assert all(m["synced_to_csv"] for m in listed)


def test_a_torn_last_line_is_cut_and_rewritten(client, plan, operator, sync_env):
    for value in (10.0, 10.1):
        call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, value))
    run_cli()
    third = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.0)).json()
    with sync_env.open("ab") as handle:  # what a writer killed in the middle of a row leaves
        handle.write(f"{third['id']},{plan.subtask_ids[1]},{plan.version_id},1,20.".encode())
    run_cli()
    assert file_ids(sync_env) == db_ids(client.app)
    assert sync_env.read_bytes().endswith(b"\r\n")


def test_a_cursor_behind_the_file_does_not_duplicate(client, app, plan, operator, sync_env):
    for value in (10.0, 10.1, 10.2):
        call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, value))
    run_cli()
    with app.state.engine.begin() as conn:  # as if killed after the fsync, before the cursor commit
        conn.execute(sa.text("UPDATE csv_sync_cursor SET last_id = 1"))
    call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.0))
    run_cli()
    assert file_ids(sync_env) == db_ids(app)


def test_a_rotated_file_starts_after_the_cursor(client, app, plan, operator, sync_env):
    call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0))
    run_cli()
    sync_env.unlink()
    newer = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.0)).json()
    run_cli()
    assert file_ids(sync_env) == [newer["id"]]


def test_without_a_path_the_command_refuses(monkeypatch, settings):
    monkeypatch.setenv("DATABASE_URL", settings.resolved_database_url)
    monkeypatch.delenv("CSV_SYNC_PATH", raising=False)
    result = CliRunner().invoke(cli_app, ["csv-sync"])
    assert result.exit_code == 2 and "CSV_SYNC_PATH" in result.output


def test_killed_with_sigkill_while_writing_then_restarted(client, app, plans, plan, operator, sync_env):
    bulk_measurements(client, operator, plan, plans.station(), 6000)
    command = [sys.executable, "-m", "tiemeasureflow", "csv-sync", "--batch-size", "40"]
    expected_size = 6000 * 100
    for fraction in (0.1, 0.35, 0.6):
        process = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while (not sync_env.exists() or sync_env.stat().st_size < expected_size * fraction) and process.poll() is None:
            assert time.monotonic() < deadline, "the sync made no progress"
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()
        ids = file_ids_tolerating_a_torn_line(sync_env)
        assert ids == sorted(set(ids)) and ids == db_ids(app)[:len(ids)]
    subprocess.run(command, env=os.environ.copy(), check=True, capture_output=True)
    assert file_ids(sync_env) == db_ids(app)
    # New measurements after the restart follow on.
    call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.0))
    run_cli()
    assert file_ids(sync_env) == db_ids(app)


def file_ids_tolerating_a_torn_line(path: Path) -> list[int]:
    """The ids of the complete lines of a file a killed writer may have left torn."""
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1].decode()
    return [int(line.split(",")[0]) for line in complete.splitlines()[1:]]


def test_the_server_syncs_in_the_background_when_a_path_is_set(database_url, tmp_path):
    target = tmp_path / "server-sync.csv"
    server = create_app(make_settings(database_url, tmp_path / "srv", csv_sync_path=target,
                                      csv_sync_interval_seconds=0.1))
    try:
        with TestClient(server, raise_server_exceptions=False) as http:
            user = Factory(server).user("MeasurementTec")
            plan = PlanFactory(server).recipe()
            made = call(http, user, "POST", "/measurements/", 200, json=single(plan, 0, 10.0)).json()
            deadline = time.monotonic() + 60
            while not call(http, user, "GET", f"/measurements/{made['id']}", 200).json()["synced_to_csv"]:
                assert time.monotonic() < deadline, "the background sync never ran"
                time.sleep(0.05)
        assert file_ids(target) == [made["id"]]
    finally:
        server.state.engine.dispose()
