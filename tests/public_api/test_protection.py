"""Finished verdicts and HardPy reports cannot be rewritten in the database, and verify notices if they were."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.audit.test_audit import tamper, verify
from tests.fixtures.database import USING_POSTGRES

from .conftest import hardpy_report


@pytest.fixture
def failed_run(station_runs):
    plan = station_runs.plan()
    return station_runs.run(plan, station_runs.station(), "SN-FAIL", values=(12.0, 20.0))


@pytest.mark.parametrize("statement", [
    "UPDATE runs SET status = 'pass' WHERE id = :id",
    "UPDATE runs SET serial_number = 'SN-OTHER' WHERE id = :id",
    "DELETE FROM runs WHERE id = :id",
])
def test_the_database_refuses_rewriting_a_finished_run(app, failed_run, statement):
    run_id = failed_run["id"].replace("-", "") if not USING_POSTGRES else failed_run["id"]
    with pytest.raises(sa.exc.DatabaseError, match="finished runs are fixed"):
        with app.state.engine.begin() as conn:
            conn.execute(sa.text(statement), {"id": run_id})
    assert failed_run["status"] == "fail"


def test_verify_notices_a_verdict_rewritten_past_the_triggers(app, client, failed_run, database_url, tmp_path,
                                                              monkeypatch):
    assert verify(database_url, tmp_path, monkeypatch).exit_code == 0
    run_id = failed_run["id"].replace("-", "") if not USING_POSTGRES else failed_run["id"]
    tamper(app, [("UPDATE runs SET status = 'pass' WHERE id = :id", {"id": run_id})])
    result = verify(database_url, tmp_path, monkeypatch)
    assert result.exit_code == 1 and "audited verdict is 'fail'" in result.output


def test_a_correction_still_changes_a_finished_verdict(client, failed_run, metrologist, operator, database_url,
                                                       tmp_path, monkeypatch):
    values = client.get(f"/api/runs/{failed_run['id']}", headers=operator.headers).json()["measurements"]
    wrong = next(v for v in values if v["value"] == 12.0)
    res = client.post(f"/api/measurements/{wrong['id']}/corrections", json={"value": 10.0, "reason": "Misread"},
                      headers=metrologist.headers)
    assert res.status_code == 201, res.text
    assert client.get(f"/api/runs/{failed_run['id']}", headers=operator.headers).json()["status"] == "pass"
    assert verify(database_url, tmp_path, monkeypatch).exit_code == 0


@pytest.mark.parametrize("table", ["hardpy_reports", "hardpy_cases", "hardpy_measurements"])
def test_hardpy_report_rows_are_insert_only(app, uploader, table):
    assert uploader(hardpy_report("SN-HP-1")).status_code in (200, 201)
    for statement in (f"UPDATE {table} SET test_plan_name = NULL" if table == "hardpy_reports"
                      else f"UPDATE {table} SET name = 'forged'", f"DELETE FROM {table}"):
        with pytest.raises(sa.exc.DatabaseError, match="insert-only"):
            with app.state.engine.begin() as conn:
                conn.execute(sa.text(statement))
