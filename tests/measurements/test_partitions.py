"""History by month: on PostgreSQL values land in monthly partitions made ahead (server, `tmf maintain`), a
default partition catches any other time; on both databases a value supersedes only an existing, latest value."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tiemeasureflow.cli import app as cli
from tiemeasureflow.measurements.partitions import current_month

from ..fixtures.app import TEST_PEPPER
from ..fixtures.database import USING_POSTGRES
from .helpers import call, single

COPY = ("INSERT INTO measurements (run_id, subtask_id, version_id, characteristic_id, measured_by, value, pass_fail, "
        "input_method, measured_at, supersedes_id, gross_error_confirmed) SELECT run_id, subtask_id, version_id, "
        "characteristic_id, measured_by, value + 1, pass_fail, input_method, {at}, :supersedes, gross_error_confirmed "
        "FROM measurements WHERE id = :id")


@pytest.fixture
def plan(plans):
    return plans.recipe()


@pytest.fixture
def measured(client, plan, operator) -> dict:
    return call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0)).json()


def copy_of(app, source: int, supersedes: int | None, at: datetime | None = None) -> int:
    """Insert a copy of a stored value with raw SQL (at another time, pointing at another value); returns its id."""
    sql = COPY.format(at=":at" if at else "measured_at") + " RETURNING id"
    with app.state.engine.begin() as conn:
        return conn.execute(sa.text(sql), {"id": source, "supersedes": supersedes, "at": at}).scalar_one()


def stored(app) -> int:
    with app.state.engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM measurements")).scalar_one()


def test_a_value_cannot_supersede_one_that_does_not_exist(app, measured):
    with pytest.raises(sa.exc.IntegrityError):
        copy_of(app, measured["id"], supersedes=measured["id"] + 1000)
    assert stored(app) == 1


def test_a_value_is_superseded_at_most_once(app, measured):
    copy_of(app, measured["id"], supersedes=measured["id"])
    with pytest.raises(sa.exc.IntegrityError):
        copy_of(app, measured["id"], supersedes=measured["id"])
    assert stored(app) == 2


MANY = 30_000  # more than PostgreSQL's shared lock table holds even at 300 connections (64 locks each)


def test_one_transaction_can_load_tens_of_thousands_of_corrections(app, measured):
    """A bulk load (generated history, a large import) commits its corrections at once."""
    columns = ("run_id, subtask_id, version_id, characteristic_id, measured_by, value, pass_fail, input_method, "
               "measured_at, gross_error_confirmed")
    with app.state.engine.begin() as conn:
        first = conn.execute(sa.text(
            f"WITH RECURSIVE copies(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM copies WHERE i < :n) "
            f"INSERT INTO measurements ({columns}) SELECT {columns} FROM measurements, copies "
            "WHERE id = :id RETURNING id"), {"n": MANY, "id": measured["id"]}).scalars().all()
        conn.execute(sa.text(
            f"INSERT INTO measurements ({columns}, supersedes_id) SELECT {columns}, id FROM measurements "
            "WHERE id >= :low"), {"low": min(first)})
    with app.state.engine.connect() as conn:
        corrected = conn.execute(sa.text(
            "SELECT count(DISTINCT supersedes_id) FROM measurements WHERE supersedes_id IS NOT NULL")).scalar_one()
    assert corrected == MANY and stored(app) == 1 + 2 * MANY

if USING_POSTGRES:
    def env_for(database_url: str, tmp_path) -> dict[str, str]:
        return {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER}

    def maintain(database_url: str, tmp_path, *args: str) -> str:
        result = CliRunner().invoke(cli, ["maintain", *args], env=env_for(database_url, tmp_path))
        assert result.exit_code == 0, result.output
        return result.output

    def month_name(ahead: int = 0) -> str:
        month = current_month()
        index = month.year * 12 + month.month - 1 + ahead
        return f"measurements_p{index // 12}{index % 12 + 1:02d}"

    def partition_of(app, measurement_id: int) -> str:
        with app.state.engine.connect() as conn:
            return conn.execute(sa.text("SELECT tableoid::regclass::text FROM measurements WHERE id = :id"),
                                {"id": measurement_id}).scalar_one()

    def exists(app, name: str) -> bool:
        with app.state.engine.connect() as conn:
            return conn.execute(sa.text("SELECT to_regclass(:n) IS NOT NULL"), {"n": name}).scalar_one()

    def test_a_new_value_lands_in_its_months_partition_made_ahead(app, measured, database_url, tmp_path):
        assert partition_of(app, measured["id"]) == month_name()
        listed = maintain(database_url, tmp_path)
        assert "Created 0 partition(s)" in listed
        for ahead in range(4):
            assert month_name(ahead=ahead) in listed and exists(app, month_name(ahead=ahead))
        assert "measurements_default" in listed

    def test_a_value_in_a_month_without_partition_is_kept_and_moves_when_its_month_is_made(
            app, client, measured, metrologist, database_url, tmp_path):
        far = datetime(2031, 5, 17, 8, 30)
        moved = copy_of(app, measured["id"], supersedes=None, at=far)
        assert partition_of(app, moved) == "measurements_default"
        made = maintain(database_url, tmp_path, "--start", "2031-05", "--months", "2")
        assert "Created 2 partition(s): measurements_p203105, measurements_p203106" in made
        assert partition_of(app, moved) == "measurements_p203105"
        with app.state.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM measurements_default")).scalar_one() == 0
        got = call(client, metrologist, "GET", f"/measurements/{moved}", 200).json()
        assert got["value"] == 11.0 and got["measured_at"].startswith("2031-05-17T08:30")
        # A correction today points into another month's partition.
        fixed = call(client, metrologist, "POST", f"/measurements/{moved}/corrections", 201,
                     json={"value": 10.2, "reason": "re-read"}).json()
        assert fixed["supersedes_id"] == moved and partition_of(app, fixed["id"]) == month_name()
        assert call(client, metrologist, "GET", f"/measurements/{moved}", 200).json()["superseded_by_id"] == fixed["id"]
        assert "Created 0 partition(s)" in maintain(database_url, tmp_path, "--start", "2031-05", "--months", "2")

    @pytest.mark.parametrize("statement", [
        "UPDATE {part} SET value = 99.0", "DELETE FROM {part}", "TRUNCATE {part}", "TRUNCATE measurements"])
    def test_every_partition_is_insert_only(app, measured, database_url, tmp_path, statement):
        maintain(database_url, tmp_path, "--start", "2031-05", "--months", "1")
        copy_of(app, measured["id"], supersedes=None, at=datetime(2031, 5, 2))
        copy_of(app, measured["id"], supersedes=None, at=datetime(2240, 1, 1))  # beyond any partition
        for part in (month_name(), "measurements_p203105", "measurements_default"):
            with pytest.raises(sa.exc.DatabaseError, match="insert-only"):
                with app.state.engine.begin() as conn:
                    conn.execute(sa.text(statement.format(part=part)))
        assert stored(app) == 3

    def test_the_server_makes_the_coming_months_at_start(app, database_url):
        last = month_name(ahead=3)
        with app.state.engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE {last}"))
        with TestClient(app):
            deadline = time.monotonic() + 30
            while not exists(app, last) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert exists(app, last)

    def test_the_command_refuses_a_month_it_cannot_read(database_url, tmp_path):
        result = CliRunner().invoke(cli, ["maintain", "--start", "2031-13"], env=env_for(database_url, tmp_path))
        assert result.exit_code == 2 and "not a month" in result.output
