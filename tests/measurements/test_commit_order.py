"""PostgreSQL writers commit in any order: a value committed late with a lower id is still synced, once."""

from __future__ import annotations

import psycopg
import pytest

from tests.fixtures.database import USING_POSTGRES
from tests.measurements.helpers import call, single
from tests.measurements.test_csv_sync import db_ids, file_ids, run_cli, sync_env  # noqa: F401 - a fixture

# A second station's batch, as its driver sends it: ids first, the rows a moment later, commit later still.
NEXT_ID = "SELECT nextval(pg_get_serial_sequence('measurements', 'id'))"
LATE_INSERT = """
INSERT INTO measurements (id, run_id, subtask_id, version_id, characteristic_id, measured_by, value, pass_fail,
                          deviation, lot_number, serial_number, input_method, measured_at, gross_error_confirmed)
SELECT %s, run_id, subtask_id, version_id, characteristic_id, measured_by, value, pass_fail, deviation, lot_number,
       serial_number, input_method, now(), false
FROM measurements WHERE id = %s RETURNING id
"""

if USING_POSTGRES:
    @pytest.fixture
    def plan(plans):
        return plans.recipe()

    def test_a_lower_id_committed_after_a_higher_one_reaches_the_sync_file_once(
            app, client, plan, operator, metrologist, sync_env, settings):
        first = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0, serial="A")).json()
        run_cli()
        assert file_ids(sync_env) == [first["id"]]
        url = settings.resolved_database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(url) as slow:
            low = slow.execute(NEXT_ID).fetchone()[0]
            high = call(client, operator, "POST", "/measurements/", 200,
                        json=single(plan, 0, 10.01, serial="B")).json()["id"]
            slow.execute(LATE_INSERT, (low, first["id"]))
            assert first["id"] < low < high
            # The pass in between takes the committed higher id and leaves room for the lower one.
            run_cli()
            assert file_ids(sync_env) == [first["id"], high]
            assert call(client, metrologist, "GET", f"/measurements/{high}", 200).json()["synced_to_csv"] is True
            slow.commit()
        assert call(client, metrologist, "GET", f"/measurements/{low}", 200).json()["synced_to_csv"] is False
        run_cli()
        run_cli()
        assert file_ids(sync_env) == [first["id"], high, low]
        assert sorted(file_ids(sync_env)) == db_ids(app)
        assert call(client, metrologist, "GET", f"/measurements/{low}", 200).json()["synced_to_csv"] is True

    def test_an_open_writer_holds_later_values_back_until_it_ends(app, client, plan, operator, sync_env, settings):
        first = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0, serial="A")).json()
        url = settings.resolved_database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(url) as slow:
            slow.execute(LATE_INSERT, (slow.execute(NEXT_ID).fetchone()[0], first["id"]))
            high = call(client, operator, "POST", "/measurements/", 200,
                        json=single(plan, 0, 10.01, serial="B")).json()["id"]
            # The open writer began first: whatever it commits must come before the later value.
            run_cli()
            assert file_ids(sync_env) == [first["id"]]
            slow.rollback()
        later = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.02, serial="C")).json()
        run_cli()
        assert file_ids(sync_env) == [first["id"], high, later["id"]] == db_ids(app)
